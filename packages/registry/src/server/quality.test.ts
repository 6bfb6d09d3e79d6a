import { describe, expect, it } from 'vitest'
import { computeQuality } from './quality.js'

const now = new Date('2026-01-01T00:00:00Z')

describe('computeQuality', () => {
  it('scores a complete skill 1 and explains each check', () => {
    const quality = computeQuality({
      manifest: {
        description: 'Convert an amount of money between currencies at the current rate',
        examples: ['a', 'b', 'c'],
        license: 'MIT',
      },
      files: ['skill/skill.yaml', 'skill/index.test.ts', 'skill/README.md'],
      signed: true,
      publishedAt: new Date('2025-12-01T00:00:00Z'),
      now,
    })
    expect(quality.score).toBe(1)
    expect(quality.checks.find((c) => c.name === 'tests')?.detail).toBe('has 1 test file')
    expect(quality.checks.find((c) => c.name === 'recent')?.detail).toBe('published 31 days ago')
  })

  it('weights tests above a signature and says what is missing', () => {
    const base = {
      manifest: { description: 'short', examples: [] },
      signed: false,
      publishedAt: new Date('2020-01-01T00:00:00Z'),
      now,
    }
    const withTests = computeQuality({ ...base, files: ['skill/a.spec.ts'] })
    const signed = computeQuality({ ...base, files: [], signed: true })
    expect(withTests.score).toBeGreaterThan(signed.score)
    const bare = computeQuality({ ...base, files: [] })
    expect(bare.score).toBe(0)
    expect(bare.checks.map((c) => c.detail)).toEqual(
      expect.arrayContaining([
        'has no tests',
        'description is short (5 < 40 characters)',
        'has 0 of 3 examples',
      ]),
    )
  })
})
