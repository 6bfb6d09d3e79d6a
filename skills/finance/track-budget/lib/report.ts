import { TOTAL } from './categories.js'
import type { Budget, Expense } from './ledger.js'
import { formatMoney, mulDivRound } from './money.js'
import { daysElapsed, type Period } from './periods.js'

/** `over`: spent more than the budget; `at-risk`: on pace to; `ok`; `no-budget`: none set. */
export type BudgetStatus = 'no-budget' | 'ok' | 'at-risk' | 'over'

/** Where one category (or the `total`) stands in the period; integer minor units. */
export interface CategoryStanding {
  category: string
  spentMinor: number
  budgetMinor?: number
  remainingMinor?: number
  /** Linear: spent so far ÷ days elapsed × days in the period. */
  forecastMinor: number
  status: BudgetStatus
}

/** Spending of a period against its budgets, as of one day. */
export interface BudgetReport {
  period: Period
  asOf: string
  daysElapsed: number
  currency: string
  categories: CategoryStanding[]
  total: CategoryStanding
  warnings: string[]
}

function standing(
  category: string,
  spentMinor: number,
  budget: Budget | undefined,
  period: Period,
  elapsed: number,
): CategoryStanding {
  const forecastMinor = elapsed === 0 ? spentMinor : mulDivRound(spentMinor, period.days, elapsed)
  if (!budget) return { category, spentMinor, forecastMinor, status: 'no-budget' }
  const status: BudgetStatus =
    spentMinor > budget.amountMinor ? 'over' : forecastMinor > budget.amountMinor ? 'at-risk' : 'ok'
  return {
    category,
    spentMinor,
    budgetMinor: budget.amountMinor,
    remainingMinor: budget.amountMinor - spentMinor,
    forecastMinor,
    status,
  }
}

function warningOf(s: CategoryStanding, period: Period, currency: string): string | undefined {
  if (s.budgetMinor === undefined) return undefined
  const name = s.category === TOTAL ? 'Total' : s.category
  if (s.status === 'over')
    return `${name}: spent ${formatMoney(s.spentMinor, currency)} of ${formatMoney(s.budgetMinor, currency)}, over budget by ${formatMoney(s.spentMinor - s.budgetMinor, currency)}`
  if (s.status === 'at-risk')
    return `${name}: at this pace ${formatMoney(s.forecastMinor, currency)} by ${period.end}, ${formatMoney(s.forecastMinor - s.budgetMinor, currency)} over the ${formatMoney(s.budgetMinor, currency)} budget`
  return undefined
}

export interface ReportInput {
  expenses: readonly Expense[]
  budgets: readonly Budget[]
  period: Period
  asOf: string
  currency: string
  /** Only this category (the total is always reported). */
  category?: string
}

/**
 * Where spending stands in a period: per category (every category with spending or a budget,
 * biggest spender first) and in total, each with remaining budget, a linear forecast to the end of
 * the period, a status and warnings for overspending (already over, or on pace to be). Only
 * expenses and budgets in `currency` are compared; others are named in a warning, not converted.
 *
 * @example
 * ```ts
 * buildReport({ expenses, budgets, period: periodOf('2026-11-21', 'month'), asOf: '2026-11-21', currency: 'RUB' })
 * ```
 */
export function buildReport(input: ReportInput): BudgetReport {
  const { period, asOf, currency } = input
  const elapsed = daysElapsed(period, asOf)
  const inPeriod = input.expenses.filter((e) => e.date >= period.start && e.date <= period.end)
  const expenses = inPeriod.filter((e) => e.currency === currency)
  const budgets = input.budgets.filter((b) => b.period === period.kind && b.currency === currency)
  const spent = new Map<string, number>()
  for (const e of expenses) spent.set(e.category, (spent.get(e.category) ?? 0) + e.amountMinor)
  const names = new Set([...spent.keys(), ...budgets.map((b) => b.category)])
  names.delete(TOTAL)
  const wanted = input.category && input.category !== TOTAL ? [input.category] : [...names]
  const categories = wanted
    .map((c) =>
      standing(
        c,
        spent.get(c) ?? 0,
        budgets.find((b) => b.category === c),
        period,
        elapsed,
      ),
    )
    .sort((a, b) => b.spentMinor - a.spentMinor || a.category.localeCompare(b.category))
  const totalSpent = expenses.reduce((sum, e) => sum + e.amountMinor, 0)
  const total = standing(
    TOTAL,
    totalSpent,
    budgets.find((b) => b.category === TOTAL),
    period,
    elapsed,
  )
  const warnings = [...categories, total].flatMap((s) => warningOf(s, period, currency) ?? [])
  const others = new Map<string, number>()
  for (const e of inPeriod)
    if (e.currency !== currency)
      others.set(e.currency, (others.get(e.currency) ?? 0) + e.amountMinor)
  for (const [other, minor] of others)
    warnings.push(
      `${formatMoney(minor, other)} spent in ${other} is not included: amounts in other currencies are not converted`,
    )
  const foreignBudgets = input.budgets.filter(
    (b) => b.period === period.kind && b.currency !== currency,
  )
  for (const b of foreignBudgets)
    warnings.push(
      `The ${b.category} budget is in ${b.currency}, not ${currency}; it is not compared`,
    )
  return { period, asOf, daysElapsed: elapsed, currency, categories, total, warnings }
}

/** One line about a category: `taxi: spent 1 200.00 RUB of 5 000.00 RUB, 3 800.00 RUB left, forecast 1 714.29 RUB`. */
export function describeStanding(s: CategoryStanding, currency: string): string {
  const name = s.category === TOTAL ? 'Total' : s.category
  const spent = `spent ${formatMoney(s.spentMinor, currency)}`
  const forecast = `forecast ${formatMoney(s.forecastMinor, currency)}`
  if (s.budgetMinor === undefined || s.remainingMinor === undefined)
    return `${name}: ${spent}, no budget set, ${forecast}`
  const left =
    s.remainingMinor >= 0
      ? `${formatMoney(s.remainingMinor, currency)} left`
      : `${formatMoney(-s.remainingMinor, currency)} over`
  return `${name}: ${spent} of ${formatMoney(s.budgetMinor, currency)}, ${left}, ${forecast}`
}
