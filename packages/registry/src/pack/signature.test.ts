import { createHash, generateKeyPairSync } from 'node:crypto'
import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import {
  SIGNATURE_CONTEXT,
  generateSigningKeys,
  keyIdOf,
  signIntegrity,
  verifySignature,
  type SkillSignature,
} from './signature.js'

const integrity =
  'sha512-m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw=='

function failure(run: () => void): SkillOSError {
  try {
    run()
  } catch (error) {
    if (SkillOSError.is(error)) return error
    throw error
  }
  throw new Error('expected a SkillOSError')
}

describe('generateSigningKeys and keyIdOf', () => {
  it('derives the key id from the SHA-256 of the public key SPKI', () => {
    const { publicKey, privateKey, keyId } = generateSigningKeys()
    const spki = publicKey.export({ type: 'spki', format: 'der' })
    const expected = `ed25519:${createHash('sha256').update(spki).digest('hex').slice(0, 16)}`
    expect(keyId).toBe(expected)
    expect(keyId).toMatch(/^ed25519:[0-9a-f]{16}$/)
    expect(keyIdOf(privateKey)).toBe(keyId)
    expect(keyIdOf(publicKey.export({ type: 'spki', format: 'pem' }).toString())).toBe(keyId)
    expect(keyIdOf(publicKey.export({ format: 'jwk' }))).toBe(keyId)
  })
})

describe('signIntegrity and verifySignature', () => {
  const keys = generateSigningKeys()

  it('signs and verifies with KeyObjects', () => {
    const signature = signIntegrity(integrity, keys.privateKey)
    expect(signature.keyId).toBe(keys.keyId)
    expect(signature.algorithm).toBe('ed25519')
    expect(Buffer.from(signature.value, 'base64')).toHaveLength(64)
    expect(() => verifySignature(integrity, signature, [keys.publicKey])).not.toThrow()
  })

  it('signs and verifies with PEM strings', () => {
    const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const signature = signIntegrity(integrity, privatePem)
    expect(signature.keyId).toBe(keys.keyId)
    expect(() => verifySignature(integrity, signature, [publicPem])).not.toThrow()
    expect(() => verifySignature(integrity, signature, { [keys.keyId]: publicPem })).not.toThrow()
  })

  it('signs and verifies with JWKs', () => {
    const privateJwk = keys.privateKey.export({ format: 'jwk' })
    const publicJwk = keys.publicKey.export({ format: 'jwk' })
    expect(publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' })
    const signature = signIntegrity(integrity, privateJwk)
    expect(signature.keyId).toBe(keys.keyId)
    expect(() => verifySignature(integrity, signature, [publicJwk])).not.toThrow()
  })

  it('is deterministic, as Ed25519 is', () => {
    expect(signIntegrity(integrity, keys.privateKey).value).toBe(
      signIntegrity(integrity, keys.privateKey).value,
    )
  })

  it('signs the integrity behind a context prefix', async () => {
    const { verify } = await import('node:crypto')
    const signature = signIntegrity(integrity, keys.privateKey)
    const value = Buffer.from(signature.value, 'base64')
    expect(verify(null, Buffer.from(SIGNATURE_CONTEXT + integrity), keys.publicKey, value)).toBe(
      true,
    )
    expect(verify(null, Buffer.from(integrity), keys.publicKey, value)).toBe(false)
  })

  it('refuses a signature over another integrity', () => {
    const signature = signIntegrity(integrity.replace('m3H', 'x3H'), keys.privateKey)
    const error = failure(() => verifySignature(integrity, signature, [keys.publicKey]))
    expect(error.code).toBe('INTEGRITY_FAILED')
    expect(error.message).toBe(
      `Signature by key "${keys.keyId}" does not match integrity ${integrity}`,
    )
  })

  it('refuses a key id that is not trusted, listing the trusted ones', () => {
    const other = generateSigningKeys()
    const signature = signIntegrity(integrity, other.privateKey)
    const error = failure(() => verifySignature(integrity, signature, [keys.publicKey]))
    expect(error.code).toBe('INTEGRITY_FAILED')
    expect(error.message).toBe(
      `Signature was made by key "${other.keyId}", which is not trusted (trusted: ${keys.keyId})`,
    )
    expect(failure(() => verifySignature(integrity, signature, [])).message).toContain(
      '(trusted: none)',
    )
  })

  it('refuses a malformed signature value and an unknown algorithm', () => {
    const signature = signIntegrity(integrity, keys.privateKey)
    const truncated: SkillSignature = { ...signature, value: signature.value.slice(0, 40) }
    expect(failure(() => verifySignature(integrity, truncated, [keys.publicKey])).code).toBe(
      'INTEGRITY_FAILED',
    )
    const rsa = { ...signature, algorithm: 'rsa' } as unknown as SkillSignature
    expect(failure(() => verifySignature(integrity, rsa, [keys.publicKey])).message).toContain(
      'Signature algorithm "rsa" is not supported',
    )
  })

  it('refuses keys that are not Ed25519, naming the option', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const signing = failure(() => signIntegrity(integrity, privateKey))
    expect(signing.code).toBe('VALIDATION_FAILED')
    expect(signing.message).toBe('Invalid signingKey: must be an Ed25519 key, got ec')
    const signature = signIntegrity(integrity, keys.privateKey)
    const trusted = failure(() =>
      verifySignature(integrity, signature, [keys.publicKey, publicKey]),
    )
    expect(trusted.message).toBe('Invalid trustedKeys[1]: must be an Ed25519 key, got ec')
  })

  it('refuses a public key as a signing key, and an unreadable PEM', () => {
    expect(failure(() => signIntegrity(integrity, keys.publicKey)).message).toBe(
      'Invalid signingKey: must be a private key, got a public key',
    )
    expect(failure(() => signIntegrity(integrity, 'not a pem')).message).toContain(
      'Invalid signingKey: cannot be read as a private key',
    )
  })
})
