import {
  createLibraryTester,
  createMemoryStorage,
  createTestContext,
  type SkillTester,
} from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import skill from './index.js'
import { periodOf, todayAt } from './lib/periods.js'

type Output = Awaited<ReturnType<typeof skill.handler>>

describe('handler', () => {
  it('keeps expenses per principal in ctx.storage and uses the currency setting', async () => {
    const storage = createMemoryStorage()
    const anna = createTestContext({
      storage,
      principal: { id: 'anna', roles: [] },
      config: { currency: 'EUR' },
    })
    const boris = createTestContext({
      storage,
      principal: { id: 'boris', roles: [] },
      config: { currency: 'EUR' },
    })
    await skill.handler({ amount: 40, category: 'lunch', date: '2026-11-20' }, anna)
    const annas = (await skill.handler({ date: '2026-11-21' }, anna)) as Output
    const boriss = (await skill.handler({ date: '2026-11-21' }, boris)) as Output
    expect(annas.categories).toEqual([
      { category: 'restaurants', spent: 40, forecast: 57.14, status: 'no-budget' },
    ])
    expect(annas.currency).toBe('EUR')
    expect(boriss.total.spent).toBe(0)
    expect((await storage.list('expense/anna/')).length).toBe(1)
  })

  it('refuses a bad setting', async () => {
    await expect(
      skill.handler({}, createTestContext({ config: { currency: 'euro' } })),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    })
  })
})

describe('end to end through the orchestrator', () => {
  let tester: SkillTester
  const month = periodOf(todayAt(Date.now()), 'month')

  beforeAll(async () => {
    tester = await createLibraryTester(import.meta.url)
  })
  afterAll(async () => {
    await tester.close()
  })

  it('records "I spent 1200 rubles on taxi", then reports it in a second run', async () => {
    const added = await tester.run('I spent 1200 rubles on taxi')
    expect(added.status).toBe('succeeded')
    expect(added.skill?.id).toBe('finance/track-budget')
    expect(added.output).toMatchObject({
      action: 'add-expense',
      expense: { amount: 1200, currency: 'RUB', category: 'taxi' },
    })

    const report = await tester.run('how much budget is left this month')
    expect(report.status).toBe('succeeded')
    expect(report.skill?.id).toBe('finance/track-budget')
    expect(report.output).toMatchObject({
      action: 'report',
      period: { kind: 'month', start: month.start, end: month.end },
      categories: [{ category: 'taxi', spent: 1200, status: 'no-budget' }],
      total: { spent: 1200 },
    })
  })

  it('reads Russian: a budget, an expense against it, and "сколько осталось"', async () => {
    const set = await tester.run('установи бюджет 30000 рублей на продукты на месяц')
    expect(set.skill?.id).toBe('finance/track-budget')
    expect(set.output).toMatchObject({
      action: 'set-budget',
      budget: { category: 'groceries', amount: 30000, period: 'month' },
    })

    const spent = await tester.run('потратил 1200 рублей на такси')
    expect(spent.output).toMatchObject({
      action: 'add-expense',
      expense: { amount: 1200, category: 'taxi' },
    })
    const food = await tester.run('запиши расход 3000 рублей на продукты')
    expect(food.output).toMatchObject({
      action: 'add-expense',
      categories: [{ category: 'groceries', spent: 3000, budget: 30000, remaining: 27000 }],
    })

    const left = await tester.run('сколько осталось от бюджета на месяц')
    expect(left.skill?.id).toBe('finance/track-budget')
    const output = left.output as Output
    expect(output.action).toBe('report')
    expect(output.categories.map((c) => [c.category, c.spent, c.remaining])).toEqual([
      ['groceries', 3000, 27000],
      ['taxi', 2400, undefined],
    ])
  })

  it('keeps another person out of these records', async () => {
    const other = await tester.os.run({
      tenant: 'test',
      principal: { id: 'colleague', roles: [] },
      input: 'how much budget is left this month',
    })
    expect(other.status).toBe('succeeded')
    expect(other.output).toMatchObject({ categories: [], total: { spent: 0, status: 'no-budget' } })
  })

  it('fails "set a budget for travel" without an amount, naming the field', async () => {
    const result = await tester.run('set a budget for travel')
    expect(result.skill?.id).toBe('finance/track-budget')
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('amount: required to set a budget') as string,
    })
  })
})
