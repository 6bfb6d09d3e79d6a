import { describe, expect, it } from 'vitest'
import type { Budget, Expense } from './ledger.js'
import { periodOf } from './periods.js'
import { buildReport, describeStanding } from './report.js'

const expense = (
  date: string,
  amountMinor: number,
  category: string,
  currency = 'RUB',
): Expense => ({
  id: `${date}-${category}-${amountMinor}`,
  date,
  amountMinor,
  currency,
  category,
  recordedAt: `${date}T10:00:00.000Z`,
})
const budget = (
  category: string,
  amountMinor: number,
  period: 'month' | 'week' = 'month',
  currency = 'RUB',
): Budget => ({
  category,
  period,
  amountMinor,
  currency,
  updatedAt: '2026-11-01T00:00:00.000Z',
})

const november = periodOf('2026-11-21', 'month')
const expenses = [
  expense('2026-11-03', 520000, 'taxi'),
  expense('2026-11-20', 120000, 'taxi'),
  expense('2026-11-10', 1800000, 'groceries'),
  expense('2026-11-21', 50000, 'restaurants'),
  expense('2026-10-31', 999900, 'taxi'), // last month
  expense('2026-11-05', 15000, 'taxi', 'USD'),
]
const budgets = [
  budget('taxi', 600000),
  budget('groceries', 2500000),
  budget('total', 5000000),
  budget('taxi', 100000, 'week'),
]

describe('buildReport', () => {
  const report = buildReport({
    expenses,
    budgets,
    period: november,
    asOf: '2026-11-21',
    currency: 'RUB',
  })

  it('sums the period per category, biggest first, with remaining budget and a linear forecast', () => {
    expect(report.daysElapsed).toBe(21)
    expect(report.categories).toEqual([
      // 18 000 over 21 days → 25 714.29 by the 30th: over the 25 000 budget at this pace.
      {
        category: 'groceries',
        spentMinor: 1800000,
        budgetMinor: 2500000,
        remainingMinor: 700000,
        forecastMinor: 2571429,
        status: 'at-risk',
      },
      // 6 400 spent of 6 000: already over.
      {
        category: 'taxi',
        spentMinor: 640000,
        budgetMinor: 600000,
        remainingMinor: -40000,
        forecastMinor: 914286,
        status: 'over',
      },
      { category: 'restaurants', spentMinor: 50000, forecastMinor: 71429, status: 'no-budget' },
    ])
    expect(report.total).toEqual({
      category: 'total',
      spentMinor: 2490000,
      budgetMinor: 5000000,
      remainingMinor: 2510000,
      forecastMinor: 3557143,
      status: 'ok',
    })
  })

  it('warns about overspending and about amounts in other currencies', () => {
    expect(report.warnings).toEqual([
      'groceries: at this pace 25\u202f714.29 RUB by 2026-11-30, 714.29 RUB over the 25\u202f000.00 RUB budget',
      'taxi: spent 6\u202f400.00 RUB of 6\u202f000.00 RUB, over budget by 400.00 RUB',
      '150.00 USD spent in USD is not included: amounts in other currencies are not converted',
    ])
  })

  it('reports one category when asked, keeping the total', () => {
    const one = buildReport({
      expenses,
      budgets,
      period: november,
      asOf: '2026-11-21',
      currency: 'RUB',
      category: 'hotels',
    })
    expect(one.categories).toEqual([
      { category: 'hotels', spentMinor: 0, forecastMinor: 0, status: 'no-budget' },
    ])
    expect(one.total.spentMinor).toBe(2490000)
  })

  it('uses the budgets of the period kind: a week', () => {
    const week = buildReport({
      expenses,
      budgets,
      period: periodOf('2026-11-21', 'week'),
      asOf: '2026-11-21',
      currency: 'RUB',
    })
    expect(week.period).toEqual({ kind: 'week', start: '2026-11-16', end: '2026-11-22', days: 7 })
    expect(week.categories.find((c) => c.category === 'taxi')).toEqual({
      category: 'taxi',
      spentMinor: 120000,
      budgetMinor: 100000,
      remainingMinor: -20000,
      forecastMinor: 140000,
      status: 'over',
    })
  })

  it('forecasts the spending itself once the period is over', () => {
    const past = buildReport({
      expenses,
      budgets: [],
      period: periodOf('2026-10-15', 'month'),
      asOf: '2026-11-21',
      currency: 'RUB',
    })
    expect(past.total).toMatchObject({ spentMinor: 999900, forecastMinor: 999900 })
  })

  it('compares a budget only in its own currency', () => {
    const usd = buildReport({
      expenses,
      budgets: [budget('taxi', 10000, 'month', 'USD')],
      period: november,
      asOf: '2026-11-21',
      currency: 'RUB',
    })
    expect(usd.warnings).toContain('The taxi budget is in USD, not RUB; it is not compared')
  })
})

describe('describeStanding', () => {
  it.each([
    [
      {
        category: 'taxi',
        spentMinor: 120000,
        budgetMinor: 500000,
        remainingMinor: 380000,
        forecastMinor: 171429,
        status: 'ok' as const,
      },
      'taxi: spent 1\u202f200.00 RUB of 5\u202f000.00 RUB, 3\u202f800.00 RUB left, forecast 1\u202f714.29 RUB',
    ],
    [
      {
        category: 'taxi',
        spentMinor: 640000,
        budgetMinor: 600000,
        remainingMinor: -40000,
        forecastMinor: 914286,
        status: 'over' as const,
      },
      'taxi: spent 6\u202f400.00 RUB of 6\u202f000.00 RUB, 400.00 RUB over, forecast 9\u202f142.86 RUB',
    ],
    [
      { category: 'total', spentMinor: 0, forecastMinor: 0, status: 'no-budget' as const },
      'Total: spent 0.00 RUB, no budget set, forecast 0.00 RUB',
    ],
  ])('%#: %s', (standing, text) => {
    expect(describeStanding(standing, 'RUB')).toBe(text)
  })
})
