import { parseServiceUrl } from './connection-url.js'
import type { KeyValueStore, OpenKeyValueOptions } from './key-value.js'
import { createMemoryKeyValue } from './memory-key-value.js'
import { createRedisKeyValue } from './redis-key-value.js'

const SCHEMES = ['memory:', 'redis:', 'rediss:'] as const

/**
 * Open the key-value store a URL names: no URL, `''` or `memory://` → in-process; `redis://` or
 * `rediss://` → Redis, connected before this resolves (`UNAVAILABLE` when it cannot be reached, never
 * a silent fallback to memory). Any other URL is a `VALIDATION_FAILED` naming `url` and the schemes.
 *
 * @example
 * ```ts
 * const store = await openKeyValue(config.redisUrl, { prefix: 'skillos:' })
 * const lock = await store.acquireLock('reindex', 30_000)
 * if (lock) {
 *   try { await reindex() } finally { await lock.release() }
 * }
 * ```
 */
export async function openKeyValue(
  url?: string,
  options: OpenKeyValueOptions = {},
): Promise<KeyValueStore> {
  if (url === undefined || url === '') return createMemoryKeyValue(options)
  const parsed = parseServiceUrl(url, 'url', SCHEMES)
  if (parsed.protocol === 'memory:') return createMemoryKeyValue(options)
  return createRedisKeyValue(url, options)
}
