import { createLibraryTester, type SkillTester } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

interface Output {
  nmck: number
  costs: number
  target: { price: number; profit: number; antiDumping: boolean }
  bidSecurity: number
  steps: unknown[]
  flags: { code: string }[]
}

describe('estimate-bid through the orchestrator', () => {
  let tester: SkillTester
  beforeAll(async () => {
    tester = await createLibraryTester(import.meta.url)
  })
  afterAll(() => tester.close())

  it('routes an English request and prices the bid', async () => {
    const result = await tester.run(
      'estimate a bid at 12% margin for a tender with НМЦК 4.5 million rubles and costs of 3.6 million',
    )
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('zakupki/estimate-bid')
    const output = result.output as Output
    expect([output.nmck, output.costs]).toEqual([4_500_000, 3_600_000])
    expect(output.target).toMatchObject({
      price: 4_090_909.1,
      profit: 487_882.95,
      antiDumping: false,
    })
    expect(output.bidSecurity).toBe(45_000)
    expect(output.steps).toHaveLength(41)
  })

  it('routes a Russian request and flags the anti-dumping rule', async () => {
    const result = await tester.run(
      'рассчитай заявку с маржой 10% при НМЦК 10 млн рублей и себестоимости 6 млн',
    )
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('zakupki/estimate-bid')
    const output = result.output as Output
    expect(output.target).toMatchObject({ price: 6_666_666.67, antiDumping: true })
    expect(output.flags.map((f) => f.code)).toEqual(['ANTI_DUMPING'])
  })

  it('asks for the margin when it is not given', async () => {
    const result = await tester.run(
      'what price should I offer if my costs are 3 million and the НМЦК is 4 million',
    )
    expect(result.status).toBe('needs_input')
    expect(result.skill?.id).toBe('zakupki/estimate-bid')
    expect(result.missing?.map((m) => m.field)).toEqual(['marginPercent'])
  })

  it('fails a negative cost with a clear reason', async () => {
    const result = await tester.run({
      input: 'estimate a bid for this tender',
      params: { nmck: 4_500_000, costs: -1, marginPercent: 12 },
    })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('VALIDATION_FAILED')
    expect(result.error?.message).toContain('costs')
  })
})
