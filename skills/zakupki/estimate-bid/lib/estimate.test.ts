import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { estimateBid, type BidParameters } from './estimate.js'

const defaults: Omit<BidParameters, 'nmck' | 'costs' | 'marginPercent'> = {
  bidSecurityPercent: 1,
  contractSecurityPercent: 5,
  contractSecurityBase: 'price',
  guaranteeRatePercent: 3,
  guaranteeTermDays: 180,
  auctionStepPercent: 0.5,
}
const bid = (p: Partial<BidParameters> & Pick<BidParameters, 'nmck' | 'costs' | 'marginPercent'>) =>
  estimateBid({ ...defaults, ...p })

describe('estimateBid', () => {
  const e = bid({ nmck: 4_500_000, costs: 3_600_000, marginPercent: 12 })

  it('prices the target margin on price, with security and guarantee to the kopeck', () => {
    expect(e.target).toEqual({
      price: 4_090_909.1,
      decreasePercent: 9.09,
      antiDumping: false,
      contractSecurity: 204_545.46,
      guaranteeCost: 3_026.15,
      profit: 487_882.95,
      marginPercent: 11.93,
      requestedMarginPercent: 12,
      feasible: true,
    })
    expect(e.bidSecurity).toBe(45_000)
    expect(e.maxMarginAtNmckPercent).toBe(20)
    expect(e.flags).toEqual([])
  })

  it('lists 0,5 % steps from НМЦК down to costs', () => {
    expect(e.steps).toHaveLength(41)
    expect(e.steps[0]).toMatchObject({
      step: 0,
      price: 4_500_000,
      decreasePercent: 0,
      profit: 896_671.23,
    })
    expect(e.steps[40]).toMatchObject({
      step: 40,
      price: 3_600_000,
      decreasePercent: 20,
      profit: -2_663.01,
    })
    expect(e.lowestProfitablePrice).toBe(3_622_500)
    expect(e.lowestPriceAtTargetMargin).toBe(4_095_000)
    expect(e.antiDumping).toMatchObject({ thresholdPrice: 3_375_000, appliesAtTarget: false })
  })

  it('applies the anti-dumping ×1,5 at 25 % below НМЦК, with good faith as an option up to 15 mln', () => {
    const d = bid({ nmck: 10_000_000, costs: 6_000_000, marginPercent: 10 })
    expect(d.target).toMatchObject({
      price: 6_666_666.67,
      decreasePercent: 33.33,
      antiDumping: true,
      contractSecurity: 500_000,
      guaranteeCost: 7_397.26,
    })
    expect(d.flags).toEqual([
      {
        code: 'ANTI_DUMPING',
        message:
          'The target price is 33.33 % below НМЦК (≥ 25 %): contract security ×1.5 or proof of good faith (44-FZ art. 37)',
      },
    ])
    const first = d.steps.find((s) => s.antiDumping)
    expect([first?.step, first?.price]).toEqual([50, 7_500_000])
    expect(d.steps[49]?.antiDumping).toBe(false)
  })

  it('drops the good-faith option above 15 mln', () => {
    const d = bid({ nmck: 20_000_000, costs: 14_000_000, marginPercent: 5 })
    expect(d.target).toMatchObject({ price: 14_736_842.11, antiDumping: true })
    expect(d.flags[0]?.message).toBe(
      'The target price is 26.32 % below НМЦК (≥ 25 %): contract security ×1.5 (44-FZ art. 37)',
    )
  })

  it('can take the contract security from НМЦК instead of the price', () => {
    const d = bid({
      nmck: 4_500_000,
      costs: 3_600_000,
      marginPercent: 12,
      contractSecurityBase: 'nmck',
    })
    expect(d.target.contractSecurity).toBe(225_000)
    expect(d.steps.every((s) => s.contractSecurity === 225_000)).toBe(true)
  })

  it('says when the margin cannot be reached under the НМЦК', () => {
    const d = bid({ nmck: 1_000_000, costs: 950_000, marginPercent: 10 })
    expect(d.target).toMatchObject({ price: 1_055_555.56, feasible: false })
    expect(d.flags).toEqual([
      {
        code: 'TARGET_ABOVE_NMCK',
        message: 'A 10 % margin needs 1055555.56, above the НМЦК; at most 5 % is possible',
      },
    ])
  })

  it('says when no price covers the costs', () => {
    const d = bid({ nmck: 1_000_000, costs: 1_200_000, marginPercent: 10 })
    expect(d.steps).toEqual([])
    expect(d.lowestProfitablePrice).toBeUndefined()
    expect(d.flags.map((f) => f.code)).toEqual(['COSTS_ABOVE_NMCK'])
  })

  it.each<[Partial<BidParameters>, string]>([
    [{ nmck: 0 }, 'nmck: must be more than 0 roubles, got 0'],
    [{ costs: -1 }, 'costs: must be 0 roubles or more, got -1'],
    [{ marginPercent: 100 }, 'marginPercent: must be from 0 to below 100, got 100'],
    [{ guaranteeRatePercent: -3 }, 'guaranteeRatePercent: must be from 0 to 100, got -3'],
    [
      { guaranteeTermDays: 0.5 },
      'guaranteeTermDays: must be a whole number of days from 1 to 3650, got 0.5',
    ],
    [{ auctionStepPercent: 0 }, 'auctionStepPercent: must be above 0 and at most 100, got 0'],
    [{ costs: Number.NaN }, 'costs: must be a number, got NaN'],
  ])('refuses %j', (override, message) => {
    try {
      bid({ nmck: 4_500_000, costs: 3_600_000, marginPercent: 12, ...override })
      expect.unreachable()
    } catch (error) {
      expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
      expect((error as Error).message).toBe(message)
    }
  })
})
