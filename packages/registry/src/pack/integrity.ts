import { createHash, timingSafeEqual } from 'node:crypto'
import { SkillOSError } from '@skillos/contracts'

/** Hash algorithms `verifyIntegrity` understands, strongest first. */
const KNOWN_ALGORITHMS = ['sha512', 'sha384', 'sha256'] as const
type KnownAlgorithm = (typeof KNOWN_ALGORITHMS)[number]

interface IntegrityHash {
  algorithm: KnownAlgorithm
  digest: Buffer
  text: string
}

/**
 * The Subresource Integrity string of `bytes` with SHA-512, the format npm writes into lockfiles.
 *
 * @example
 * ```ts
 * computeIntegrity(new TextEncoder().encode('hello')) // 'sha512-m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw=='
 * ```
 */
export function computeIntegrity(bytes: Uint8Array): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`
}

/**
 * Check `bytes` against an SRI string. Several space-separated hashes are allowed (`sha256-… sha512-…`);
 * the strongest algorithm present is used and any hash of that algorithm may match, as browsers do.
 * Options after `?` are ignored; unknown algorithms (`md5-…`) are skipped.
 *
 * @throws SkillOSError `INTEGRITY_FAILED` naming the expected and the actual hash, or saying that
 *   `integrity` holds no hash this function knows.
 * @example
 * ```ts
 * verifyIntegrity(tarball, packed.integrity) // returns quietly, or throws INTEGRITY_FAILED
 * ```
 */
export function verifyIntegrity(bytes: Uint8Array, integrity: string): void {
  const hashes = parseIntegrity(integrity)
  const strongest = KNOWN_ALGORITHMS.find((algorithm) =>
    hashes.some((hash) => hash.algorithm === algorithm),
  )
  if (strongest === undefined) {
    throw new SkillOSError({
      code: 'INTEGRITY_FAILED',
      message: `Integrity "${integrity}" holds no sha512, sha384 or sha256 hash to check against`,
      details: { expected: integrity },
    })
  }
  const actual = createHash(strongest).update(bytes).digest()
  const candidates = hashes.filter((hash) => hash.algorithm === strongest)
  const matches = candidates.some(
    (hash) => hash.digest.length === actual.length && timingSafeEqual(hash.digest, actual),
  )
  if (!matches) {
    const actualText = `${strongest}-${actual.toString('base64')}`
    const expectedText = candidates.map((hash) => hash.text).join(' ')
    throw new SkillOSError({
      code: 'INTEGRITY_FAILED',
      message: `Integrity check failed: expected ${expectedText}, got ${actualText}`,
      details: { expected: expectedText, actual: actualText },
    })
  }
}

function parseIntegrity(integrity: string): IntegrityHash[] {
  const hashes: IntegrityHash[] = []
  for (const token of integrity.trim().split(/\s+/)) {
    const match = /^(sha512|sha384|sha256)-([A-Za-z0-9+/]+={0,2})(?:\?.*)?$/.exec(token)
    if (!match?.[1] || !match[2]) continue
    hashes.push({
      algorithm: match[1] as KnownAlgorithm,
      digest: Buffer.from(match[2], 'base64'),
      text: `${match[1]}-${match[2]}`,
    })
  }
  return hashes
}
