import type { JsonSchemaSubset } from '@skillos/contracts'
import { typesOf } from './schema-fit.js'
import { splitIdentifier, stemWord } from './words.js'

/**
 * Which end of a pair a property or a mention stands for: `start` (from, source, base, origin,
 * departure, check-in, min) or `end` (to, target, quote, destination, arrival, check-out, max).
 */
export type Role = 'start' | 'end'

/** What a property holds, which decides the building block that fills it. */
export type PropertyKind =
  | 'enum'
  | 'date'
  | 'datetime'
  | 'time'
  | 'email'
  | 'uri'
  | 'phone'
  | 'uuid'
  | 'currency'
  | 'country'
  | 'city'
  | 'region'
  | 'unit'
  | 'percent'
  | 'amount'
  | 'quantity'
  | 'count'
  | 'number'
  | 'boolean'
  | 'text'

// Word prefixes (lower case) that reveal a kind, checked against the property's name, then its
// title and description. Order matters: the first kind with a hit wins.
const KIND_HINTS: [PropertyKind, RegExp][] = [
  ['email', /^(?:e?mail|почт)/],
  ['phone', /^(?:phone|tel|mobile|телефон)/],
  ['uri', /^(?:url|uri|link|website|site|сайт|ссылк)/],
  ['currency', /^(?:currenc|ccy|валют)/],
  ['unit', /^(?:unit|uom|measure|единиц)/],
  [
    'percent',
    /^(?:percent|pct|margin|markup|discount|vat|rate|процент|марж|наценк|скидк|ндс|ставк)/,
  ],
  [
    'amount',
    /^(?:amount|sum|price|cost|budget|total|fee|payment|nmck|нмцк|нмц|сумм|цен|стоимост|бюджет|оплат|платеж)/,
  ],
  ['quantity', /^(?:quantity|qty|volume|weight|pieces|количеств|объем|вес$|штук)/],
  [
    'count',
    /^(?:count|passenger|adult|child|kid|guest|people|person|pax|night|room|seat|ticket|traveller|traveler|пассажир|взросл|дет|ребен|гост|человек|ноч|мест|билет)/,
  ],
  ['date', /^(?:date|day|дата|дат$|день|checkin|checkout)/],
  ['country', /^(?:country|nation|стран|государств)/],
  ['region', /^(?:region|oblast|province|регион|област|субъект)/],
  ['city', /^(?:city|town|origin|destination|departure|arrival|город|пункт|откуда|куда)/],
]

/** The words of a property's name, title and description, name first. */
export function labelWords(
  name: string,
  schema: JsonSchemaSubset,
): { name: string[]; text: string[] } {
  return {
    name: splitIdentifier(name),
    text: splitIdentifier(`${schema.title ?? ''} ${schema.description ?? ''}`),
  }
}

function hintKind(words: string[]): PropertyKind | undefined {
  const joined = words.join('')
  for (const [kind, re] of KIND_HINTS) {
    // "checkIn" splits into check + in; test the joined form too.
    if (words.some((w) => re.test(w)) || (kind === 'date' && /check(?:in|out)/.test(joined)))
      return kind
  }
  return undefined
}

/**
 * The kind of a property, decided by, in order: `format`; an array's items; hints in the name, then
 * in the title and description (amount/price/сумма → amount, city/origin/destination → city,
 * quantity/qty → quantity, passengers/guests/nights → count, percent/margin/rate → percent…) that
 * agree with the declared type; `enum`; and finally the type (number → number, boolean → boolean,
 * string → text). A string property whose pattern is three capitals is a currency.
 */
export function kindOf(name: string, schema: JsonSchemaSubset): PropertyKind {
  if (schema.items && typesOf(schema)?.includes('array')) return kindOf(name, schema.items)
  switch (schema.format) {
    case 'date':
      return 'date'
    case 'date-time':
      return 'datetime'
    case 'time':
    case 'email':
    case 'uri':
    case 'phone':
    case 'uuid':
    case 'currency':
    case 'country':
      return schema.format
    default:
      break
  }
  const types = typesOf(schema) ?? ['string']
  const numeric = types.includes('number') || types.includes('integer')
  const words = labelWords(name, schema)
  const fits = (kind: PropertyKind | undefined): kind is PropertyKind => {
    if (kind === undefined) return false
    const numericKind = ['percent', 'amount', 'quantity', 'count'].includes(kind)
    return numeric ? numericKind : types.includes('string') && !numericKind
  }
  const hinted = [hintKind(words.name), hintKind(words.text)].find(fits)
  if (hinted) return hinted
  if (schema.pattern === '^[A-Z]{3}$') return 'currency'
  if (schema.enum && !numeric) return 'enum'
  if (numeric) return 'number'
  if (types.includes('boolean')) return 'boolean'
  return 'text'
}

const START_WORDS =
  /^(?:from|source|src|base|origin|departure|depart|start|begin|since|min|minimum|lower|floor|sell|отправлени|откуда|исходн|начал|заезд|минимальн|min)/
const END_WORDS =
  /^(?:to|target|dst|dest|destination|quote|arrival|arrive|end|finish|until|till|return|max|maximum|upper|ceiling|buy|назначени|куда|целев|конец|окончани|выезд|возврат|обратн|максимальн)/

function roleOfWords(words: string[]): Role | undefined {
  const joined = words.join(' ')
  if (/check ?in/.test(joined)) return 'start'
  if (/check ?out/.test(joined)) return 'end'
  const start = words.some((w) => START_WORDS.test(w))
  const end = words.some((w) => END_WORDS.test(w))
  return start === end ? undefined : start ? 'start' : 'end'
}

/**
 * The role of a property, from its name (`from`, `sourceCurrency`, `origin`, `checkIn`,
 * `priceMin` → start; `to`, `quoteCurrency`, `destination`, `checkOut`, `maxPrice` → end), or, when
 * the name says nothing, from its title and description.
 */
export function roleOfProperty(name: string, schema: JsonSchemaSubset): Role | undefined {
  const words = labelWords(name, schema)
  return roleOfWords(words.name) ?? roleOfWords(words.text)
}

/** Which family of cue words applies to a kind. */
export type CueFamily = 'place' | 'date' | 'number'

/** The cue family of a kind: movement between places, a period, or a numeric range. */
export function cueFamilyOf(kind: PropertyKind): CueFamily {
  if (kind === 'date' || kind === 'datetime' || kind === 'time') return 'date'
  if (['percent', 'amount', 'quantity', 'count', 'number'].includes(kind)) return 'number'
  return 'place'
}

const CUES: Record<CueFamily, Record<Role, string>> = {
  place: {
    start: 'from|out\\s+of|ex|из|изо|от|откуда|с|со',
    end: 'to|into|towards|in|в|во|на|до|куда|→|->|=>',
  },
  date: {
    start:
      'from|since|starting|starting\\s+from|starting\\s+on|beginning|after|check[-\\s]?in(?:\\s+on)?|arriving(?:\\s+on)?|с|со|от|начиная\\s+с|после|заезд\\p{L}*|заселение',
    end: 'to|until|till|through|thru|by|returning(?:\\s+on)?|return(?:\\s+on)?|back(?:\\s+on)?|check[-\\s]?out(?:\\s+on)?|по|до|выезд\\p{L}*|обратно|вернуться|возвращение',
  },
  number: {
    start:
      'from|over|above|more\\s+than|at\\s+least|min(?:imum)?|от|свыше|более|больше|не\\s+менее|не\\s+меньше|не\\s+дешевле|начиная\\s+с|min',
    end: 'to|up\\s+to|under|below|less\\s+than|at\\s+most|max(?:imum)?|до|не\\s+более|не\\s+больше|не\\s+дороже|менее|меньше|max',
  },
}
const CUE_RES: Record<CueFamily, Record<Role, RegExp>> = {
  place: compileCues('place'),
  date: compileCues('date'),
  number: compileCues('number'),
}
function compileCues(family: CueFamily): Record<Role, RegExp> {
  const make = (words: string): RegExp => new RegExp(`(?:^|[^\\p{L}])(?:${words})[\\s:,]*$`, 'iu')
  return { start: make(CUES[family].start), end: make(CUES[family].end) }
}

/** A preposition or cue word right before `start` that marks a mention as a start or an end. */
export function cueBefore(text: string, start: number, family: CueFamily): Role | undefined {
  const before = text.slice(Math.max(0, start - 30), start)
  if (CUE_RES[family].end.test(before)) return 'end'
  if (CUE_RES[family].start.test(before)) return 'start'
  return undefined
}

const CONNECTOR = /^\s*(?:-|–|—|→|->|=>|\/|to|into|в|во|на|до|по)\s*$/iu

/** Whether the text between two mentions joins them as a pair in order: "X to Y", "X → Y", "X - Y". */
export function isPairConnector(between: string): boolean {
  return CONNECTOR.test(between)
}

// Words that say the same thing across EN and RU, for matching a property's label near a mention.
const CONCEPTS: string[][] = [
  ['passeng', 'pax', 'пассажир'],
  ['adult', 'взросл'],
  ['child', 'kid', 'дет', 'ребен', 'ребён'],
  ['guest', 'гост'],
  ['night', 'ноч'],
  ['room', 'номер'],
  ['bag', 'luggage', 'baggage', 'багаж', 'чемодан'],
  ['ticket', 'билет'],
  ['people', 'person', 'человек', 'чел'],
  ['grade', 'size', 'калибр', 'размер', 'no', '№', '#'],
  ['price', 'cost', 'цен', 'стоимост'],
  ['budget', 'бюджет'],
  ['margin', 'маржа', 'марж', 'наценк', 'markup'],
  ['discount', 'скидк'],
  ['tax', 'vat', 'ндс', 'налог'],
  ['quantit', 'qty', 'количеств', 'кол-во'],
  ['weight', 'вес'],
]
const LABEL_STOPWORDS = new Set(
  'the a an of for in to from and or with by on at is be as e g eg iso code value values number numbers one which what this that it its в на с по из для и или от до это как'.split(
    ' ',
  ),
)

function sameConcept(a: string, b: string): boolean {
  if (a === b) return true
  if (a.length < 4 || b.length < 4) return false
  const sa = stemWord(a)
  const sb = stemWord(b)
  return sa.startsWith(sb) || sb.startsWith(sa)
}

function conceptOf(term: string): string[] | undefined {
  return CONCEPTS.find((group) =>
    group.some((g) => term.startsWith(g) && (g.length >= 3 || term === g)),
  )
}

/**
 * The label words of a property, widened with their EN/RU equivalents: every word of the name and
 * title, but only the known concepts of the description (its verbs — "Amount to convert" — would
 * otherwise pull in whatever number follows "convert").
 */
export function labelTerms(name: string, schema: JsonSchemaSubset): string[] {
  const own = [...splitIdentifier(name), ...splitIdentifier(schema.title ?? '')]
  const described = splitIdentifier(schema.description ?? '').filter((w) => conceptOf(w))
  const terms = new Set([...own, ...described].filter((w) => !LABEL_STOPWORDS.has(w)))
  for (const term of [...terms]) for (const g of conceptOf(term) ?? []) terms.add(g)
  return [...terms]
}

/** How many of `terms` occur among `words` (EN/RU stems, `№`/`#` signs included). */
export function labelAffinity(terms: string[], words: string[]): number {
  let score = 0
  for (const term of terms) {
    if (words.some((w) => sameConcept(term, w) || (term.length >= 3 && w.startsWith(term)))) score++
  }
  return score
}
