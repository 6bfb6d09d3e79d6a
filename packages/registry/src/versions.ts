import { ValidationError } from '@skillos/contracts'
import semver from 'semver'

/** Anything with a version that may be deprecated: a loaded skill, a registry version row. */
export interface Versioned {
  version: string
  deprecated?: { message: string; replacement?: string } | undefined
}

/**
 * Ranges parsed already: every explicit run resolves its skill's range, mostly the same few. A
 * `Range` is not changed by testing versions against it, so one object serves every caller.
 */
const parsedRanges = new Map<string, semver.Range>()
const MAX_PARSED_RANGES = 1_000

/**
 * Parse a semver range (`^1.2.0`, `>=1 <2 || 3.x`, `1.4.2`, `*`, `latest`). `latest` and an empty
 * range mean any release version.
 *
 * @throws ValidationError naming `field` when the range is not valid semver.
 */
export function parseRange(range: string | undefined, field = 'range'): semver.Range {
  const text = range === undefined || range.trim() === '' || range === 'latest' ? '*' : range
  const known = parsedRanges.get(text)
  if (known) return known
  try {
    const parsed = new semver.Range(text)
    if (parsedRanges.size >= MAX_PARSED_RANGES) parsedRanges.clear()
    parsedRanges.set(text, parsed)
    return parsed
  } catch {
    throw new ValidationError(`Invalid ${field} "${text}": not a semver range`, [
      { path: field, message: 'must be a semver range such as "^1.2.0" or ">=1.0.0 <2.0.0"' },
    ])
  }
}

/**
 * Pick the version a range resolves to: the highest satisfying version that is not deprecated, or,
 * when every satisfying version is deprecated, the highest of those (it still runs, with a warning).
 * Prereleases match only ranges that name a prerelease of the same version (semver's rule).
 *
 * @example
 * ```ts
 * pickVersion([{ version: '1.2.0' }, { version: '1.3.0' }, { version: '2.0.0' }], '^1.2.0')?.version // '1.3.0'
 * ```
 */
export function pickVersion<T extends Versioned>(
  candidates: Iterable<T>,
  range: string | semver.Range | undefined,
): T | undefined {
  const parsed = typeof range === 'object' ? range : parseRange(range)
  let best: T | undefined
  let bestDeprecated: T | undefined
  for (const candidate of candidates) {
    if (!parsed.test(candidate.version)) continue
    if (candidate.deprecated) {
      if (!bestDeprecated || semver.gt(candidate.version, bestDeprecated.version))
        bestDeprecated = candidate
    } else if (!best || semver.gt(candidate.version, best.version)) {
      best = candidate
    }
  }
  return best ?? bestDeprecated
}

/** Versions, highest first. */
export function sortVersionsDescending<T extends Versioned>(candidates: Iterable<T>): T[] {
  return [...candidates].sort((a, b) => semver.rcompare(a.version, b.version))
}

/** `finance/exchange-rates@^1.2.0` → `{ id, range }`; a bare id means any version. */
export function parseSkillSpecifier(specifier: string): { id: string; range: string } {
  const at = specifier.indexOf('@', 1)
  if (at === -1) return { id: specifier.trim(), range: '*' }
  return { id: specifier.slice(0, at).trim(), range: specifier.slice(at + 1).trim() || '*' }
}
