import { fromNumber, ratio } from '@skillos-skills/finance-exchange-rates/rates'
import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { readMarginSettings } from './costs.js'
import { extractMarginRequest, type MoneyMention } from './extract.js'
import { computeMargin, type MarginInput } from './margin.js'

const eurRub = fromNumber(85.5779)
const base: MarginInput = {
  purchasePrice: 1.2,
  purchaseRate: eurRub,
  freightPerPiece: 0.35,
  freightRate: eurRub,
  dutyPercent: 7,
  vatPercent: 10,
  vatPayer: true,
  quantity: 1,
}

describe('computeMargin', () => {
  it('prices 1.20 EUR oysters sold at 450 RUB (CBR 85.5779)', () => {
    const r = computeMargin({ ...base, salePrice: 450 })
    expect([
      r.purchase.perPiece,
      r.freight.perPiece,
      r.customsValue.perPiece,
      r.duty.perPiece,
      r.importVat.perPiece,
      r.landedCost.perPiece,
    ]).toEqual([102.69, 29.95, 132.65, 9.29, 14.19, 141.93])
    expect(r.sale).toEqual({
      price: { perPiece: 450, total: 450 },
      netPrice: { perPiece: 409.09, total: 409.09 },
      outputVat: { perPiece: 40.91, total: 40.91 },
      profit: { perPiece: 267.16, total: 267.16 },
      marginPercent: 65.31,
      markupPercent: 188.23,
    })
  })

  it('computes totals from exact per-piece values, not from rounded ones', () => {
    const r = computeMargin({ ...base, quantity: 1000, salePrice: 450 })
    // 141.93094715 × 1000, not 141.93 × 1000.
    expect(r.landedCost).toEqual({ perPiece: 141.93, total: 141930.95 })
    expect(r.sale?.profit.total).toBe(267159.96)
  })

  it.each([
    // target margin, net price, retail price (VAT 10 % on top)
    [40, 236.55, 260.21],
    [0, 141.93, 156.12],
    [50, 283.86, 312.25],
  ])('prices a %d%% target margin', (target, net, retail) => {
    const r = computeMargin({ ...base, targetMargin: target })
    expect([r.target?.netPrice.perPiece, r.target?.retailPrice.perPiece]).toEqual([net, retail])
  })

  it('counts import VAT as a cost for a business that does not recover it', () => {
    const r = computeMargin({ ...base, vatPayer: false, salePrice: 450 })
    expect(r.landedCost.perPiece).toBe(156.12)
    // No VAT to remit on the sale: the whole 450 is the net price.
    expect(r.sale?.netPrice.perPiece).toBe(450)
    expect(r.sale?.marginPercent).toBe(65.31)
  })

  it('works in one currency with no rate and no float error', () => {
    const r = computeMargin({
      ...base,
      purchasePrice: 0.1,
      purchaseRate: ratio(1n),
      freightPerPiece: 0.2,
      freightRate: ratio(1n),
      dutyPercent: 0,
      vatPercent: 0,
      quantity: 3,
      salePrice: 0.6,
    })
    expect(r.landedCost).toEqual({ perPiece: 0.3, total: 0.9 })
    expect(r.sale?.marginPercent).toBe(50)
    expect(r.sale?.markupPercent).toBe(100)
  })

  it('shows a loss as a negative margin', () => {
    const r = computeMargin({ ...base, salePrice: 120 })
    expect(r.sale?.profit.perPiece).toBe(-32.84)
    expect(r.sale?.marginPercent).toBe(-30.1)
  })

  it('refuses a target margin of 100% or more', () => {
    try {
      computeMargin({ ...base, targetMargin: 100 })
      expect.unreachable()
    } catch (error) {
      expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
      expect((error as Error).message).toBe(
        'targetMargin: 100% is not possible — a margin is below 100% of the price',
      )
    }
  })
})

describe('extractMarginRequest', () => {
  const money = (text: string, ...found: [string, number, string][]): MoneyMention[] =>
    found.map(([written, amount, currency]) => {
      const start = text.indexOf(written)
      return { value: { amount, currency }, span: [start, start + written.length] }
    })

  it.each([
    [
      'what is my margin at 450 rubles a piece if I buy at 1.20 euro',
      [
        ['450 rubles', 450, 'RUB'],
        ['1.20 euro', 1.2, 'EUR'],
      ],
      { salePrice: 450, saleCurrency: 'RUB', purchasePrice: 1.2, purchaseCurrency: 'EUR' },
    ],
    [
      'закупка 1,20 евро, продаю по 450 рублей — какая маржа',
      [
        ['1,20 евро', 1.2, 'EUR'],
        ['450 рублей', 450, 'RUB'],
      ],
      { purchasePrice: 1.2, purchaseCurrency: 'EUR', salePrice: 450, saleCurrency: 'RUB' },
    ],
    [
      'по какой цене продавать устрицы по 2,90 евро закупки',
      [['2,90 евро', 2.9, 'EUR']],
      { purchasePrice: 2.9, purchaseCurrency: 'EUR' },
    ],
    [
      'purchase price 3.40 EUR, freight 0.40 EUR a piece, sell at 690 RUB, 1 000 oysters, rate 91.5, duty 5%',
      [
        ['3.40 EUR', 3.4, 'EUR'],
        ['0.40 EUR', 0.4, 'EUR'],
        ['690 RUB', 690, 'RUB'],
      ],
      {
        purchasePrice: 3.4,
        purchaseCurrency: 'EUR',
        freightPerPiece: 0.4,
        freightCurrency: 'EUR',
        salePrice: 690,
        saleCurrency: 'RUB',
        quantity: 1000,
        exchangeRate: 91.5,
        dutyPercent: 5,
      },
    ],
    [
      'какая маржа при цене 450 ₽ за штуку',
      [['450 ₽', 450, 'RUB']],
      { salePrice: 450, saleCurrency: 'RUB' },
    ],
  ] as [string, [string, number, string][], Record<string, unknown>][])(
    '%s',
    (text, found, expected) => {
      expect(extractMarginRequest(text, money(text, ...found))).toEqual(expected)
    },
  )
})

describe('readMarginSettings', () => {
  it('reads settings and defaults vatPayer to true', () => {
    expect(readMarginSettings({ dutyPercent: 5, cbrUrl: 'x' })).toEqual({
      dutyPercent: 5,
      vatPayer: true,
    })
  })

  it('names a bad setting', () => {
    try {
      readMarginSettings({ vatPercent: 'ten' })
      expect.unreachable()
    } catch (error) {
      expect(SkillOSError.is(error, 'CONFIG_INVALID')).toBe(true)
      expect((error as Error).message).toMatch(/^skills\.settings\.vatPercent: /)
    }
  })
})
