/** One segment of a SkillOS id (`domain` or `name` in `domain/name`). */
export const ID_SEGMENT_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** Longest skill slug: the Agent Skills name limit, so every imported id can be exported again. */
export const MAX_SLUG_LENGTH = 64
/** Longest domain: what is left of the 128-character id after the slug and the `/`. */
export const MAX_DOMAIN_LENGTH = 63

/**
 * `text` as an id segment: accents dropped, lowercased, every run of other characters turned into
 * one hyphen, hyphens trimmed, cut to `maxLength`. `undefined` when nothing usable is left.
 *
 * @example
 * ```ts
 * toIdSegment('Crème Brûlée -- Recipes!', 64) // 'creme-brulee-recipes'
 * ```
 */
export function toIdSegment(text: string, maxLength: number): string | undefined {
  const segment = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '')
  return segment === '' ? undefined : segment
}
