import type { RatesSource } from './rate-table.js'

/** A currency the orchestrator found in the request (its `blocks.currencies`). */
export interface CurrencyMention {
  value: string
  text: string
  span: readonly [number, number]
}

/** What the extractor reads of the orchestrator's building blocks. */
export interface RequestBlocks {
  currencies?: readonly CurrencyMention[]
}

const ECB_RE =
  /(?:^|[^\p{L}])(?:ECB|ЕЦБ|European\s+Central\s+Bank|Европейск\p{L}*\s+центральн\p{L}*\s+банк\p{L}*|евроцентробанк\p{L}*)(?![\p{L}])/iu
const CBR_RE =
  /(?:^|[^\p{L}])(?:CBR|CBRF|Bank\s+of\s+Russia|Russian\s+central\s+bank|central\s+bank\s+of\s+(?:the\s+)?Russia\p{L}*|ЦБ(?:\s*РФ)?|ЦБР|центробанк\p{L}*|центральн\p{L}*\s+банк\p{L}*|банк\p{L}*\s+росси\p{L}*)(?![\p{L}])/iu

/**
 * The publisher a request names: the ECB (`ECB`, `ЕЦБ`, `European Central Bank`) or the Bank of
 * Russia (`CBR`, `ЦБ`, `ЦБ РФ`, `центробанк`, `Bank of Russia`); `undefined` when it names neither.
 *
 * @example
 * ```ts
 * findSourceMention('официальный курс евро ЦБ РФ') // 'cbr'
 * findSourceMention('курсы ЕЦБ на вчера') // 'ecb'
 * ```
 */
export function findSourceMention(text: string): RatesSource | undefined {
  if (ECB_RE.test(text)) return 'ecb'
  if (CBR_RE.test(text)) return 'cbr'
  return undefined
}

// A currency after these words is what the others are quoted in: "euro in dollars", "доллар к евро".
const BASE_CUE_RE =
  /(?:^|[^\p{L}])(?:in|into|against|vs\.?|versus|to|relative\s+to|base|based\s+on|к|ко|в|во|относительно|против)\s+(?:the\s+)?$/iu

/**
 * The skill's own reading of a rates request, for what the generic extractor cannot do: the
 * publisher (`source`) from bank names, and the currency the rates are quoted in (`base`) from
 * "… in dollars", "… against the euro", "курс доллара к евро" — the other currencies become
 * `currencies`.
 *
 * @example
 * ```ts
 * extractRatesRequest('курс доллара к евро', { currencies: [usd, eur] }) // { base: 'EUR', currencies: ['USD'] }
 * ```
 */
export function extractRatesRequest(
  text: string,
  blocks: RequestBlocks,
): { source?: RatesSource; base?: string; currencies?: string[] } {
  const out: { source?: RatesSource; base?: string; currencies?: string[] } = {}
  const source = findSourceMention(text)
  if (source) out.source = source
  const mentions = [...(blocks.currencies ?? [])].sort((a, b) => a.span[0] - b.span[0])
  const cued = mentions.filter((m) =>
    BASE_CUE_RE.test(text.slice(Math.max(0, m.span[0] - 20), m.span[0])),
  )
  const base = cued.at(-1)
  if (base) {
    out.base = base.value
    const others = [...new Set(mentions.map((m) => m.value).filter((v) => v !== base.value))]
    if (others.length > 0) out.currencies = others
  }
  return out
}
