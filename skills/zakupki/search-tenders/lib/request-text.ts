import { isStopWord } from './keywords.js'
import { findRegionMentions } from './regions.js'

type Span = readonly [number, number]

/** The generic mentions the orchestrator found in a request (a subset of its `ExtractionBlocks`). */
export interface RequestMentions {
  numbers?: readonly { span: Span }[]
  money?: readonly { span: Span }[]
  currencies?: readonly { span: Span }[]
  dates?: readonly { span: Span }[]
  percentages?: readonly { span: Span }[]
  cities?: readonly { span: Span }[]
  countries?: readonly { span: Span }[]
  regions?: readonly { span: Span }[]
  quoted?: readonly { span: Span }[]
}

const MENTION_KEYS = [
  'numbers',
  'money',
  'currencies',
  'dates',
  'percentages',
  'cities',
  'countries',
  'regions',
  'quoted',
] as const

const LAW_MENTION = /(?<![\p{L}\p{N}])(?:44|223)\s*-?\s*(?:фз|fz)(?![\p{L}])/giu

/**
 * What the generic extractors cannot find in a search request: the free-text keywords (`query`) and
 * a region written as a bare name or capital ("в Татарстане", "in Kazan"). Keywords are the words
 * left once filters (money, numbers, dates, places, laws, quoted customer names) and request
 * scaffolding ("find tenders for", "найди закупки на поставку") are removed.
 *
 * @example
 * extractSearchFields('найди тендеры на поставку рыбы в Москве') // { query: 'рыбы', region: 'Москва' }
 */
export function extractSearchFields(
  text: string,
  mentions: RequestMentions = {},
): { query?: string; region?: string } {
  const taken: Span[] = [
    ...MENTION_KEYS.flatMap((key) => (mentions[key] ?? []).map((m) => m.span)),
    ...[...text.matchAll(LAW_MENTION)].map((m): Span => [m.index, m.index + m[0].length]),
  ]
  const regions = findRegionMentions(text)
  taken.push(...regions.map((r) => r.span))
  const words: string[] = []
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu)) {
    const start = m.index
    const end = start + m[0].length
    if (taken.some(([a, b]) => a < end && start < b)) continue
    if (isStopWord(m[0].toLowerCase().replaceAll('ё', 'е'))) continue
    words.push(m[0])
  }
  const region = regions[0]?.region.nameRu
  return {
    ...(words.length > 0 ? { query: words.join(' ') } : {}),
    ...(region ? { region } : {}),
  }
}
