import { fromMicros } from '@skillos-skills/oysters-parse-price-list/decimal'
import { describe, expect, it } from 'vitest'
import type { Supplier } from './catalogue.js'
import { quoteOffer, quoteSupplier, type NoQuote, type Order, type Quote } from './quote.js'

const supplier = (over: Partial<Supplier> = {}): Supplier => ({
  name: 'Test',
  currency: 'EUR',
  offers: [],
  ...over,
})

function total(q: Quote | NoQuote): number {
  if (!('total' in q)) throw new Error(q.reason)
  return fromMicros(q.total, 2)
}

const order = (over: Partial<Order> = {}): Order => ({
  variety: 'gillardeau',
  grade: 2,
  quantity: 130,
  unit: 'piece',
  ...over,
})

describe('quoteOffer: pack rounding', () => {
  it.each([
    // offer, order, expected total, expected billed
    [{ unit: 'box', packSize: 50, price: 172.5 }, order(), 517.5, { pieces: 150, packs: 3 }],
    [
      { unit: 'box', packSize: 50, price: 172.5 },
      order({ quantity: 150 }),
      517.5,
      { pieces: 150, packs: 3 },
    ],
    [{ unit: 'piece', packSize: 100, price: 3.38 }, order(), 676, { pieces: 200, packs: 2 }],
    [{ unit: 'piece', price: 3.38 }, order(), 439.4, { pieces: 130 }],
    // Per dozen, no box: whole dozens (130 → 132).
    [{ unit: 'dozen', price: 12.9 }, order(), 141.9, { pieces: 132 }],
    // Per dozen in boxes of 48: 130 → 144 pieces = 12 dozens.
    [{ unit: 'dozen', packSize: 48, price: 12.9 }, order(), 154.8, { pieces: 144, packs: 3 }],
    // 3 boxes ordered, boxes of 48.
    [
      { unit: 'box', packSize: 48, price: 52.8 },
      order({ quantity: 3, unit: 'box' }),
      158.4,
      { pieces: 144, packs: 3 },
    ],
    // 20 dozen of pieces at 1.10.
    [{ unit: 'piece', price: 1.1 }, order({ quantity: 20, unit: 'dozen' }), 264, { pieces: 240 }],
  ] as const)('%j for %j costs %d', (offer, o, expected, billed) => {
    const q = quoteOffer(
      o,
      supplier(),
      { variety: 'gillardeau', grade: 2, ...offer },
      { includeDelivery: true },
    )
    expect(total(q)).toBe(expected)
    expect((q as Quote).billed).toEqual(billed)
  })

  it('explains the rounding', () => {
    const q = quoteOffer(
      order(),
      supplier(),
      { variety: 'gillardeau', grade: 2, unit: 'box', packSize: 50, price: 172.5 },
      { includeDelivery: true },
    )
    expect((q as Quote).reasons).toEqual(['pack rounding: 130 → 150 pieces (3 boxes of 50)'])
  })

  it('adds up 0.1-style prices without float error', () => {
    const q = quoteOffer(
      order({ quantity: 3 }),
      supplier(),
      { variety: 'gillardeau', unit: 'piece', price: 0.1 },
      { includeDelivery: false },
    )
    expect(total(q)).toBe(0.3)
    const dozen = quoteOffer(
      order({ quantity: 1 }),
      supplier(),
      { variety: 'gillardeau', unit: 'dozen', price: 13.9 },
      { includeDelivery: false },
    )
    // One piece of a dozen priced 13.90 still bills a whole dozen.
    expect(total(dozen)).toBe(13.9)
  })
})

describe('quoteOffer: kilograms', () => {
  it('weighs pieces by grade for an offer per kg, in whole boxes', () => {
    const q = quoteOffer(
      order({ variety: 'far-eastern', grade: 1, quantity: 100 }),
      supplier({ currency: 'RUB' }),
      { variety: 'far-eastern', grade: 1, unit: 'kg', packWeightKg: 5, price: 1450 },
      { includeDelivery: false },
    ) as Quote
    // 100 × 135 g = 13.5 kg → 3 boxes of 5 kg = 15 kg × 1450.
    expect(total(q)).toBe(21750)
    expect(q.billed).toEqual({ kg: 15, packs: 3 })
    expect(q.reasons).toEqual([
      'priced per kg: 100 pieces ≈ 13.5 kg at ~135 g (N°1)',
      'pack rounding: 13.5 → 15 kg (3 boxes of 5 kg)',
    ])
  })

  it('turns an order in kg into pieces for a per-piece offer', () => {
    const q = quoteOffer(
      order({ grade: 3, quantity: 10, unit: 'kg' }),
      supplier(),
      { variety: 'gillardeau', grade: 3, unit: 'piece', price: 2.92 },
      { includeDelivery: false },
    ) as Quote
    // 10 000 g / 75 g = 133.3 → 134 pieces.
    expect(q.billed).toEqual({ pieces: 134 })
    expect(total(q)).toBe(391.28)
  })

  it('cannot weigh an ungraded order', () => {
    const q = quoteOffer(
      order({ grade: undefined, quantity: 10, unit: 'kg' }),
      supplier(),
      { variety: 'gillardeau', unit: 'piece', price: 2.92 },
      { includeDelivery: false },
    )
    expect(q).toEqual({
      supplier: 'Test',
      reason: 'kilograms cannot be turned into pieces without a grade',
    })
  })
})

describe('quoteOffer: minimum order and delivery', () => {
  const offer = { variety: 'gillardeau' as const, grade: 2, unit: 'piece' as const, price: 3 }

  it('raises the quantity to a minimum in pieces', () => {
    const q = quoteOffer(order({ quantity: 50 }), supplier({ minOrder: { pieces: 200 } }), offer, {
      includeDelivery: true,
    }) as Quote
    expect(total(q)).toBe(600)
    expect(q.reasons).toEqual(['minimum order 200 pieces: 50 → 200'])
  })

  it('adds the difference up to a minimum value', () => {
    const q = quoteOffer(order({ quantity: 50 }), supplier({ minOrder: { value: 300 } }), offer, {
      includeDelivery: true,
    }) as Quote
    expect(fromMicros(q.minimumTopUp, 2)).toBe(150)
    expect(total(q)).toBe(300)
    expect(q.reasons).toEqual([
      'below the minimum order of 300.00 EUR: 150.00 EUR added (or order more)',
    ])
  })

  it('charges delivery below the free threshold only, and not at all when excluded', () => {
    const s = supplier({ delivery: { fee: 95, freeFrom: 1500 } })
    expect(total(quoteOffer(order({ quantity: 100 }), s, offer, { includeDelivery: true }))).toBe(
      395,
    )
    const free = quoteOffer(order({ quantity: 500 }), s, offer, { includeDelivery: true }) as Quote
    expect(total(free)).toBe(1500)
    expect(free.reasons).toEqual(['free delivery from 1500.00 EUR'])
    expect(total(quoteOffer(order({ quantity: 100 }), s, offer, { includeDelivery: false }))).toBe(
      300,
    )
  })
})

describe('quoteSupplier', () => {
  const s = supplier({
    offers: [
      { variety: 'gillardeau', grade: 3, unit: 'piece', price: 2.9 },
      { variety: 'gillardeau', grade: 4, unit: 'piece', price: 2.5 },
      { variety: 'fine-de-claire', grade: 3, unit: 'box', packSize: 48, price: 52.8 },
      { variety: 'fine-de-claire', grade: 3, unit: 'dozen', price: 13.9 },
    ],
  })

  it('names the grades a supplier has when the grade asked is missing', () => {
    expect(quoteSupplier(order(), s, { includeDelivery: true })).toEqual({
      supplier: 'Test',
      reason: 'missing grade: no N°2 Gillardeau (has N°3, N°4)',
    })
  })

  it('says when the variety is not sold', () => {
    expect(quoteSupplier(order({ variety: 'kumamoto' }), s, { includeDelivery: true })).toEqual({
      supplier: 'Test',
      reason: 'no Kumamoto in the list',
    })
  })

  it('picks the cheapest grade when none is asked, and says so', () => {
    const q = quoteSupplier(order({ grade: undefined, quantity: 10 }), s, {
      includeDelivery: true,
    }) as Quote
    expect(q.offer.grade).toBe(4)
    expect(total(q)).toBe(25)
    expect(q.reasons).toEqual(['no grade asked: N°4 quoted (lowest total)', 'lowest of 2 offers'])
  })

  it('keeps the cheaper of two offers of the same grade', () => {
    // 48 pieces: one box 52.80 vs 4 dozen 55.60.
    const q = quoteSupplier(order({ variety: 'fine-de-claire', grade: 3, quantity: 48 }), s, {
      includeDelivery: true,
    }) as Quote
    expect(q.offer.unit).toBe('box')
    expect(total(q)).toBe(52.8)
  })
})
