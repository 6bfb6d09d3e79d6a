import { describe, expect, it } from 'vitest'
import { loadOfflineCatalogue, suppliersFromOffers } from './catalogue.js'
import { compareSuppliers } from './compare.js'
import { extractOrder } from './extract.js'

const catalogue = await loadOfflineCatalogue()

describe('compareSuppliers on the offline catalogue (2026-11-16)', () => {
  it('ranks 130 Gillardeau N°2: pack rounding makes the box seller cheaper', () => {
    const result = compareSuppliers({
      order: { variety: 'gillardeau', grade: 2, quantity: 130, unit: 'piece' },
      suppliers: catalogue.suppliers,
      includeDelivery: true,
    })
    expect(result.currency).toBe('EUR')
    expect(
      result.ranking.map((r) => [r.rank, r.supplier, r.goods, r.delivery, r.total, r.perPiece]),
    ).toEqual([
      [1, 'Maison Lestrade', 517.5, 95, 612.5, 4.0833],
      [2, 'Arcachon Ostréa', 676, 0, 676, 3.38],
    ])
    expect(result.ranking[1]?.reasons).toEqual([
      '63.50 EUR (+10.4%) more than the cheapest',
      'pack rounding: 130 → 200 pieces (2 boxes of 100)',
    ])
    expect(result.notCompared).toEqual([
      { supplier: 'Cancale Ostréiculture', reason: 'no Gillardeau in the list' },
      { supplier: 'ООО «Крымская устрица»', reason: 'no Gillardeau in the list' },
      {
        supplier: 'ООО «Устрицы Опт»',
        reason:
          'priced in RUB (70200.00 RUB); cross-currency comparison is not done — pass exchangeRates with a RUB→EUR rate',
      },
    ])
    expect(result.crossCurrency).toBe('not-done')
    expect(result.summary).toBe(
      'Maison Lestrade: 612.50 EUR, 63.50 EUR less than Arcachon Ostréa (676.00 EUR).',
    )
  })

  it('ranks 300 Gillardeau N°2 the other way round once boxes fit', () => {
    const result = compareSuppliers({
      order: { variety: 'gillardeau', grade: 2, quantity: 300, unit: 'piece' },
      suppliers: catalogue.suppliers,
      includeDelivery: true,
    })
    expect(result.ranking.map((r) => [r.supplier, r.total])).toEqual([
      ['Arcachon Ostréa', 1014],
      ['Maison Lestrade', 1130],
    ])
  })

  it('converts other currencies with the rates given', () => {
    const result = compareSuppliers({
      order: { variety: 'gillardeau', grade: 2, quantity: 130, unit: 'piece' },
      suppliers: catalogue.suppliers,
      includeDelivery: true,
      currency: 'EUR',
      exchangeRates: [{ currency: 'RUB', rate: 0.0105 }],
    })
    expect(result.crossCurrency).toBe('converted')
    // 130 × 540 = 70 200 RUB ≥ 30 000: free delivery; 70 200 × 0.0105 = 737.10 EUR.
    expect(result.ranking.map((r) => [r.supplier, r.total])).toEqual([
      ['Maison Lestrade', 612.5],
      ['Arcachon Ostréa', 676],
      ['ООО «Устрицы Опт»', 737.1],
    ])
    expect(result.ranking[2]?.reasons).toContain('converted from RUB at 0.0105 EUR per RUB')
    expect(result.ranking[2]?.priceCurrency).toBe('RUB')
  })

  it('compares in RUB when asked, leaving the EUR suppliers out', () => {
    const result = compareSuppliers({
      order: { variety: 'black-sea', grade: 3, quantity: 150, unit: 'piece' },
      suppliers: catalogue.suppliers,
      includeDelivery: true,
      currency: 'RUB',
    })
    expect(result.ranking.map((r) => [r.supplier, r.billedPieces, r.total])).toEqual([
      ['ООО «Устрицы Опт»', 156, 34320],
      ['ООО «Крымская устрица»', 200, 41500],
    ])
    expect(result.crossCurrency).toBe('not-needed')
  })

  it('says so when nobody can quote', () => {
    const result = compareSuppliers({
      order: { variety: 'kusshi', quantity: 100, unit: 'piece' },
      suppliers: catalogue.suppliers,
      includeDelivery: true,
    })
    expect(result.ranking).toEqual([])
    expect(result.summary).toBe('No supplier can quote this order.')
    expect(result.notCompared).toHaveLength(5)
  })
})

describe('suppliersFromOffers', () => {
  it('groups parsed rows by supplier and currency and keeps catalogue terms', () => {
    const suppliers = suppliersFromOffers(
      [
        {
          supplier: 'Maison Lestrade',
          variety: 'gillardeau',
          grade: 2,
          unit: 'box',
          packSize: 50,
          price: 170,
          currency: 'EUR',
        },
        {
          supplier: 'New Farm',
          variety: 'gillardeau',
          grade: 2,
          unit: 'piece',
          price: 3.3,
          currency: 'EUR',
        },
        {
          supplier: 'New Farm',
          variety: 'gillardeau',
          grade: 2,
          unit: 'piece',
          price: 330,
          currency: 'RUB',
        },
      ],
      catalogue,
    )
    expect(suppliers.map((s) => [s.name, s.currency, s.minOrder, s.delivery])).toEqual([
      ['Maison Lestrade', 'EUR', { value: 300 }, { fee: 95, freeFrom: 1500 }],
      ['New Farm (EUR)', 'EUR', undefined, undefined],
      ['New Farm (RUB)', 'RUB', undefined, undefined],
    ])
  })
})

describe('extractOrder', () => {
  it.each([
    [
      'which supplier is cheapest for 300 Gillardeau No.2',
      { variety: 'gillardeau', grade: 2, includeDelivery: true },
    ],
    [
      'сравни поставщиков на 150 черноморских устриц калибр 3',
      { variety: 'black-sea', grade: 3, includeDelivery: true },
    ],
    ['где выгоднее заказать устрицы номер 3', { grade: 3, includeDelivery: true }],
    [
      '200 Spéciale de Claire N°3 without delivery',
      { variety: 'speciale-de-claire', grade: 3, includeDelivery: false },
    ],
    [
      'у кого дешевле 300 Жиллардо №2 без доставки',
      { variety: 'gillardeau', grade: 2, includeDelivery: false },
    ],
    ['rank oyster suppliers by total price', { includeDelivery: true }],
  ])('%s', (text, expected) => {
    expect(extractOrder(text)).toEqual(expected)
  })
})
