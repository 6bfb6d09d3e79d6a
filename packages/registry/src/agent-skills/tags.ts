/** The manifest's tag rule: lowercase letters or digits first, then those and hyphens. */
export const TAG_PATTERN = /^[\p{Ll}\p{N}][\p{Ll}\p{N}-]*$/u
/** The manifest's tag limit. */
export const MAX_TAGS = 32

/** Tags read from metadata: the usable ones, and the entries that could not be made into a tag. */
export interface ReadTags {
  tags: string[]
  rejected: string[]
  /** How many valid tags were left out because of {@link MAX_TAGS}. */
  dropped: number
}

/**
 * Tags from `metadata.tags` / `metadata.keywords` values. A string is split on commas (or on
 * whitespace when it has no commas); each entry of a list is one tag. Each tag is trimmed,
 * lowercased, with a leading `#` dropped and inner whitespace or underscores turned into hyphens;
 * what still breaks {@link TAG_PATTERN} is rejected. Duplicates are dropped; at most 32 are kept.
 *
 * @example
 * ```ts
 * readTags(['PDF, Forms', ['#ocr', 'C++']]) // { tags: ['pdf', 'forms', 'ocr'], rejected: ['C++'], dropped: 0 }
 * ```
 */
export function readTags(sources: readonly unknown[]): ReadTags {
  const tags = new Set<string>()
  const rejected: string[] = []
  let dropped = 0
  for (const entry of sources.flatMap(tagEntries)) {
    const tag = entry
      .trim()
      .toLowerCase()
      .replace(/^#/, '')
      .replace(/[\s_]+/g, '-')
    if (tag === '') continue
    if (!TAG_PATTERN.test(tag)) rejected.push(entry.trim())
    else if (tags.has(tag)) continue
    else if (tags.size >= MAX_TAGS) dropped++
    else tags.add(tag)
  }
  return { tags: [...tags], rejected, dropped }
}

function tagEntries(value: unknown): string[] {
  if (typeof value === 'string') return value.split(value.includes(',') ? ',' : /\s+/)
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)]
  // A list entry is one tag even with spaces in it ("machine learning" → machine-learning).
  if (Array.isArray(value))
    return value.flatMap((entry) =>
      typeof entry === 'string' || typeof entry === 'number' ? [String(entry)] : [],
    )
  return []
}
