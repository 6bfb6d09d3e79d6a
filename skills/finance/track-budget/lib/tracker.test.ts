import { createMemoryStorage } from '@skillos/sdk/testing'
import { describe, expect, it } from 'vitest'
import { expenseKey } from './ledger.js'
import { readTrackerSettings, trackBudget, type TrackerContext } from './tracker.js'

const NOW = Date.parse('2026-11-21T10:00:00Z')

function contextFor(principalId: string, storage = createMemoryStorage()): TrackerContext {
  let n = 0
  return {
    storage,
    principalId,
    settings: readTrackerSettings({}),
    now: NOW,
    newId: () => `e${++n}`,
  }
}

describe('trackBudget', () => {
  it('records an expense under the person and reports the month of it', async () => {
    const ctx = contextFor('anna')
    const answer = await trackBudget({ amount: 1200, category: 'такси' }, ctx)
    expect(answer).toMatchObject({
      action: 'add-expense',
      expense: { date: '2026-11-21', amount: 1200, currency: 'RUB', category: 'taxi' },
      period: { kind: 'month', start: '2026-11-01', end: '2026-11-30', days: 30, daysElapsed: 21 },
      categories: [{ category: 'taxi', spent: 1200, forecast: 1714.29, status: 'no-budget' }],
    })
    expect(answer.message).toBe(
      'Recorded 1\u202f200.00 RUB for taxi on 2026-11-21. Month 2026-11-01 – 2026-11-30, day 21 of 30: taxi: spent 1\u202f200.00 RUB, no budget set, forecast 1\u202f714.29 RUB.',
    )
    expect(await ctx.storage.get(expenseKey('anna', '2026-11-21', 'e1'))).toMatchObject({
      amountMinor: 120000,
    })
  })

  it('sets a budget, replaces it when set again, and warns when spending outpaces it', async () => {
    const ctx = contextFor('anna')
    await trackBudget({ action: 'set-budget', amount: 1000, category: 'taxi' }, ctx)
    await trackBudget({ action: 'set-budget', amount: 2000, category: 'Taxi' }, ctx)
    await trackBudget({ amount: 1500, category: 'taxi', date: '2026-11-02' }, ctx)
    const report = await trackBudget({ action: 'report' }, ctx)
    expect(report.categories).toEqual([
      {
        category: 'taxi',
        spent: 1500,
        budget: 2000,
        remaining: 500,
        forecast: 2142.86,
        status: 'at-risk',
      },
    ])
    expect(report.warnings).toEqual([
      'taxi: at this pace 2\u202f142.86 RUB by 2026-11-30, 142.86 RUB over the 2\u202f000.00 RUB budget',
    ])
    expect(report.message).toContain('Warning: taxi: at this pace')
  })

  it('sets an overall budget when no category is given and files an uncategorised expense under "other"', async () => {
    const ctx = contextFor('anna')
    const set = await trackBudget({ action: 'set-budget', amount: 50000, period: 'week' }, ctx)
    expect(set.budget).toEqual({
      category: 'total',
      period: 'week',
      amount: 50000,
      currency: 'RUB',
    })
    const spent = await trackBudget({ amount: 99.99 }, ctx)
    expect(spent.expense?.category).toBe('other')
    const week = await trackBudget({ period: 'week' }, ctx)
    expect(week.total).toEqual({
      category: 'total',
      spent: 99.99,
      budget: 50000,
      remaining: 49900.01,
      forecast: 116.66,
      status: 'ok',
    })
  })

  it('keeps each person to their own records, even with look-alike ids', async () => {
    const storage = createMemoryStorage()
    await trackBudget({ amount: 700, category: 'food' }, contextFor('anna', storage))
    await trackBudget({ amount: 300, category: 'food' }, contextFor('anna/boris', storage))
    expect((await trackBudget({}, contextFor('anna', storage))).total.spent).toBe(700)
    expect((await trackBudget({}, contextFor('anna/boris', storage))).total.spent).toBe(300)
    expect((await trackBudget({}, contextFor('boris', storage))).total.spent).toBe(0)
  })

  it.each([
    [
      { action: 'add-expense' as const },
      'amount: required to add an expense (how much was spent?)',
    ],
    [{ action: 'set-budget' as const, category: 'taxi' }, 'amount: required to set a budget'],
    [{ amount: -5 }, 'amount: must be a number from 0 to'],
    [{ amount: 5, date: '2026-02-30' }, 'date: "2026-02-30" is not a real date'],
    [{ amount: 5, currency: 'rubles' }, 'currency: "rubles" is not an ISO 4217 currency code'],
  ])('refuses %j with VALIDATION_FAILED naming the field', async (request, message) => {
    await expect(trackBudget(request, contextFor('anna'))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining(message) as string,
    })
  })
})

describe('readTrackerSettings', () => {
  it('defaults to RUB and UTC', () => {
    expect(readTrackerSettings({})).toEqual({ currency: 'RUB', utcOffsetMinutes: 0 })
    expect(readTrackerSettings({ currency: 'eur', utcOffsetMinutes: 180 })).toEqual({
      currency: 'EUR',
      utcOffsetMinutes: 180,
    })
  })

  it('refuses a bad setting as CONFIG_INVALID', () => {
    expect(() => readTrackerSettings({ utcOffsetMinutes: 10_000 })).toThrow(
      'settings utcOffsetMinutes:',
    )
  })
})
