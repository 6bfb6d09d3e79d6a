import { SkillOSError } from '@skillos/contracts'
import { annualCost, percentOf, priceForMargin, ratioPercent, toMinor, toRoubles } from './money.js'

/** 44-FZ art. 37: a price 25 % or more below НМЦК triggers the anti-dumping measures. */
export const ANTI_DUMPING_DROP_PERCENT = 25
/** Art. 37 part 1: above this НМЦК the ×1.5 security is the only option. */
export const ANTI_DUMPING_NMCK_LIMIT = 15_000_000
/** Price steps listed at most (0,5 % steps from НМЦК to zero are 200). */
export const MAX_STEPS = 200

export interface BidParameters {
  nmck: number
  costs: number
  marginPercent: number
  bidSecurityPercent: number
  contractSecurityPercent: number
  /** `price`: % of the offered price (44-FZ since 2022); `nmck`: % of НМЦК. */
  contractSecurityBase: 'price' | 'nmck'
  guaranteeRatePercent: number
  guaranteeTermDays: number
  auctionStepPercent: number
}

/** One price and what it brings. Money in roubles. */
export interface PricePoint {
  price: number
  decreasePercent: number
  antiDumping: boolean
  contractSecurity: number
  guaranteeCost: number
  profit: number
  marginPercent: number
}

export interface BidEstimate {
  nmck: number
  costs: number
  target: PricePoint & { requestedMarginPercent: number; feasible: boolean }
  maxMarginAtNmckPercent: number
  bidSecurity: number
  antiDumping: {
    thresholdPrice: number
    appliesAtTarget: boolean
    rule: string
  }
  steps: (PricePoint & { step: number; meetsTarget: boolean })[]
  lowestProfitablePrice?: number
  lowestPriceAtTargetMargin?: number
  flags: { code: string; message: string }[]
}

function invalid(message: string): SkillOSError {
  return new SkillOSError({ code: 'VALIDATION_FAILED', message })
}

/** Refuses what the arithmetic cannot mean: negative money, margins of 100 % or more, … */
export function checkParameters(p: BidParameters): void {
  const finite = (field: string, value: number) => {
    if (!Number.isFinite(value)) throw invalid(`${field}: must be a number, got ${value}`)
  }
  for (const [field, value] of Object.entries(p))
    if (typeof value === 'number') finite(field, value)
  if (p.nmck <= 0) throw invalid(`nmck: must be more than 0 roubles, got ${p.nmck}`)
  if (p.costs < 0) throw invalid(`costs: must be 0 roubles or more, got ${p.costs}`)
  if (p.marginPercent < 0 || p.marginPercent >= 100)
    throw invalid(`marginPercent: must be from 0 to below 100, got ${p.marginPercent}`)
  for (const field of [
    'bidSecurityPercent',
    'contractSecurityPercent',
    'guaranteeRatePercent',
  ] as const) {
    if (p[field] < 0 || p[field] > 100)
      throw invalid(`${field}: must be from 0 to 100, got ${p[field]}`)
  }
  if (
    !Number.isInteger(p.guaranteeTermDays) ||
    p.guaranteeTermDays < 1 ||
    p.guaranteeTermDays > 3650
  )
    throw invalid(
      `guaranteeTermDays: must be a whole number of days from 1 to 3650, got ${p.guaranteeTermDays}`,
    )
  if (p.auctionStepPercent <= 0 || p.auctionStepPercent > 100)
    throw invalid(
      `auctionStepPercent: must be above 0 and at most 100, got ${p.auctionStepPercent}`,
    )
}

/**
 * Prices one bid: the target price (costs ÷ (1 − margin), margin on price), the bid security (% of
 * НМЦК), the contract security at each price (% of the price or of НМЦК; ×1.5 under the 44-FZ art.
 * 37 anti-dumping rule when the price is 25 % or more below НМЦК), the bank guarantee for it
 * (amount × yearly rate × days ÷ 365), and profit at each auction step from НМЦК down to the last
 * price that still covers costs. All money in kopecks internally.
 *
 * @example
 * estimateBid({ nmck: 4_500_000, costs: 3_600_000, marginPercent: 12, …defaults }).target.price // 4090909.1
 */
export function estimateBid(p: BidParameters): BidEstimate {
  checkParameters(p)
  const nmck = toMinor(p.nmck)
  const costs = toMinor(p.costs)
  const threshold = nmck - percentOf(nmck, ANTI_DUMPING_DROP_PERCENT)

  const pointAt = (price: number): PricePoint => {
    const antiDumping = price <= threshold
    const base = p.contractSecurityBase === 'price' ? price : nmck
    const plain = percentOf(base, p.contractSecurityPercent)
    const security = antiDumping ? plain + percentOf(plain, 50) : plain
    const guarantee = annualCost(security, p.guaranteeRatePercent, p.guaranteeTermDays)
    const profit = price - costs - guarantee
    return {
      price: toRoubles(price),
      decreasePercent: ratioPercent(nmck - price, nmck),
      antiDumping,
      contractSecurity: toRoubles(security),
      guaranteeCost: toRoubles(guarantee),
      profit: toRoubles(profit),
      marginPercent: ratioPercent(profit, price),
    }
  }

  const targetPrice = priceForMargin(costs, p.marginPercent)
  const feasible = targetPrice <= nmck
  const target = {
    ...pointAt(targetPrice),
    requestedMarginPercent: p.marginPercent,
    feasible,
  }

  const stepMinor = percentOf(nmck, p.auctionStepPercent)
  const steps: BidEstimate['steps'] = []
  for (let k = 0; k <= MAX_STEPS && stepMinor > 0; k++) {
    const price = nmck - k * stepMinor
    if (price < costs || price <= 0) break
    const point = pointAt(price)
    steps.push({ step: k, ...point, meetsTarget: point.marginPercent >= p.marginPercent })
  }
  const lowestProfitable = steps.filter((s) => s.profit >= 0).at(-1)
  const lowestAtTarget = steps.filter((s) => s.meetsTarget).at(-1)

  const flags: BidEstimate['flags'] = []
  if (costs >= nmck)
    flags.push({
      code: 'COSTS_ABOVE_NMCK',
      message: `Costs ${p.costs} are not below the НМЦК ${p.nmck}: no price in this tender covers them`,
    })
  else if (!feasible)
    flags.push({
      code: 'TARGET_ABOVE_NMCK',
      message: `A ${p.marginPercent} % margin needs ${toRoubles(targetPrice)}, above the НМЦК; at most ${ratioPercent(nmck - costs, nmck)} % is possible`,
    })
  if (target.antiDumping && feasible)
    flags.push({
      code: 'ANTI_DUMPING',
      message: `The target price is ${target.decreasePercent} % below НМЦК (≥ 25 %): contract security ×1.5${p.nmck > ANTI_DUMPING_NMCK_LIMIT ? '' : ' or proof of good faith'} (44-FZ art. 37)`,
    })
  return {
    nmck: toRoubles(nmck),
    costs: toRoubles(costs),
    target,
    maxMarginAtNmckPercent: ratioPercent(nmck - costs, nmck),
    bidSecurity: toRoubles(percentOf(nmck, p.bidSecurityPercent)),
    antiDumping: {
      thresholdPrice: toRoubles(threshold),
      appliesAtTarget: target.antiDumping,
      rule:
        p.nmck > ANTI_DUMPING_NMCK_LIMIT
          ? '44-FZ art. 37: at 25 % or more below НМЦК (over 15 mln) the contract security is 1.5 times the stated amount'
          : '44-FZ art. 37: at 25 % or more below НМЦК (up to 15 mln) the contract security is 1.5 times the stated amount, or the bidder proves good faith (3 contracts without penalties in 3 years)',
    },
    steps,
    ...(lowestProfitable ? { lowestProfitablePrice: lowestProfitable.price } : {}),
    ...(lowestAtTarget ? { lowestPriceAtTargetMargin: lowestAtTarget.price } : {}),
    flags,
  }
}
