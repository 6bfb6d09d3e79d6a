import { randomUUID } from 'node:crypto'
import { SkillOSError, type SkillStorage } from '@skillos/contracts'
import { z } from 'zod'
import { normalizeCategory, TOTAL } from './categories.js'
import {
  budgetsFor,
  expensesIn,
  recordExpense,
  saveBudget,
  type Budget,
  type Expense,
} from './ledger.js'
import { formatMoney, fromMinor, toMinor } from './money.js'
import { checkDate, periodOf, todayAt, type PeriodKind } from './periods.js'
import {
  buildReport,
  describeStanding,
  type BudgetStatus,
  type CategoryStanding,
} from './report.js'
import type { BudgetAction } from './request-text.js'

/** The skill's input, as its schema admits it. */
export interface BudgetRequest {
  action?: BudgetAction
  amount?: number
  currency?: string
  category?: string
  period?: PeriodKind
  date?: string
}

/** The settings of the skill (`skills.settings["finance/track-budget"]`). */
export interface TrackerSettings {
  /** Currency of expenses and budgets when the request names none (default RUB). */
  currency: string
  /** The people's offset from UTC in minutes, for "today" (default 0: UTC; Moscow is 180). */
  utcOffsetMinutes: number
}

const settingsSchema = z.object({
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .optional(),
  utcOffsetMinutes: z.number().int().min(-720).max(840).optional(),
})

/** Reads the settings from `ctx.config`; a bad value is a `CONFIG_INVALID` naming it. */
export function readTrackerSettings(config: Readonly<Record<string, unknown>>): TrackerSettings {
  const parsed = settingsSchema.safeParse(config)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SkillOSError({
      code: 'CONFIG_INVALID',
      message: `settings ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    })
  }
  return {
    currency: (parsed.data.currency ?? 'RUB').toUpperCase(),
    utcOffsetMinutes: parsed.data.utcOffsetMinutes ?? 0,
  }
}

/** A category's standing in major units, as the skill outputs it. */
export interface StandingOutput {
  category: string
  spent: number
  budget?: number
  remaining?: number
  forecast: number
  status: BudgetStatus
}

/** The skill's answer. */
export interface TrackerAnswer {
  action: BudgetAction
  message: string
  expense?: { date: string; amount: number; currency: string; category: string }
  budget?: { category: string; period: PeriodKind; amount: number; currency: string }
  period: { kind: PeriodKind; start: string; end: string; days: number; daysElapsed: number }
  asOf: string
  currency: string
  categories: StandingOutput[]
  total: StandingOutput
  warnings: string[]
}

/** Who and when: the person's id, their storage, the clock. */
export interface TrackerContext {
  storage: SkillStorage
  principalId: string
  settings: TrackerSettings
  now: number
  /** Makes expense ids (default `randomUUID`). */
  newId?: () => string
}

function output(s: CategoryStanding): StandingOutput {
  return {
    category: s.category,
    spent: fromMinor(s.spentMinor),
    ...(s.budgetMinor !== undefined ? { budget: fromMinor(s.budgetMinor) } : {}),
    ...(s.remainingMinor !== undefined ? { remaining: fromMinor(s.remainingMinor) } : {}),
    forecast: fromMinor(s.forecastMinor),
    status: s.status,
  }
}

function currencyOf(request: BudgetRequest, settings: TrackerSettings): string {
  const code = (request.currency ?? settings.currency).trim().toUpperCase()
  if (!/^[A-Z]{3}$/.test(code)) {
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `currency: "${request.currency}" is not an ISO 4217 currency code`,
    })
  }
  return code
}

function requireAmount(request: BudgetRequest, action: BudgetAction): number {
  if (request.amount === undefined) {
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `amount: required to ${action === 'add-expense' ? 'add an expense (how much was spent?)' : 'set a budget (how much per period?)'}`,
      details: { field: 'amount' },
    })
  }
  return toMinor(request.amount)
}

/**
 * Runs one budget request for one person: records an expense, sets a budget, or reports — and in
 * every case answers with where the period stands (for the category touched, or all of them):
 * spent, budget, remaining, linear forecast to the period's end, overspend warnings. Without an
 * `action`, a request with an amount is an expense and one without is a report.
 *
 * @example
 * ```ts
 * await trackBudget({ amount: 1200, category: 'такси' }, { storage, principalId: 'u1', settings, now: Date.now() })
 * // { action: 'add-expense', expense: { amount: 1200, category: 'taxi', … }, … }
 * ```
 */
export async function trackBudget(
  request: BudgetRequest,
  context: TrackerContext,
): Promise<TrackerAnswer> {
  const { storage, principalId, settings } = context
  const action: BudgetAction =
    request.action ?? (request.amount !== undefined ? 'add-expense' : 'report')
  const date = request.date ?? todayAt(context.now, settings.utcOffsetMinutes)
  checkDate(date)
  const currency = currencyOf(request, settings)
  const kind = request.period ?? 'month'
  const period = periodOf(date, kind)
  const asOf = date
  let focus: string | undefined
  let expense: Expense | undefined
  let budget: Budget | undefined
  const stamp = new Date(context.now).toISOString()

  if (action === 'add-expense') {
    const amountMinor = requireAmount(request, action)
    const category = normalizeCategory(request.category)
    expense = {
      id: (context.newId ?? randomUUID)(),
      date,
      amountMinor,
      currency,
      category: category === TOTAL ? 'other' : category,
      recordedAt: stamp,
    }
    await recordExpense(storage, principalId, expense)
    focus = expense.category
  } else if (action === 'set-budget') {
    const amountMinor = requireAmount(request, action)
    budget = {
      category: normalizeCategory(request.category),
      period: kind,
      amountMinor,
      currency,
      updatedAt: stamp,
    }
    await saveBudget(storage, principalId, budget)
    focus = budget.category
  } else if (request.category !== undefined) {
    focus = normalizeCategory(request.category)
  }

  const report = buildReport({
    expenses: await expensesIn(storage, principalId, period),
    budgets: await budgetsFor(storage, principalId, kind),
    period,
    asOf,
    currency,
    ...(focus ? { category: focus } : {}),
  })
  const standings =
    focus === TOTAL || focus === undefined
      ? [...report.categories, report.total]
      : report.categories
  const span = `${kind === 'month' ? 'Month' : 'Week'} ${period.start} – ${period.end}, day ${report.daysElapsed} of ${period.days}`
  const lines = standings.map((s) => describeStanding(s, currency))
  const head =
    expense !== undefined
      ? `Recorded ${formatMoney(expense.amountMinor, currency)} for ${expense.category} on ${expense.date}. `
      : budget !== undefined
        ? `Budget set: ${formatMoney(budget.amountMinor, currency)} per ${kind} for ${budget.category === TOTAL ? 'everything' : budget.category}. `
        : ''
  const body = lines.length > 0 ? lines.join('; ') : 'nothing spent yet, no budget set'
  const warn = report.warnings.length > 0 ? ` Warning: ${report.warnings.join('; ')}.` : ''
  return {
    action,
    message: `${head}${span}: ${body}.${warn}`,
    ...(expense
      ? {
          expense: {
            date: expense.date,
            amount: fromMinor(expense.amountMinor),
            currency,
            category: expense.category,
          },
        }
      : {}),
    ...(budget
      ? {
          budget: {
            category: budget.category,
            period: kind,
            amount: fromMinor(budget.amountMinor),
            currency,
          },
        }
      : {}),
    period: {
      kind,
      start: period.start,
      end: period.end,
      days: period.days,
      daysElapsed: report.daysElapsed,
    },
    asOf,
    currency,
    categories: report.categories.map(output),
    total: output(report.total),
    warnings: report.warnings,
  }
}
