import { readFileSync } from 'node:fs'
import { z } from 'zod'

/** A known expense category: a stable id and the EN/RU word patterns that name it. */
export interface Category {
  id: string
  en: string
  ru: string
  patterns: RegExp[]
}

/** The category id of an overall budget: every category together. */
export const TOTAL = 'total'

const fileSchema = z.object({
  categories: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][a-z-]*$/),
        en: z.string().min(1),
        ru: z.string().min(1),
        patterns: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(1),
})

/** Reads and checks a categories file (see `fixtures/categories.json`); throws on a malformed one. */
export function parseCategories(json: string): Category[] {
  const parsed = fileSchema.parse(JSON.parse(json))
  return parsed.categories.map((c) => ({
    ...c,
    patterns: c.patterns.map((p) => new RegExp(p, 'iu')),
  }))
}

/** The categories shipped with the skill. */
export const CATEGORIES: readonly Category[] = parseCategories(
  readFileSync(new URL('../fixtures/categories.json', import.meta.url), 'utf8'),
)

function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.replace(/ё/g, 'е'))
}

/**
 * The known category a text names (`такси` and `taxi` → `taxi`, `на продукты` → `groceries`),
 * or `undefined`.
 *
 * @example
 * ```ts
 * findCategory('monthly food budget') // 'groceries'
 * ```
 */
export function findCategory(
  text: string,
  categories: readonly Category[] = CATEGORIES,
): string | undefined {
  const words = wordsOf(text)
  return categories.find((c) => words.some((w) => c.patterns.some((p) => p.test(w))))?.id
}

/**
 * The category an expense or a budget is filed under: a known one when the text names it, else the
 * text itself, lower-cased and trimmed (at most 40 characters); `total` for an empty text.
 *
 * @example
 * ```ts
 * normalizeCategory('Такси') // 'taxi'
 * normalizeCategory('  Dog  Food ') // 'groceries'
 * normalizeCategory('Boat repair') // 'boat repair'
 * ```
 */
export function normalizeCategory(text: string | undefined): string {
  const cleaned = (text ?? '').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 40)
  if (cleaned === '' || cleaned === TOTAL) return TOTAL
  return findCategory(cleaned) ?? cleaned
}
