import { SkillOSError } from '@skillos/contracts'
import { createTestContext } from '@skillos/sdk/testing'
import { describe, expect, it } from 'vitest'
import skill from './index.js'

const input = {
  nmck: 4_500_000,
  costs: 3_600_000,
  marginPercent: 12,
  bidSecurityPercent: 1,
  contractSecurityPercent: 10,
  contractSecurityBase: 'price' as const,
  guaranteeRatePercent: 2.5,
  guaranteeTermDays: 365,
  auctionStepPercent: 1,
}

describe('estimate-bid handler', () => {
  it('prices the bid with the given assumptions and echoes them', async () => {
    const out = await skill.handler(input, createTestContext())
    expect(out.currency).toBe('RUB')
    expect(out.target).toMatchObject({
      price: 4_090_909.1,
      contractSecurity: 409_090.91,
      guaranteeCost: 10_227.27,
      profit: 480_681.83,
    })
    expect(out.steps.map((s) => s.price).slice(0, 3)).toEqual([4_500_000, 4_455_000, 4_410_000])
    expect(out.steps).toHaveLength(21)
    expect(out.assumptions).toEqual({
      bidSecurityPercent: 1,
      contractSecurityPercent: 10,
      contractSecurityBase: 'price',
      guaranteeRatePercent: 2.5,
      guaranteeTermDays: 365,
      auctionStepPercent: 1,
    })
  })

  it('refuses negative costs with the field named', async () => {
    await expect(skill.handler({ ...input, costs: -5 }, createTestContext())).rejects.toSatisfy(
      (error: unknown) =>
        SkillOSError.is(error, 'VALIDATION_FAILED') &&
        error.message === 'costs: must be 0 roubles or more, got -5',
    )
  })
})
