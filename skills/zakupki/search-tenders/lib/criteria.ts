import { SkillOSError } from '@skillos/contracts'
import { queryTerms } from './keywords.js'
import type { Law } from './notice.js'
import { REGIONS, resolveRegion } from './regions.js'
import type { SearchCriteria } from './search.js'

/** The search input as the skill receives it. */
export interface SearchInput {
  query?: string | undefined
  region?: string | undefined
  law?: Law | undefined
  minPrice?: number | undefined
  maxPrice?: number | undefined
  deadlineFrom?: string | undefined
  deadlineTo?: string | undefined
  customer?: string | undefined
}

function invalid(message: string): SkillOSError {
  return new SkillOSError({ code: 'VALIDATION_FAILED', message })
}

function checkDate(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined
  if (!date || date.toISOString().slice(0, 10) !== value)
    throw invalid(`${field}: "${value}" is not a real date (YYYY-MM-DD)`)
  return value
}

function checkPrice(field: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isFinite(value) || value < 0)
    throw invalid(`${field}: must be an amount in roubles of 0 or more, got ${value}`)
  return Math.round(value * 100)
}

/**
 * Turns the skill's input into search criteria, refusing what cannot be searched: an unknown region,
 * an impossible date, a negative or inverted price range, or nothing to search by at all (at least
 * one keyword or filter is required, so a request never dumps the whole registry).
 *
 * @example
 * toCriteria({ region: 'Москва', maxPrice: 5_000_000 }).region?.code // '77'
 */
export function toCriteria(input: SearchInput): SearchCriteria {
  const criteria: SearchCriteria = {}
  const query = input.query?.trim()
  if (query && queryTerms(query).length > 0) criteria.query = query
  if (input.region !== undefined && input.region.trim() !== '') {
    const region = resolveRegion(input.region)
    if (!region) {
      const known = REGIONS.slice(0, 4)
        .map((r) => `"${r.nameRu}"`)
        .join(', ')
      throw invalid(
        `region: unknown region "${input.region}"; use a region name, its capital or its two-digit code (${known}, "77"…)`,
      )
    }
    criteria.region = region
  }
  if (input.law) criteria.law = input.law
  const min = checkPrice('minPrice', input.minPrice)
  const max = checkPrice('maxPrice', input.maxPrice)
  if (min !== undefined && max !== undefined && min > max)
    throw invalid(`minPrice: ${input.minPrice} is above maxPrice ${input.maxPrice}`)
  if (min !== undefined) criteria.minPriceMinor = min
  if (max !== undefined) criteria.maxPriceMinor = max
  const from = checkDate('deadlineFrom', input.deadlineFrom)
  const to = checkDate('deadlineTo', input.deadlineTo)
  if (from && to && from > to) throw invalid(`deadlineFrom: ${from} is after deadlineTo ${to}`)
  if (from) criteria.deadlineFrom = from
  if (to) criteria.deadlineTo = to
  const customer = input.customer?.trim()
  if (customer) criteria.customer = customer
  if (Object.keys(criteria).length === 0) {
    throw invalid(
      query
        ? `query: "${query}" has no searchable keywords; name the goods or works (e.g. "рыба", "office furniture"), a region, a law, an НМЦК range, a deadline or a customer`
        : 'query: say what to search for: keywords (e.g. "рыба", "office furniture"), a region, a law (44-FZ/223-FZ), an НМЦК range, a deadline or a customer',
    )
  }
  return criteria
}
