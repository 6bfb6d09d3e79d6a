import { maskUrl, SkillOSError, UnavailableError } from '@skillos/contracts'
import { AwsClient } from 'aws4fetch'
import type { BlobEntry, BlobStore } from './blob-store.js'
import { integrityOfBlobKey } from './blob-store.js'

export interface S3BlobStoreOptions {
  /** Endpoint with the bucket as the first path segment (path-style): `https://s3.example.com/skills`. */
  url: string
  region?: string
  accessKeyId: string
  secretAccessKey: string
  /** Key prefix inside the bucket (default `blobs/`). */
  prefix?: string
  /** Injected fetch (tests); default the global one. */
  fetch?: typeof fetch
}

function xmlValues(xml: string, tag: string): string[] {
  const values: string[] = []
  const pattern = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g')
  for (const match of xml.matchAll(pattern)) values.push(decodeXml(match[1] ?? ''))
  return values
}

function decodeXml(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&')
}

/**
 * A blob store in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Ceph…), requests signed
 * with SigV4 by `aws4fetch`. Objects are `<prefix><key>`; S3 writes are atomic per object, so a
 * crash mid-upload leaves no partial blob under its key.
 *
 * @example
 * ```ts
 * const blobs = createS3BlobStore({
 *   url: 'http://127.0.0.1:9000/skills', region: 'us-east-1',
 *   accessKeyId: 'minio', secretAccessKey: 'minio-secret',
 * })
 * await blobs.ping()
 * ```
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const endpoint = new URL(options.url)
  const bucketUrl = endpoint.toString().replace(/\/+$/, '')
  const masked = maskUrl(bucketUrl)
  const prefix = options.prefix ?? 'blobs/'
  const client = new AwsClient({
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    service: 's3',
    region: options.region ?? 'us-east-1',
    retries: 2,
  })
  const doFetch = options.fetch ?? fetch
  const objectUrl = (key: string) => `${bucketUrl}/${prefix}${key}`

  async function send(url: string, init: RequestInit = {}): Promise<Response> {
    let request: Request
    try {
      request = await client.sign(url, init)
    } catch (cause) {
      throw unreachable(cause)
    }
    try {
      return await doFetch(request)
    } catch (cause) {
      throw unreachable(cause)
    }
  }

  function unreachable(cause: unknown): UnavailableError {
    return new UnavailableError(
      `The S3 blob store at ${masked} could not be reached`,
      { url: masked, service: 's3' },
      cause,
    )
  }

  async function failed(response: Response, what: string): Promise<SkillOSError> {
    const body = await response.text().catch(() => '')
    const code = xmlValues(body, 'Code')[0] ?? ''
    return new SkillOSError({
      code: 'UPSTREAM_FAILED',
      message: `S3 ${what} at ${masked} failed: HTTP ${response.status}${code ? ` ${code}` : ''}`,
      details: { url: masked, status: response.status, s3Code: code },
    })
  }

  return {
    description: `s3 ${masked}`,
    async put(key, bytes) {
      const response = await send(objectUrl(key), {
        method: 'PUT',
        body: bytes,
        headers: { 'content-type': 'application/gzip', 'content-length': String(bytes.length) },
      })
      if (!response.ok) throw await failed(response, `PUT ${key}`)
      await response.arrayBuffer()
    },
    async get(key) {
      const response = await send(objectUrl(key))
      if (response.status === 404) {
        await response.arrayBuffer()
        return undefined
      }
      if (!response.ok) throw await failed(response, `GET ${key}`)
      return new Uint8Array(await response.arrayBuffer())
    },
    async delete(key) {
      const head = await send(objectUrl(key), { method: 'HEAD' })
      await head.arrayBuffer()
      if (head.status === 404) return false
      const response = await send(objectUrl(key), { method: 'DELETE' })
      if (!response.ok && response.status !== 404) throw await failed(response, `DELETE ${key}`)
      await response.arrayBuffer()
      return true
    },
    async *list(): AsyncIterable<BlobEntry> {
      let token: string | undefined
      do {
        const url = new URL(bucketUrl)
        url.searchParams.set('list-type', '2')
        url.searchParams.set('prefix', prefix)
        if (token) url.searchParams.set('continuation-token', token)
        const response = await send(url.toString())
        if (!response.ok) throw await failed(response, 'LIST')
        const xml = await response.text()
        for (const contents of xmlValues(xml, 'Contents')) {
          const key = (xmlValues(contents, 'Key')[0] ?? '').slice(prefix.length)
          if (integrityOfBlobKey(key) === undefined) continue
          yield {
            key,
            size: Number(xmlValues(contents, 'Size')[0] ?? 0),
            modifiedAt: new Date(xmlValues(contents, 'LastModified')[0] ?? 0),
          }
        }
        token =
          xmlValues(xml, 'IsTruncated')[0] === 'true'
            ? xmlValues(xml, 'NextContinuationToken')[0]
            : undefined
      } while (token)
    },
    async ping() {
      const url = new URL(bucketUrl)
      url.searchParams.set('list-type', '2')
      url.searchParams.set('max-keys', '1')
      const response = await send(url.toString())
      if (!response.ok) throw await failed(response, 'LIST (readiness)')
      await response.arrayBuffer()
    },
  }
}
