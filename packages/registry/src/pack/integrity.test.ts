import { createHash } from 'node:crypto'
import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { computeIntegrity, verifyIntegrity } from './integrity.js'

const bytes = new TextEncoder().encode('hello')
const sha = (algorithm: string, input: Uint8Array | string) =>
  `${algorithm}-${createHash(algorithm).update(input).digest('base64')}`

function failure(run: () => void): SkillOSError {
  try {
    run()
  } catch (error) {
    if (SkillOSError.is(error)) return error
    throw error
  }
  throw new Error('expected verifyIntegrity to throw')
}

describe('computeIntegrity', () => {
  it('returns the sha512 SRI string', () => {
    expect(computeIntegrity(bytes)).toBe(
      'sha512-m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw==',
    )
  })
})

describe('verifyIntegrity', () => {
  it('accepts matching sha512, sha384 and sha256 strings', () => {
    expect(() => verifyIntegrity(bytes, computeIntegrity(bytes))).not.toThrow()
    expect(() => verifyIntegrity(bytes, sha('sha384', bytes))).not.toThrow()
    expect(() => verifyIntegrity(bytes, sha('sha256', bytes))).not.toThrow()
  })

  it('names the expected and actual hash when they differ', () => {
    const expected = computeIntegrity(new TextEncoder().encode('bye'))
    const error = failure(() => verifyIntegrity(bytes, expected))
    expect(error.code).toBe('INTEGRITY_FAILED')
    expect(error.message).toBe(
      `Integrity check failed: expected ${expected}, got ${computeIntegrity(bytes)}`,
    )
    expect(error.details).toEqual({ expected, actual: computeIntegrity(bytes) })
  })

  it('uses the strongest algorithm in a multi-hash string', () => {
    // A right sha256 cannot rescue a wrong sha512: the strongest one decides.
    const mixed = `${sha('sha256', bytes)} ${computeIntegrity(new TextEncoder().encode('bye'))}`
    expect(failure(() => verifyIntegrity(bytes, mixed)).code).toBe('INTEGRITY_FAILED')
    const rightStrongest = `${sha('sha256', 'bye')} ${computeIntegrity(bytes)}`
    expect(() => verifyIntegrity(bytes, rightStrongest)).not.toThrow()
  })

  it('accepts any of several hashes of the strongest algorithm, and ignores options and unknown ones', () => {
    const integrity = `md5-XUFAKrxLKna5cZ2REBfFkg== ${computeIntegrity(new TextEncoder().encode('old'))} ${computeIntegrity(bytes)}?foo`
    expect(() => verifyIntegrity(bytes, integrity)).not.toThrow()
  })

  it('refuses a string with no hash it knows', () => {
    const error = failure(() => verifyIntegrity(bytes, 'md5-XUFAKrxLKna5cZ2REBfFkg=='))
    expect(error.code).toBe('INTEGRITY_FAILED')
    expect(error.message).toContain('holds no sha512, sha384 or sha256 hash')
    expect(failure(() => verifyIntegrity(bytes, '')).code).toBe('INTEGRITY_FAILED')
  })
})
