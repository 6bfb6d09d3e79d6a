import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { estimateBid } from './lib/estimate.js'

/** 2500000 → "2 500 000,00" (Russian grouping, kopecks), for the one-line summary. */
const rub = (amount: number): string =>
  amount.toLocaleString('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

const pointSchema = {
  price: z.number(),
  decreasePercent: z.number(),
  antiDumping: z.boolean(),
  contractSecurity: z.number(),
  guaranteeCost: z.number(),
  profit: z.number(),
  marginPercent: z.number(),
}

export default defineSkill({
  input: z.object({
    nmck: z.number().positive(),
    costs: z.number().min(0),
    marginPercent: z.number().min(0).lt(100),
    bidSecurityPercent: z.number().min(0).max(100).default(1),
    contractSecurityPercent: z.number().min(0).max(100).default(5),
    contractSecurityBase: z.enum(['price', 'nmck']).default('price'),
    guaranteeRatePercent: z.number().min(0).max(100).default(3),
    guaranteeTermDays: z.number().int().min(1).max(3650).default(180),
    auctionStepPercent: z.number().positive().max(100).default(0.5),
  }),
  output: z.object({
    currency: z.literal('RUB'),
    nmck: z.number(),
    costs: z.number(),
    target: z.object({
      ...pointSchema,
      requestedMarginPercent: z.number(),
      feasible: z.boolean(),
    }),
    maxMarginAtNmckPercent: z.number(),
    bidSecurity: z.number(),
    antiDumping: z.object({
      thresholdPrice: z.number(),
      appliesAtTarget: z.boolean(),
      rule: z.string(),
    }),
    steps: z.array(z.object({ step: z.number().int(), ...pointSchema, meetsTarget: z.boolean() })),
    lowestProfitablePrice: z.number().optional(),
    lowestPriceAtTargetMargin: z.number().optional(),
    flags: z.array(z.object({ code: z.string(), message: z.string() })),
    summary: z.string(),
    assumptions: z.object({
      bidSecurityPercent: z.number(),
      contractSecurityPercent: z.number(),
      contractSecurityBase: z.enum(['price', 'nmck']),
      guaranteeRatePercent: z.number(),
      guaranteeTermDays: z.number().int(),
      auctionStepPercent: z.number(),
    }),
  }),
  async handler(input) {
    const estimate = estimateBid(input)
    const { target } = estimate
    const summary = target.feasible
      ? `Bid ${rub(target.price)} RUB for a ${target.requestedMarginPercent}% margin ` +
        `(${target.decreasePercent}% below НМЦК ${rub(estimate.nmck)}, costs ${rub(estimate.costs)}); ` +
        `profit ${rub(target.profit)} RUB, bid security ${rub(estimate.bidSecurity)} RUB, ` +
        `contract security ${rub(target.contractSecurity)} RUB` +
        (target.antiDumping ? ', anti-dumping rule applies' : '')
      : `A ${target.requestedMarginPercent}% margin is out of reach: at НМЦК ${rub(estimate.nmck)} ` +
        `and costs ${rub(estimate.costs)} the margin is at most ${estimate.maxMarginAtNmckPercent}%`
    return {
      currency: 'RUB' as const,
      ...estimate,
      summary,
      assumptions: {
        bidSecurityPercent: input.bidSecurityPercent,
        contractSecurityPercent: input.contractSecurityPercent,
        contractSecurityBase: input.contractSecurityBase,
        guaranteeRatePercent: input.guaranteeRatePercent,
        guaranteeTermDays: input.guaranteeTermDays,
        auctionStepPercent: input.auctionStepPercent,
      },
    }
  },
})
