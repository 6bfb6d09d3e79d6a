import type { SkillStorage } from '@skillos/contracts'
import { monthsOf, type Period, type PeriodKind } from './periods.js'

/** One recorded expense; amounts in integer minor units. */
export interface Expense {
  id: string
  date: string
  amountMinor: number
  currency: string
  category: string
  recordedAt: string
}

/** A spending limit for one category (or `total`) and period kind. */
export interface Budget {
  category: string
  period: PeriodKind
  amountMinor: number
  currency: string
  updatedAt: string
}

// Storage is already per tenant and per skill; the person is the first part of every key, so one
// person's list never reads another's. Ids are URI-encoded so "a/b" cannot reach "a"'s keys.
const owner = (principalId: string): string => encodeURIComponent(principalId)

/** `expense/<principal>/<date>/<id>`: one key per expense, so concurrent adds never overwrite. */
export function expenseKey(principalId: string, date: string, id: string): string {
  return `expense/${owner(principalId)}/${date}/${id}`
}

/** `budget/<principal>/<period>/<category>`: setting a budget again replaces it. */
export function budgetKey(principalId: string, period: PeriodKind, category: string): string {
  return `budget/${owner(principalId)}/${period}/${encodeURIComponent(category)}`
}

/** Stores an expense of `principalId`. */
export async function recordExpense(
  storage: SkillStorage,
  principalId: string,
  expense: Expense,
): Promise<void> {
  await storage.set(expenseKey(principalId, expense.date, expense.id), expense)
}

/** Stores (or replaces) a budget of `principalId`. */
export async function saveBudget(
  storage: SkillStorage,
  principalId: string,
  budget: Budget,
): Promise<void> {
  await storage.set(budgetKey(principalId, budget.period, budget.category), budget)
}

/** The expenses of `principalId` dated within `period`, oldest first. */
export async function expensesIn(
  storage: SkillStorage,
  principalId: string,
  period: Period,
): Promise<Expense[]> {
  const lists = await Promise.all(
    monthsOf(period).map((month) =>
      storage.list<Expense>(`expense/${owner(principalId)}/${month}-`),
    ),
  )
  return lists
    .flat()
    .map((entry) => entry.value)
    .filter((e) => e.date >= period.start && e.date <= period.end)
}

/** The budgets of `principalId` for one period kind. */
export async function budgetsFor(
  storage: SkillStorage,
  principalId: string,
  period: PeriodKind,
): Promise<Budget[]> {
  const entries = await storage.list<Budget>(`budget/${owner(principalId)}/${period}/`)
  return entries.map((entry) => entry.value)
}
