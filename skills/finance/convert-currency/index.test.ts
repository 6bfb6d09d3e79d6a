import { createLibraryTester, createTestContext, type SkillTester } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import skill from './index.js'

describe('handler', () => {
  it('converts with the skill settings from ctx.config', async () => {
    const out = await skill.handler(
      { amount: 300, from: 'GBP', to: 'EUR' },
      createTestContext({ config: { source: 'ecb' } }),
    )
    expect(out).toMatchObject({
      result: 359.35,
      rate: 1.19782,
      source: 'ecb',
      sourceName: 'European Central Bank',
      date: '2026-11-20',
      live: false,
    })
  })

  it.each([
    [{ amount: 1, from: 'EUR', to: 'XYZ' }, 'to: XYZ is not quoted by the Bank of Russia'],
    [{ amount: -5, from: 'EUR', to: 'RUB' }, 'amount: must be a number of 0 or more, got -5'],
    [
      { amount: 1, from: 'EUR', to: 'RUB', date: '2019-01-01' },
      'date: the offline snapshot has Bank of Russia rates from 2026-11-21 only',
    ],
  ])('refuses %j with VALIDATION_FAILED naming the field', async (input, message) => {
    await expect(skill.handler(input, createTestContext())).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining(message) as string,
    })
  })
})

describe('end to end through the orchestrator', () => {
  let tester: SkillTester

  beforeAll(async () => {
    tester = await createLibraryTester(import.meta.url, {
      now: () => Date.parse('2026-11-21T09:00:00Z'),
    })
  })
  afterAll(async () => {
    await tester.close()
  })

  it.each([
    ['convert 250 EUR to RUB', 250, 'EUR', 'RUB', 21394.48],
    ['переведи 250 евро в рубли', 250, 'EUR', 'RUB', 21394.48],
    ['how much is 100 dollars in yuan', 100, 'USD', 'CNY', 723.88],
    ['сколько будет 5000 рублей в долларах', 5000, 'RUB', 'USD', 61.55],
  ])('"%s" → %d %s in %s = %d', async (text, amount, from, to, result) => {
    const run = await tester.run(text)
    expect(run.status).toBe('succeeded')
    expect(run.skill?.id).toBe('finance/convert-currency')
    expect(run.output).toMatchObject({
      amount,
      from,
      to,
      result,
      source: 'cbr',
      date: '2026-11-21',
    })
    expect((run.output as { text: string }).text).toContain('Bank of Russia rates for 2026-11-21')
  })

  it('reads the publisher from the text: "переведи 300 фунтов в евро по курсу ЕЦБ"', async () => {
    const run = await tester.run('переведи 300 фунтов в евро по курсу ЕЦБ')
    expect(run.skill?.id).toBe('finance/convert-currency')
    expect(run.output).toMatchObject({ result: 359.35, source: 'ecb', date: '2026-11-20' })
  })

  it('asks for the target currency when it is missing', async () => {
    const run = await tester.run('convert 250 EUR')
    expect(run.status).toBe('needs_input')
    expect(run.skill?.id).toBe('finance/convert-currency')
    expect(run.missing?.[0]?.field).toBe('to')
  })

  it('fails the run for a currency no publisher quotes, naming it', async () => {
    const run = await tester.run('convert 100 USD to XYZ')
    expect(run.status).toBe('failed')
    expect(run.error?.code).toBe('VALIDATION_FAILED')
    expect(run.error?.message).toContain('to: XYZ is not quoted by the Bank of Russia')
  })

  it('fails the run for a negative amount', async () => {
    const run = await tester.run({
      skill: 'finance/convert-currency',
      params: { amount: -250, from: 'EUR', to: 'RUB' },
    })
    expect(run.status).toBe('failed')
    expect(run.error?.code).toBe('VALIDATION_FAILED')
    expect(run.error?.message).toContain('amount')
  })
})
