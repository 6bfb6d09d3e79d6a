import {
  KeyObject,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type JsonWebKey,
} from 'node:crypto'
import { SkillOSError, ValidationError } from '@skillos/contracts'

/** An Ed25519 key as a `KeyObject`, a PEM string (PKCS#8 / SPKI) or a JWK (`{ kty: 'OKP', crv: 'Ed25519', … }`). */
export type SigningKeyInput = KeyObject | string | JsonWebKey

/**
 * The publishers whose signatures unpacking accepts: a list of public keys (their key ids are
 * derived with {@link keyIdOf}), or a map / record from key id to public key (for ids you chose).
 */
export type TrustedKeys =
  | readonly SigningKeyInput[]
  | ReadonlyMap<string, SigningKeyInput>
  | Readonly<Record<string, SigningKeyInput>>

/** A detached signature over a tarball's integrity string. */
export interface SkillSignature {
  keyId: string
  algorithm: 'ed25519'
  /** The 64-byte Ed25519 signature, base64. */
  value: string
}

/**
 * Prepended to the integrity string before signing, so a signature made for a skill can never be
 * replayed as a signature over anything else the same key signs.
 */
export const SIGNATURE_CONTEXT = 'skillos-skill-integrity-v1\n'

/**
 * A new Ed25519 key pair and its key id.
 *
 * @example
 * ```ts
 * const { privateKey, publicKey, keyId } = generateSigningKeys()
 * const packed = await packSkill('skills/finance/convert-currency', { signingKey: privateKey })
 * await unpackSkill(packed.tarball, dest, { signature: packed.signature, trustedKeys: [publicKey] })
 * ```
 */
export function generateSigningKeys(): {
  privateKey: KeyObject
  publicKey: KeyObject
  keyId: string
} {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) }
}

/**
 * The key id of an Ed25519 key (public, or private: its public half is used):
 * `ed25519:` + the first 16 hex digits of the SHA-256 of the public key's SPKI DER encoding.
 *
 * @example
 * ```ts
 * keyIdOf(publicKeyPem) // 'ed25519:3f0c5a1e9b7d2c44'
 * ```
 */
export function keyIdOf(key: SigningKeyInput): string {
  const spki = toPublicKey(key, 'key').export({ type: 'spki', format: 'der' })
  return `ed25519:${createHash('sha256').update(spki).digest('hex').slice(0, 16)}`
}

/**
 * Sign an integrity string (`sha512-…`) with an Ed25519 private key.
 *
 * @param keyId defaults to {@link keyIdOf} the key.
 * @throws ValidationError when `key` is not an Ed25519 private key.
 * @example
 * ```ts
 * const signature = signIntegrity(packed.integrity, privateKeyPem)
 * // { keyId: 'ed25519:3f0c5a1e9b7d2c44', algorithm: 'ed25519', value: 'q1w…==' }
 * ```
 */
export function signIntegrity(
  integrity: string,
  key: SigningKeyInput,
  keyId?: string,
): SkillSignature {
  const privateKey = toPrivateKey(key)
  const value = sign(null, signedMessage(integrity), privateKey).toString('base64')
  return { keyId: keyId ?? keyIdOf(privateKey), algorithm: 'ed25519', value }
}

/**
 * Check that `signature` was made over `integrity` by one of `trustedKeys`.
 *
 * @throws SkillOSError `INTEGRITY_FAILED` when the algorithm is not Ed25519, the key id is not
 *   trusted, or the signature does not match; ValidationError when a trusted key is not Ed25519.
 * @example
 * ```ts
 * verifySignature(packed.integrity, packed.signature, { 'ed25519:3f0c5a1e9b7d2c44': publicKeyPem })
 * ```
 */
export function verifySignature(
  integrity: string,
  signature: SkillSignature,
  trustedKeys: TrustedKeys,
): void {
  if (signature.algorithm !== 'ed25519') {
    throw integrityFailed(
      `Signature algorithm "${String(signature.algorithm)}" is not supported (only ed25519)`,
      signature,
    )
  }
  const keys = resolveTrustedKeys(trustedKeys)
  const publicKey = keys.get(signature.keyId)
  if (publicKey === undefined) {
    const known = [...keys.keys()].join(', ') || 'none'
    throw integrityFailed(
      `Signature was made by key "${signature.keyId}", which is not trusted (trusted: ${known})`,
      signature,
    )
  }
  const bytes = decodeSignature(signature.value)
  if (bytes === undefined || !verify(null, signedMessage(integrity), publicKey, bytes)) {
    throw integrityFailed(
      `Signature by key "${signature.keyId}" does not match integrity ${integrity}`,
      signature,
    )
  }
}

function signedMessage(integrity: string): Buffer {
  return Buffer.from(SIGNATURE_CONTEXT + integrity, 'utf8')
}

function decodeSignature(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined
  const bytes = Buffer.from(value, 'base64')
  return bytes.length === 64 ? bytes : undefined
}

function integrityFailed(message: string, signature: SkillSignature): SkillOSError {
  return new SkillOSError({
    code: 'INTEGRITY_FAILED',
    message,
    details: { keyId: signature.keyId, algorithm: signature.algorithm },
  })
}

function resolveTrustedKeys(trustedKeys: TrustedKeys): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>()
  if (Array.isArray(trustedKeys)) {
    trustedKeys.forEach((key: SigningKeyInput, index) => {
      const publicKey = toPublicKey(key, `trustedKeys[${index}]`)
      keys.set(keyIdOf(publicKey), publicKey)
    })
    return keys
  }
  const entries: Iterable<[string, SigningKeyInput]> =
    trustedKeys instanceof Map
      ? trustedKeys.entries()
      : Object.entries(trustedKeys as Readonly<Record<string, SigningKeyInput>>)
  for (const [keyId, key] of entries) {
    keys.set(keyId, toPublicKey(key, `trustedKeys["${keyId}"]`))
  }
  return keys
}

function toPrivateKey(key: SigningKeyInput): KeyObject {
  let privateKey: KeyObject
  try {
    if (key instanceof KeyObject) privateKey = key
    else if (typeof key === 'string') privateKey = createPrivateKey(key)
    else privateKey = createPrivateKey({ key, format: 'jwk' })
  } catch (error) {
    throw badKey('signingKey', `cannot be read as a private key: ${describe(error)}`, error)
  }
  if (privateKey.type !== 'private') {
    throw badKey('signingKey', `must be a private key, got a ${privateKey.type} key`)
  }
  return requireEd25519(privateKey, 'signingKey')
}

function toPublicKey(key: SigningKeyInput, field: string): KeyObject {
  let publicKey: KeyObject
  try {
    if (key instanceof KeyObject) {
      if (key.type === 'secret') throw new Error('a secret (symmetric) key has no public half')
      publicKey = key.type === 'public' ? key : createPublicKey(key)
    } else if (typeof key === 'string') publicKey = createPublicKey(key)
    else publicKey = createPublicKey({ key, format: 'jwk' })
  } catch (error) {
    throw badKey(field, `cannot be read as a public key: ${describe(error)}`, error)
  }
  return requireEd25519(publicKey, field)
}

function requireEd25519(key: KeyObject, field: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw badKey(field, `must be an Ed25519 key, got ${key.asymmetricKeyType ?? 'an unknown type'}`)
  }
  return key
}

function badKey(field: string, reason: string, cause?: unknown): ValidationError {
  return new ValidationError(
    `Invalid ${field}: ${reason}`,
    [{ path: field, message: reason }],
    cause === undefined ? {} : { cause },
  )
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
