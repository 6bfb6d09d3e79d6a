import { ValidationError } from '@skillos/contracts'

/** One stored blob, as a listing reports it. */
export interface BlobEntry {
  /** The blob's key (see {@link blobKeyOf}). */
  key: string
  size: number
  modifiedAt: Date
}

/**
 * Where tarballs live. Blobs are content-addressed by their sha512 integrity, so writing the same
 * bytes twice is harmless and a key never changes meaning. Adapters: local disk
 * ({@link createDiskBlobStore}) and S3-compatible object storage ({@link createS3BlobStore}).
 */
export interface BlobStore {
  /** `disk` or `s3`, and where (secrets masked): for logs and readiness checks. */
  readonly description: string
  /** Store `bytes` under `key`, durably, before resolving. Re-putting an existing key is a no-op. */
  put(key: string, bytes: Uint8Array): Promise<void>
  /** The bytes, or undefined when there is no such blob. */
  get(key: string): Promise<Uint8Array | undefined>
  /** Remove a blob; true when it existed. */
  delete(key: string): Promise<boolean>
  /** Every blob (for the orphan sweep). */
  list(): AsyncIterable<BlobEntry>
  /** Throws `UNAVAILABLE` when the store cannot be read or written. */
  ping(): Promise<void>
}

const INTEGRITY = /^sha512-([A-Za-z0-9+/]{86}==)$/

/**
 * The blob key of a sha512 integrity: the digest in hex (128 characters), safe as a file or
 * object name.
 *
 * @throws ValidationError when `integrity` is not a single sha512 SRI string.
 * @example
 * ```ts
 * blobKeyOf('sha512-m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw==')
 * // '9b71d224bd62f378…'
 * ```
 */
export function blobKeyOf(integrity: string): string {
  const match = INTEGRITY.exec(integrity)
  if (!match?.[1]) {
    throw new ValidationError(`integrity: "${integrity}" is not a sha512 SRI string`, [
      { path: 'integrity', message: 'must be sha512-<base64 of 64 bytes>' },
    ])
  }
  return Buffer.from(match[1], 'base64').toString('hex')
}

/** The integrity a blob key stands for (inverse of {@link blobKeyOf}). */
export function integrityOfBlobKey(key: string): string | undefined {
  if (!/^[0-9a-f]{128}$/.test(key)) return undefined
  return `sha512-${Buffer.from(key, 'hex').toString('base64')}`
}
