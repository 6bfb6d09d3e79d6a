import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { resolveVersion } from './resolve.js'
import { parseSkillSpec } from './skill-spec.js'
import type { Packument } from './wire.js'

function packument(
  versions: string[],
  distTags: Record<string, string>,
  deprecated: string[] = [],
): Packument {
  return {
    id: 'acme/convert',
    distTags,
    versions: Object.fromEntries(
      versions.map((version) => [
        version,
        {
          version,
          integrity: 'sha512-AA==',
          tarball: `http://r/acme/convert/-/convert-${version}.tgz`,
          deprecated: deprecated.includes(version) ? 'use 1.1.0' : undefined,
        },
      ]),
    ),
  }
}

const VERSIONS = ['1.0.0', '1.1.0', '1.2.0', '2.0.0', '2.1.0-beta.1']

describe('resolveVersion', () => {
  it('takes the latest dist-tag when no range is given', () => {
    const p = packument(VERSIONS, { latest: '1.2.0', beta: '2.1.0-beta.1' })
    expect(resolveVersion(p).metadata.version).toBe('1.2.0')
  })

  it('resolves a dist-tag name to its version', () => {
    const p = packument(VERSIONS, { latest: '1.2.0', beta: '2.1.0-beta.1' })
    expect(resolveVersion(p, 'beta').metadata.version).toBe('2.1.0-beta.1')
  })

  it('prefers latest when it satisfies the range, else the highest match', () => {
    const p = packument(VERSIONS, { latest: '1.1.0' })
    expect(resolveVersion(p, '^1.0.0').metadata.version).toBe('1.1.0')
    expect(resolveVersion(p, '>=2').metadata.version).toBe('2.0.0')
    expect(resolveVersion(p, '1.0.0').metadata.version).toBe('1.0.0')
  })

  it('skips deprecated versions while another one matches', () => {
    const p = packument(VERSIONS, { latest: '1.2.0' }, ['1.2.0'])
    expect(resolveVersion(p, '^1.0.0').metadata.version).toBe('1.1.0')
    expect(resolveVersion(p, '1.2.0').metadata.version).toBe('1.2.0')
  })

  it('without a latest tag takes the highest release', () => {
    expect(resolveVersion(packument(VERSIONS, {})).metadata.version).toBe('2.0.0')
  })

  it('says which versions exist when nothing matches, and refuses a bad range', () => {
    const p = packument(['1.0.0'], { latest: '1.0.0' })
    expect(() => resolveVersion(p, '^2.0.0')).toThrow(
      'No version of acme/convert matches "^2.0.0" (published: 1.0.0; dist-tags: latest=1.0.0)',
    )
    let error: unknown
    try {
      resolveVersion(p, 'nightly')
    } catch (e) {
      error = e
    }
    expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
  })
})

describe('parseSkillSpec', () => {
  it('splits an id from its range or dist-tag', () => {
    expect(parseSkillSpec('acme/convert')).toEqual({
      id: 'acme/convert',
      scope: 'acme',
      name: 'convert',
    })
    expect(parseSkillSpec('acme/convert@^1.2.0').range).toBe('^1.2.0')
    expect(parseSkillSpec('acme/convert@beta').range).toBe('beta')
  })

  it('refuses what is not scope/name, naming the input', () => {
    expect(() => parseSkillSpec('Convert')).toThrow('Invalid skill id "Convert"')
    expect(() => parseSkillSpec('acme/convert@')).toThrow('nothing after "@"')
  })
})
