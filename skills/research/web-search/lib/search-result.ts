/** One ranked hit, whichever provider found it. */
export interface SearchResult {
  /** 1 for the best hit. */
  rank: number
  title: string
  url: string
  /** The passage that matches the query best (documents), or the engine's summary (SearXNG). */
  snippet: string
  /** Documents: BM25 relative to a perfect match, 0–1. SearXNG: the engines' combined score. */
  score: number
  /** `YYYY-MM-DD` when the source says when it was published. */
  publishedDate?: string
  /** SearXNG: the engine(s) that returned the hit. */
  engine?: string
  language?: 'en' | 'ru'
}

/** Round to `digits` decimals without carrying float noise into the output. */
export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** `YYYY-MM-DD` of a date-like string (`2025-03-01`, `2025-03-01T10:00:00Z`), or undefined. */
export function toIsoDate(value: string | null | undefined): string | undefined {
  if (!value) return undefined
  const direct = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim())
  if (direct) {
    const [, y, m, d] = direct
    const date = new Date(`${y}-${m}-${d}T00:00:00Z`)
    return date.getUTCDate() === Number(d) && date.getUTCMonth() + 1 === Number(m)
      ? `${y}-${m}-${d}`
      : undefined
  }
  const parsed = Date.parse(value)
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString().slice(0, 10)
}

/** Collapse whitespace and cut `text` at a word boundary to at most `max` characters, adding `…`. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/u, '')}…`
}
