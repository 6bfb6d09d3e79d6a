import { describe, expect, it } from 'vitest'
import { parseRange, parseSkillSpecifier, pickVersion, sortVersionsDescending } from './versions.js'

const v = (version: string, deprecated = false) =>
  deprecated ? { version, deprecated: { message: 'old' } } : { version }

describe('pickVersion', () => {
  const versions = [
    v('1.0.0'),
    v('1.2.0'),
    v('1.10.0'),
    v('2.0.0'),
    v('2.1.0-rc.1'),
    v('3.0.0', true),
  ]

  it('picks the highest version matching the range, comparing numerically', () => {
    expect(pickVersion(versions, '^1.0.0')?.version).toBe('1.10.0')
    expect(pickVersion(versions, '~1.2.0')?.version).toBe('1.2.0')
    expect(pickVersion(versions, '>=1.0.0 <2.0.0 || 2.0.0')?.version).toBe('2.0.0')
    expect(pickVersion(versions, '1.0.0')?.version).toBe('1.0.0')
    expect(pickVersion(versions, '^4')).toBeUndefined()
  })

  it('skips prereleases unless the range names one of the same version', () => {
    expect(pickVersion(versions, '^2.0.0')?.version).toBe('2.0.0')
    expect(pickVersion(versions, '>=2.1.0-rc.0')?.version).toBe('2.1.0-rc.1')
  })

  it('prefers a non-deprecated version and falls back to a deprecated one', () => {
    expect(pickVersion(versions, '*')?.version).toBe('2.0.0')
    expect(pickVersion(versions, 'latest')?.version).toBe('2.0.0')
    expect(pickVersion(versions, '^3')?.version).toBe('3.0.0')
  })

  it('rejects a range that is not semver, naming the field', () => {
    expect(() => parseRange('^^1', 'dependencies.finance/x')).toThrow(
      /Invalid dependencies\.finance\/x "\^\^1": not a semver range/,
    )
    expect(() => pickVersion(versions, 'one')).toThrow(/not a semver range/)
  })
})

describe('parseRange', () => {
  it('parses a range once and answers the same range again, refusing a bad one every time', () => {
    const first = parseRange('^1.2.0')
    expect(parseRange('^1.2.0')).toBe(first)
    expect(first.test('1.9.0')).toBe(true)
    expect(first.test('2.0.0')).toBe(false)
    expect(parseRange('latest')).toBe(parseRange(''))
    for (let i = 0; i < 2; i++) expect(() => parseRange('^^1')).toThrow(/not a semver range/)
  })
})

describe('parseSkillSpecifier and sortVersionsDescending', () => {
  it('splits id@range, defaulting to any version', () => {
    expect(parseSkillSpecifier('finance/rates@^1.2.0')).toEqual({
      id: 'finance/rates',
      range: '^1.2.0',
    })
    expect(parseSkillSpecifier('finance/rates')).toEqual({ id: 'finance/rates', range: '*' })
    expect(parseSkillSpecifier('finance/rates@')).toEqual({ id: 'finance/rates', range: '*' })
  })

  it('sorts by semver precedence, highest first', () => {
    expect(
      sortVersionsDescending([v('1.9.0'), v('1.10.0'), v('1.10.0-beta.2')]).map((x) => x.version),
    ).toEqual(['1.10.0', '1.10.0-beta.2', '1.9.0'])
  })
})
