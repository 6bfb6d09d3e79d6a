import { SkillOSError } from '@skillos/contracts'
import semver from 'semver'
import { parseRange, pickVersion } from '../versions.js'
import type { Packument, VersionMetadata } from './wire.js'

/** A version picked from a packument, and why. */
export interface ResolvedVersion {
  id: string
  metadata: VersionMetadata
  /** The range or dist-tag it was resolved from (`latest` when none was given). */
  requested: string
}

function isDistTag(packument: Packument, range: string): boolean {
  return Object.hasOwn(packument.distTags, range) && semver.validRange(range) === null
}

/**
 * Pick the version `range` means in a packument, as npm does: no range → the `latest` dist-tag; a
 * dist-tag name (`beta`) → its version; a semver range → `latest` when it satisfies the range and
 * is not deprecated, otherwise the highest satisfying non-deprecated version (a deprecated one only
 * when nothing else matches).
 *
 * @throws SkillOSError `NOT_FOUND` naming the published versions and dist-tags when nothing matches;
 *   ValidationError for a range that is neither semver nor a dist-tag of this skill.
 * @example
 * ```ts
 * resolveVersion(packument, '^1.2.0').metadata.version // '1.4.0'
 * resolveVersion(packument, 'beta').metadata.version   // '2.0.0-beta.1'
 * ```
 */
export function resolveVersion(packument: Packument, range?: string): ResolvedVersion {
  const requested = range?.trim() || 'latest'
  const versions = Object.values(packument.versions)
  const pick = (range: string | semver.Range) =>
    pickVersion(
      versions.map((metadata) => ({
        version: metadata.version,
        deprecated: metadata.deprecated ? { message: metadata.deprecated } : undefined,
        metadata,
      })),
      range,
    )?.metadata
  const byVersion = (version: string | undefined) =>
    version === undefined ? undefined : packument.versions[version]

  let picked: VersionMetadata | undefined
  if (isDistTag(packument, requested)) {
    picked = byVersion(packument.distTags[requested])
  } else if (requested === 'latest') {
    picked = pick('*')
  } else {
    const parsed = parseRange(requested, `${packument.id}@${requested}`)
    const latest = byVersion(packument.distTags.latest)
    picked = latest && !latest.deprecated && parsed.test(latest.version) ? latest : pick(parsed)
  }
  if (!picked) {
    const published = versions
      .map((v) => v.version)
      .sort(semver.compare)
      .join(', ')
    const tags = Object.entries(packument.distTags)
      .map(([tag, version]) => `${tag}=${version}`)
      .join(', ')
    throw new SkillOSError({
      code: 'NOT_FOUND',
      message: `No version of ${packument.id} matches "${requested}" (published: ${published || 'none'}; dist-tags: ${tags || 'none'})`,
      details: { id: packument.id, range: requested },
    })
  }
  return { id: packument.id, metadata: picked, requested }
}

/** The range an install records when none was asked for: `^<version>` (npm's default). */
export function defaultRange(version: string): string {
  return `^${version}`
}
