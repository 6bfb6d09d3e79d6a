import { findSourceMention, type RatesSource } from '@skillos-skills/finance-exchange-rates/rates'

/** A currency the orchestrator found in the request (its `blocks.currencies`). */
export interface CurrencyMention {
  value: string
  span: readonly [number, number]
}

/** What the extractor reads of the orchestrator's building blocks. */
export interface RequestBlocks {
  currencies?: readonly CurrencyMention[]
}

// Three capitals that are not currencies in a conversion request.
const NOT_CODES = new Set(['CBR', 'ECB', 'THE', 'AND', 'VAT', 'USA', 'FOB', 'CIF', 'EXW'])
const TARGET_CUE_RE = /(?:^|[^\p{L}])(?:to|in|into|в|во|на)\s+$/iu

/**
 * The skill's own reading of a conversion request, for what the generic extractors cannot do: the
 * rates publisher from bank names (`по курсу ЕЦБ` → `ecb`, `CBR`/`ЦБ` → `cbr`), and ISO codes the
 * generic currency list does not know (`convert 100 USD to ISK`): a code after to/in/в/на is the
 * target, the other one the source. Returns nothing for currencies when it is not sure.
 *
 * @example
 * ```ts
 * extractConversionRequest('convert 100 USD to ISK', { currencies: [{ value: 'USD', span: [12, 15] }] })
 * // { from: 'USD', to: 'ISK' }
 * ```
 */
export function extractConversionRequest(
  text: string,
  blocks: RequestBlocks,
): { from?: string; to?: string; source?: RatesSource } {
  const out: { from?: string; to?: string; source?: RatesSource } = {}
  const source = findSourceMention(text)
  if (source) out.source = source
  const known = blocks.currencies ?? []
  const extra = [...text.matchAll(/(?<![\p{L}\p{N}])[A-Z]{3}(?![\p{L}\p{N}])/gu)]
    .map((m): CurrencyMention => ({ value: m[0], span: [m.index, m.index + 3] }))
    .filter((m) => !NOT_CODES.has(m.value))
    .filter((m) => !known.some((k) => k.span[0] < m.span[1] && m.span[0] < k.span[1]))
  if (extra.length === 0) return out
  const mentions = [...known, ...extra].sort((a, b) => a.span[0] - b.span[0])
  const targets = mentions.filter((m) =>
    TARGET_CUE_RE.test(text.slice(Math.max(0, m.span[0] - 10), m.span[0])),
  )
  const sources = mentions.filter((m) => !targets.includes(m))
  const [target] = targets
  const [first] = sources
  if (targets.length === 1 && sources.length === 1 && target && first) {
    out.from = first.value
    out.to = target.value
  }
  return out
}
