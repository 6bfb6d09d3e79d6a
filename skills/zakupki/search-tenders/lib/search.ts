import { queryTerms, scoreKeywords } from './keywords.js'
import type { Law, Notice } from './notice.js'
import type { Region } from './regions.js'

/** What to look for; every field but `query` is an exact filter. */
export interface SearchCriteria {
  query?: string
  region?: Region
  law?: Law
  /** НМЦК bounds in kopecks, inclusive. */
  minPriceMinor?: number
  maxPriceMinor?: number
  /** Submission deadline bounds, `YYYY-MM-DD`, inclusive, Moscow time (as the ЕИС publishes). */
  deadlineFrom?: string
  deadlineTo?: string
  /** Part of the customer's name (case-insensitive) or its INN. */
  customer?: string
}

/** One notice that matched, with its keyword score. */
export interface SearchHit {
  notice: Notice
  score: number
  matchedTerms: string[]
  open: boolean
}

const MSK_OFFSET_MS = 3 * 60 * 60 * 1000

/** The Moscow calendar date (`YYYY-MM-DD`) of a timestamp. */
export function moscowDate(ms: number): string {
  return new Date(ms + MSK_OFFSET_MS).toISOString().slice(0, 10)
}

function customerMatches(notice: Notice, customer: string): boolean {
  const wanted = customer.trim().toLowerCase().replaceAll('ё', 'е')
  const { fullName, inn } = notice.record.customer
  if (/^\d{10}$|^\d{12}$/.test(wanted)) return inn === wanted
  const name = fullName.toLowerCase().replaceAll('ё', 'е').replace(/[«»"]/g, '')
  return name.includes(wanted.replace(/[«»"]/g, ''))
}

/**
 * Filters and ranks notices. Filters are exact (region code, law, НМЦК range, deadline dates in
 * Moscow time, customer name part or INN). Without a deadline filter only notices still open at
 * `asOfMs` are returned. With a `query`, a notice must match at least one keyword; hits are ranked by
 * keyword score, then by the nearest deadline, then by purchase number.
 *
 * @example
 * searchNotices(notices, { query: 'рыба', law: '44-FZ' }, Date.parse('2026-11-16T12:00:00+03:00'))
 */
export function searchNotices(
  notices: readonly Notice[],
  criteria: SearchCriteria,
  asOfMs: number,
): SearchHit[] {
  const terms = criteria.query ? queryTerms(criteria.query) : []
  const deadlineFiltered = criteria.deadlineFrom !== undefined || criteria.deadlineTo !== undefined
  const hits: SearchHit[] = []
  for (const notice of notices) {
    const { record } = notice
    if (criteria.region && record.customer.regionCode !== criteria.region.code) continue
    if (criteria.law && record.law !== criteria.law) continue
    const priced = criteria.minPriceMinor !== undefined || criteria.maxPriceMinor !== undefined
    // Price bounds are in roubles: a notice priced in another currency cannot be compared.
    if (priced && record.maxPrice.currency !== 'RUB') continue
    if (criteria.minPriceMinor !== undefined && notice.nmckMinor < criteria.minPriceMinor) continue
    if (criteria.maxPriceMinor !== undefined && notice.nmckMinor > criteria.maxPriceMinor) continue
    const deadline = moscowDate(notice.deadlineMs)
    if (criteria.deadlineFrom && deadline < criteria.deadlineFrom) continue
    if (criteria.deadlineTo && deadline > criteria.deadlineTo) continue
    const open = notice.deadlineMs > asOfMs
    if (!deadlineFiltered && !open) continue
    if (criteria.customer && !customerMatches(notice, criteria.customer)) continue
    const { score, matched } = scoreKeywords(
      terms,
      record.purchaseObjectInfo,
      record.okpd2.map((o) => o.name),
    )
    if (terms.length > 0 && score === 0) continue
    hits.push({ notice, score: terms.length > 0 ? score : 1, matchedTerms: matched, open })
  }
  return hits.sort(
    (a, b) =>
      b.score - a.score ||
      a.notice.deadlineMs - b.notice.deadlineMs ||
      a.notice.record.purchaseNumber.localeCompare(b.notice.record.purchaseNumber),
  )
}
