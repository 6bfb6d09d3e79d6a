import {
  divideRounded,
  fromMicros,
  toMicros,
} from '@skillos-skills/oysters-parse-price-list/decimal'
import { varietyById, type VarietyId } from '@skillos-skills/oysters-parse-price-list/varieties'
import type { PriceUnit, Supplier } from './catalogue.js'
import { GRAMS_PER_PIECE } from './grades.js'

/** What the buyer wants. */
export interface Order {
  variety: VarietyId
  grade?: number
  quantity: number
  unit: PriceUnit
}

type SupplierOffer = Supplier['offers'][number]

/** One supplier's price for the order; money in millionths of the supplier's currency. */
export interface Quote {
  supplier: string
  location?: string
  currency: string
  offer: SupplierOffer
  /** What is billed: pieces (piece, dozen and box offers) or kilograms (kg offers). */
  billed: { pieces?: number; kg?: number; packs?: number }
  goods: bigint
  /** Added to reach the supplier's minimum order value. */
  minimumTopUp: bigint
  delivery: bigint
  total: bigint
  reasons: string[]
}

/** Why a supplier cannot quote the order. */
export interface NoQuote {
  supplier: string
  reason: string
}

function money(micros: bigint, currency: string): string {
  return `${fromMicros(micros, 2).toFixed(2)} ${currency}`
}

function gradeLabel(grade: number | undefined): string {
  return grade === undefined ? 'ungraded' : `N°${grade}`
}

function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b - 1e-9)
}

/** Pieces in the order, when they can be known for this offer. */
function orderPieces(
  order: Order,
  offer: SupplierOffer,
  reasons: string[],
): number | { error: string } {
  switch (order.unit) {
    case 'piece':
      return Math.ceil(order.quantity)
    case 'dozen':
      return Math.ceil(order.quantity * 12)
    case 'box': {
      if (!offer.packSize)
        return { error: 'the order is in boxes but the box contents are not stated' }
      const pieces = Math.ceil(order.quantity) * offer.packSize
      reasons.push(`${Math.ceil(order.quantity)} boxes of ${offer.packSize} = ${pieces} pieces`)
      return pieces
    }
    case 'kg': {
      const grade = order.grade ?? offer.grade
      const grams = grade === undefined ? undefined : GRAMS_PER_PIECE[grade]
      if (grams === undefined)
        return { error: 'kilograms cannot be turned into pieces without a grade' }
      const pieces = Math.ceil((order.quantity * 1000) / grams)
      reasons.push(`${order.quantity} kg ≈ ${pieces} pieces at ~${grams} g (${gradeLabel(grade)})`)
      return pieces
    }
  }
}

/** Kilograms in the order, for an offer priced per kg. */
function orderKg(
  order: Order,
  offer: SupplierOffer,
  reasons: string[],
): number | { error: string } {
  if (order.unit === 'kg') return order.quantity
  if (order.unit === 'box') {
    if (!offer.packWeightKg)
      return { error: 'the order is in boxes but the box weight is not stated' }
    return order.quantity * offer.packWeightKg
  }
  const grade = order.grade ?? offer.grade
  const grams = grade === undefined ? undefined : GRAMS_PER_PIECE[grade]
  if (grams === undefined)
    return { error: 'priced per kg, and pieces cannot be weighed without a grade' }
  const pieces = order.unit === 'dozen' ? order.quantity * 12 : order.quantity
  const kg = Math.ceil(pieces * grams) / 1000
  reasons.push(`priced per kg: ${pieces} pieces ≈ ${kg} kg at ~${grams} g (${gradeLabel(grade)})`)
  return kg
}

/**
 * The price of an order at one offer: pack rounding (whole boxes; dozens), the supplier's minimum
 * order (in pieces: the quantity is raised; in value: the difference is added), and delivery.
 * Every adjustment is explained in `reasons`.
 *
 * @example
 * ```ts
 * quoteOffer({ variety: 'gillardeau', grade: 2, quantity: 130, unit: 'piece' }, lestrade, lestrade.offers[0], { includeDelivery: true })
 * // total 612.50 EUR: 3 boxes of 50 (150 pieces) at 172.50 + 95.00 delivery
 * ```
 */
export function quoteOffer(
  order: Order,
  supplier: Supplier,
  offer: SupplierOffer,
  options: { includeDelivery: boolean },
): Quote | NoQuote {
  const reasons: string[] = []
  const price = toMicros(offer.price)
  const currency = supplier.currency
  let goods: bigint
  let billed: Quote['billed']
  if (offer.unit === 'kg') {
    const kg = orderKg(order, offer, reasons)
    if (typeof kg !== 'number') return { supplier: supplier.name, reason: kg.error }
    let billedKg = kg
    let packs: number | undefined
    if (offer.packWeightKg) {
      packs = ceilDiv(kg, offer.packWeightKg)
      billedKg = Math.round(packs * offer.packWeightKg * 1000) / 1000
      if (billedKg > kg)
        reasons.push(
          `pack rounding: ${kg} → ${billedKg} kg (${packs} boxes of ${offer.packWeightKg} kg)`,
        )
    }
    goods = divideRounded(price * BigInt(Math.round(billedKg * 1000)), 1000n)
    billed = { kg: billedKg, ...(packs ? { packs } : {}) }
  } else {
    const needed = orderPieces(order, offer, reasons)
    if (typeof needed !== 'number') return { supplier: supplier.name, reason: needed.error }
    let pieces = needed
    const minPieces = supplier.minOrder?.pieces
    if (minPieces && pieces < minPieces) {
      reasons.push(`minimum order ${minPieces} pieces: ${pieces} → ${minPieces}`)
      pieces = minPieces
    }
    const packSize = offer.unit === 'dozen' ? (offer.packSize ?? 12) : offer.packSize
    if (offer.unit === 'box' && !packSize)
      return {
        supplier: supplier.name,
        reason: 'priced per box but the box contents are not stated',
      }
    const packs = packSize ? ceilDiv(pieces, packSize) : undefined
    const billedPieces = packs && packSize ? packs * packSize : pieces
    if (billedPieces > pieces) {
      const what = offer.unit === 'dozen' && !offer.packSize ? 'dozens' : `boxes of ${packSize}`
      reasons.push(`pack rounding: ${pieces} → ${billedPieces} pieces (${packs} ${what})`)
    }
    if (offer.unit === 'box') goods = price * BigInt(packs ?? 0)
    else if (offer.unit === 'dozen') goods = divideRounded(price * BigInt(billedPieces), 12n)
    else goods = price * BigInt(billedPieces)
    billed = { pieces: billedPieces, ...(packs && offer.packSize ? { packs } : {}) }
  }
  goods = roundToCents(goods)
  let minimumTopUp = 0n
  const minValue = supplier.minOrder?.value
  if (minValue && goods < toMicros(minValue)) {
    minimumTopUp = toMicros(minValue) - goods
    reasons.push(
      `below the minimum order of ${money(toMicros(minValue), currency)}: ${money(minimumTopUp, currency)} added (or order more)`,
    )
  }
  let delivery = 0n
  if (options.includeDelivery && supplier.delivery) {
    const { fee, freeFrom } = supplier.delivery
    if (freeFrom !== undefined && goods + minimumTopUp >= toMicros(freeFrom)) {
      reasons.push(`free delivery from ${money(toMicros(freeFrom), currency)}`)
    } else if (fee > 0) {
      delivery = toMicros(fee)
      reasons.push(`delivery ${money(delivery, currency)}`)
    }
  }
  return {
    supplier: supplier.name,
    ...(supplier.location ? { location: supplier.location } : {}),
    currency,
    offer,
    billed,
    goods,
    minimumTopUp,
    delivery,
    total: goods + minimumTopUp + delivery,
    reasons,
  }
}

function roundToCents(micros: bigint): bigint {
  return divideRounded(micros, 10_000n) * 10_000n
}

/**
 * The supplier's best quote for the order: its offers of the variety at the grade asked (any grade
 * when none is asked), each priced with `quoteOffer`, the lowest total kept. A supplier without the
 * variety or the grade gets a `NoQuote` naming what it has instead.
 */
export function quoteSupplier(
  order: Order,
  supplier: Supplier,
  options: { includeDelivery: boolean },
): Quote | NoQuote {
  const variety = varietyById(order.variety)
  const ofVariety = supplier.offers.filter((o) => o.variety === order.variety)
  if (ofVariety.length === 0)
    return { supplier: supplier.name, reason: `no ${variety.name} in the list` }
  const atGrade =
    order.grade === undefined
      ? ofVariety
      : ofVariety.filter((o) => o.grade === order.grade || o.grade === undefined)
  if (atGrade.length === 0) {
    const has = [...new Set(ofVariety.map((o) => gradeLabel(o.grade)))].join(', ')
    return {
      supplier: supplier.name,
      reason: `missing grade: no ${gradeLabel(order.grade)} ${variety.name} (has ${has})`,
    }
  }
  const quotes = atGrade.map((offer) => quoteOffer(order, supplier, offer, options))
  const priced = quotes.filter((q): q is Quote => 'total' in q)
  const best = priced.sort((a, b) => (a.total < b.total ? -1 : a.total > b.total ? 1 : 0))[0]
  if (!best) return quotes[0] as NoQuote
  if (order.grade === undefined && best.offer.grade !== undefined)
    best.reasons.unshift(`no grade asked: ${gradeLabel(best.offer.grade)} quoted (lowest total)`)
  else if (order.grade !== undefined && best.offer.grade === undefined)
    best.reasons.unshift('the supplier does not state a grade for this variety')
  if (priced.length > 1) best.reasons.push(`lowest of ${priced.length} offers`)
  return best
}
