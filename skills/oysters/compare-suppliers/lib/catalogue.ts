import { readFile } from 'node:fs/promises'
import { VARIETY_IDS } from '@skillos-skills/oysters-parse-price-list/varieties'
import { maskUrl, SkillOSError } from '@skillos/contracts'
import { z } from 'zod'

export const PRICE_UNITS = ['piece', 'dozen', 'kg', 'box'] as const
export type PriceUnit = (typeof PRICE_UNITS)[number]

/** One price of one supplier (the shape parse-price-list produces). */
export const offerSchema = z.object({
  supplier: z.string().optional(),
  variety: z.enum(VARIETY_IDS),
  grade: z.number().int().min(0).max(5).optional(),
  origin: z.string().optional(),
  unit: z.enum(PRICE_UNITS),
  packSize: z.number().int().positive().optional(),
  packWeightKg: z.number().positive().optional(),
  price: z.number().min(0),
  currency: z.string(),
})
export type Offer = z.infer<typeof offerSchema>

/** A supplier's terms and prices. Money amounts are in the supplier's `currency`. */
export const supplierSchema = z.object({
  name: z.string().min(1),
  location: z.string().optional(),
  currency: z.string().length(3),
  /** The smallest order accepted: in pieces, and/or in goods value. */
  minOrder: z
    .object({
      pieces: z.number().int().positive().optional(),
      value: z.number().positive().optional(),
    })
    .optional(),
  /** Delivery to the buyer's consolidation point: a flat fee, free from an order value. */
  delivery: z
    .object({ fee: z.number().min(0), freeFrom: z.number().positive().optional() })
    .optional(),
  offers: z.array(offerSchema.omit({ supplier: true, currency: true })),
})
export type Supplier = z.infer<typeof supplierSchema>

export const catalogueSchema = z.object({
  /** The date the prices were valid, YYYY-MM-DD. */
  asOf: z.string(),
  suppliers: z.array(supplierSchema).min(1),
})
export type Catalogue = z.infer<typeof catalogueSchema>

/** The catalogue this skill ships with (prices of week 47, November 2026). */
export async function loadOfflineCatalogue(): Promise<Catalogue> {
  const text = await readFile(
    new URL('../fixtures/suppliers-2026-11.json', import.meta.url),
    'utf8',
  )
  return catalogueSchema.parse(JSON.parse(text))
}

/**
 * A catalogue from a live endpoint (`GET <url>` answering the same JSON as the offline fixture).
 * Unreachable → `UNAVAILABLE`; a body that is not a catalogue → `UPSTREAM_FAILED`; both name the
 * URL with credentials masked. Never falls back to the offline catalogue.
 */
export async function fetchCatalogue(url: string, signal?: AbortSignal): Promise<Catalogue> {
  const shown = maskUrl(url)
  let response: Response
  try {
    const { target, headers } = withBasicAuth(url)
    response = await fetch(target, { headers, ...(signal ? { signal } : {}) })
  } catch (cause) {
    throw new SkillOSError({
      code: 'UNAVAILABLE',
      message: `supplier catalogue at ${shown} is unreachable: ${describeFailure(cause, url, shown)}`,
      cause,
    })
  }
  if (!response.ok)
    throw new SkillOSError({
      code: 'UNAVAILABLE',
      message: `supplier catalogue at ${shown} answered HTTP ${response.status}`,
    })
  const body: unknown = await response.json().catch(() => undefined)
  const parsed = catalogueSchema.safeParse(body)
  if (!parsed.success)
    throw new SkillOSError({
      code: 'UPSTREAM_FAILED',
      message: `supplier catalogue at ${shown} is not a catalogue: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
    })
  return parsed.data
}

/**
 * Suppliers built from offers passed in (rows of parse-price-list), grouped by supplier name and
 * currency. A supplier also in the catalogue keeps its catalogue terms (minimum order, delivery)
 * when it prices in the same currency.
 */
export function suppliersFromOffers(offers: Offer[], catalogue: Catalogue | undefined): Supplier[] {
  const groups = new Map<string, { name: string; currency: string; offers: Offer[] }>()
  for (const offer of offers) {
    const name = offer.supplier?.trim() || 'Price list'
    const currency = offer.currency.trim().toUpperCase()
    const key = `${name.toLowerCase()}|${currency}`
    const group = groups.get(key) ?? { name, currency, offers: [] }
    group.offers.push(offer)
    groups.set(key, group)
  }
  const currenciesOf = (name: string) =>
    [...groups.values()].filter((g) => g.name.toLowerCase() === name.toLowerCase()).length
  return [...groups.values()].map(({ name, currency, offers: list }) => {
    const known = catalogue?.suppliers.find((s) => s.name.toLowerCase() === name.toLowerCase())
    const sameCurrency = known?.currency === currency
    return {
      name: currenciesOf(name) > 1 ? `${name} (${currency})` : name,
      currency,
      ...(known?.location ? { location: known.location } : {}),
      ...(sameCurrency && known.minOrder ? { minOrder: known.minOrder } : {}),
      ...(sameCurrency && known.delivery ? { delivery: known.delivery } : {}),
      offers: list.map((offer) => ({
        variety: offer.variety,
        unit: offer.unit,
        price: offer.price,
        ...(offer.grade !== undefined ? { grade: offer.grade } : {}),
        ...(offer.origin ? { origin: offer.origin } : {}),
        ...(offer.packSize ? { packSize: offer.packSize } : {}),
        ...(offer.packWeightKg ? { packWeightKg: offer.packWeightKg } : {}),
      })),
    }
  })
}

/** `fetch` refuses URLs with credentials: send them as a Basic authorization header instead. */
function withBasicAuth(url: string): { target: string; headers: Record<string, string> } {
  const target = new URL(url)
  const headers: Record<string, string> = { accept: 'application/json' }
  if (target.username || target.password) {
    const user = decodeURIComponent(target.username)
    const password = decodeURIComponent(target.password)
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
    target.username = ''
    target.password = ''
  }
  return { target: target.toString(), headers }
}

/** The network error in a few words, with the raw URL (and its secrets) replaced by the masked one. */
function describeFailure(cause: unknown, url: string, shown: string): string {
  const error = cause as { message?: string; cause?: { code?: string; message?: string } }
  const detail = error.cause?.code ?? error.cause?.message ?? error.message ?? String(cause)
  return String(detail).split(url).join(shown)
}
