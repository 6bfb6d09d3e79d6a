import { randomUUID } from 'node:crypto'
import { maskUrl, SkillOSError, UnavailableError } from '@skillos/contracts'
import { Redis } from 'ioredis'
import { parseServiceUrl } from './connection-url.js'
import type {
  KeyValueStore,
  Lock,
  OpenKeyValueOptions,
  ReserveResult,
  SlidingWindowResult,
} from './key-value.js'
import { notAnIntegerError, outOfRangeError, wrongKindError } from './key-value-errors.js'
import {
  checkCompareAndSet,
  checkConnectTimeout,
  checkExtend,
  checkHit,
  checkIncrement,
  checkKey,
  checkLock,
  checkPrefix,
  checkReserve,
  checkSet,
  checkToken,
} from './key-value-input.js'

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000
const CONNECT_ATTEMPTS = 3
const SCAN_BATCH = 500

// Reads a counter the way INCRBY would accept it, and within the range JavaScript numbers hold
// exactly; nil means "not an integer". Scripts check before they write because Redis does not roll
// back the writes a script made before it failed.
const READ_COUNTER = `
local function read_counter(raw)
  if raw == false then return 0 end
  if raw ~= '0' and not string.match(raw, '^%-?[1-9]%d*$') then return nil end
  local value = tonumber(raw)
  if math.abs(value) > 9007199254740991 then return nil end
  return value
end
`

/** KEYS: key. ARGV: by, ttlMs (0: none). Returns the new value. */
const INCREMENT = `${READ_COUNTER}
local raw = redis.call('GET', KEYS[1])
local current = read_counter(raw)
if current == nil then return redis.error_reply('SKILLOS_NOT_INTEGER 0') end
if math.abs(current + tonumber(ARGV[1])) > 9007199254740991 then return redis.error_reply('SKILLOS_OUT_OF_RANGE 0') end
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if raw == false and tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`

/** KEYS: key. ARGV: expectAbsent (1/0), expected, next, ttlMs (0: none). Returns 1 when replaced. */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= false then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
if tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[3])
end
return 1
`

/**
 * KEYS: one per entry. ARGV: ttlMs (0: none), then amount and limit per entry.
 * Returns {1, total...} or {0, index, current} for the first entry that would cross its limit.
 */
const RESERVE = `${READ_COUNTER}
local projected = {}
local created = {}
for i = 1, #KEYS do
  local key = KEYS[i]
  local current = projected[key]
  if current == nil then
    local raw = redis.pcall('GET', key)
    if type(raw) == 'table' and raw.err then return redis.error_reply('SKILLOS_WRONG_KIND ' .. (i - 1)) end
    current = read_counter(raw)
    if current == nil then return redis.error_reply('SKILLOS_NOT_INTEGER ' .. (i - 1)) end
    if raw == false then created[key] = true end
  end
  local next = current + tonumber(ARGV[2 * i])
  if next > tonumber(ARGV[2 * i + 1]) then return {0, i - 1, current} end
  projected[key] = next
end
local result = {1}
local ttl = tonumber(ARGV[1])
for i = 1, #KEYS do
  result[i + 1] = redis.call('INCRBY', KEYS[i], ARGV[2 * i])
  if ttl > 0 and created[KEYS[i]] then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
end
return result
`

/**
 * KEYS: key. ARGV: limit, windowMs, cost, a member id unique to this hit.
 * Returns {allowed (1/0), count, retryAfterMs (-1: never)}. The server's clock, so every client agrees.
 */
const HIT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count + cost <= limit then
  local args = {}
  for i = 1, cost do
    args[#args + 1] = now
    args[#args + 1] = ARGV[4] .. ':' .. i
    if #args >= 200 or i == cost then
      redis.call('ZADD', KEYS[1], unpack(args))
      args = {}
    end
  end
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, count + cost, 0}
end
if cost > limit then return {0, count, -1} end
local rank = count + cost - limit - 1
local leaving = redis.call('ZRANGE', KEYS[1], rank, rank, 'WITHSCORES')
return {0, count, tonumber(leaving[2]) + window - now}
`

/** KEYS: key. ARGV: token. */
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`

/** KEYS: key. ARGV: token, ttlMs. */
const EXTEND_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`

/** The commands `defineCommand` adds (each runs by EVALSHA, falling back to EVAL once). */
interface KeyValueScripts {
  skillosIncrement(key: string, by: number, ttlMs: number): Promise<number>
  skillosCompareAndSet(
    key: string,
    expectAbsent: number,
    expected: string,
    next: string,
    ttlMs: number,
  ): Promise<number>
  skillosReserve(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<number[]>
  skillosHit(
    key: string,
    limit: number,
    windowMs: number,
    cost: number,
    member: string,
  ): Promise<[number, number, number]>
  skillosReleaseLock(key: string, token: string): Promise<number>
  skillosExtendLock(key: string, token: string, ttlMs: number): Promise<number>
}

type ScriptedRedis = Redis & KeyValueScripts

function defineScripts(client: Redis): ScriptedRedis {
  client.defineCommand('skillosIncrement', { numberOfKeys: 1, lua: INCREMENT })
  client.defineCommand('skillosCompareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET })
  client.defineCommand('skillosReserve', { lua: RESERVE })
  client.defineCommand('skillosHit', { numberOfKeys: 1, lua: HIT })
  client.defineCommand('skillosReleaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK })
  client.defineCommand('skillosExtendLock', { numberOfKeys: 1, lua: EXTEND_LOCK })
  return client as ScriptedRedis
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** `connect()` with one deadline over a few attempts, so a Redis that is still starting gets a moment. */
async function connectWithin(
  client: Redis,
  timeoutMs: number,
  onAttempt: () => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (let attempt = 1; ; attempt++) {
    onAttempt()
    const connecting = client.connect()
    // The deadline may win the race; the losing promise must not become an unhandled rejection.
    connecting.catch(() => {})
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        connecting,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${timeoutMs} ms`)),
            Math.max(0, deadline - Date.now()),
          )
        }),
      ])
      return
    } catch (error) {
      const backoffMs = 100 * attempt
      if (
        attempt >= CONNECT_ATTEMPTS ||
        Date.now() + backoffMs >= deadline ||
        client.status !== 'end'
      )
        throw error
      await new Promise((resolve) => setTimeout(resolve, backoffMs))
    } finally {
      clearTimeout(timer)
    }
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}

/**
 * The Redis key-value store (`redis://` or `rediss://`). It connects before returning and throws
 * `UNAVAILABLE` (naming the masked URL and the cause) when Redis cannot be reached — it never falls
 * back to memory. Every multi-step operation is one Lua script, so several processes sharing one
 * Redis see atomic counters, reservations, rate limits and locks; sliding windows use the server's
 * clock. Once connected, the client reconnects on its own; a call made while Redis is away fails
 * with `UNAVAILABLE` after a couple of reconnect attempts instead of waiting forever.
 *
 * Reservations name several keys in one script: on Redis Cluster those keys need one hash tag.
 *
 * @example
 * ```ts
 * const store = await createRedisKeyValue('redis://localhost:6379', { prefix: 'skillos:' })
 * const result = await store.reserve([
 *   { key: 'budget:tenant-a:day', amount: 1_500, limit: 1_000_000 },
 *   { key: 'budget:user-7:day', amount: 1_500, limit: 50_000 },
 * ], { ttlMs: 86_400_000 })
 * if (!result.ok) console.log(`${result.key} would exceed ${result.limit}`)
 * await store.close()
 * ```
 */
export async function createRedisKeyValue(
  url: string,
  options: OpenKeyValueOptions = {},
): Promise<KeyValueStore> {
  parseServiceUrl(url, 'url', ['redis:', 'rediss:'])
  const prefix = checkPrefix(options.prefix)
  const connectTimeoutMs =
    checkConnectTimeout(options.connectTimeoutMs) ?? DEFAULT_CONNECT_TIMEOUT_MS
  const maskedUrl = maskUrl(url)

  let opened = false
  let lastError: unknown
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    // Until open succeeds we retry ourselves (bounded); afterwards reconnect with a capped backoff.
    retryStrategy: (attempt) => (opened ? Math.min(attempt * 200, 2_000) : null),
    maxRetriesPerRequest: 2,
  })
  // ioredis reports the real cause (e.g. ECONNREFUSED) here; without a listener it would also print it.
  client.on('error', (error: unknown) => {
    lastError = error
  })

  try {
    await connectWithin(client, connectTimeoutMs, () => {
      lastError = undefined
    })
  } catch (error) {
    client.disconnect()
    const cause = lastError ?? error
    throw new UnavailableError(
      `Cannot reach Redis at ${maskedUrl} (${messageOf(cause)})`,
      { url: maskedUrl, service: 'redis' },
      cause,
    )
  }
  opened = true
  const redis = defineScripts(client)
  const clientId = randomUUID()
  let hitSequence = 0
  let closed = false

  function translate(error: unknown, keys: readonly string[]): unknown {
    if (SkillOSError.is(error)) return error
    if (error instanceof Error && error.name === 'ReplyError') {
      const keyAt = (found: RegExpMatchArray | null): string =>
        keys[Number(found?.[1] ?? 0)] ?? keys.join(', ')
      const message = error.message
      if (message.includes('SKILLOS_NOT_INTEGER'))
        return notAnIntegerError(keyAt(message.match(/SKILLOS_NOT_INTEGER (\d+)/)))
      if (message.includes('SKILLOS_OUT_OF_RANGE')) return outOfRangeError(keyAt(null))
      if (message.includes('SKILLOS_WRONG_KIND'))
        return wrongKindError(keyAt(message.match(/SKILLOS_WRONG_KIND (\d+)/)))
      if (message.includes('WRONGTYPE')) return wrongKindError(keyAt(null))
      return error
    }
    return new UnavailableError(
      `Redis at ${maskedUrl} is unavailable (${messageOf(error)})`,
      { url: maskedUrl, service: 'redis' },
      error,
    )
  }

  /** Run one Redis call, turning its errors into SkillOS errors about `keys` (unprefixed). */
  async function call<T>(keys: readonly string[], operation: () => Promise<T>): Promise<T> {
    try {
      return await operation()
    } catch (error) {
      throw translate(error, keys)
    }
  }

  function lock(key: string, token: string): Lock {
    return {
      key,
      token,
      release: () => store.releaseLock(key, token),
      extend: (ttlMs) => store.extendLock(key, token, ttlMs),
    }
  }

  const store: KeyValueStore = {
    kind: 'redis',
    url: maskedUrl,
    prefix,

    async get(key) {
      const checked = checkKey(key)
      return call([checked], () => redis.get(prefix + checked))
    },

    async set(key, value, setOptions) {
      const input = checkSet(key, value, setOptions)
      const fullKey = prefix + input.key
      const reply = await call([input.key], () => {
        if (input.ttlMs > 0) {
          return input.ifNotExists
            ? redis.set(fullKey, input.value, 'PX', input.ttlMs, 'NX')
            : redis.set(fullKey, input.value, 'PX', input.ttlMs)
        }
        return input.ifNotExists
          ? redis.set(fullKey, input.value, 'NX')
          : redis.set(fullKey, input.value)
      })
      return reply === 'OK'
    },

    async delete(key) {
      const checked = checkKey(key)
      return (await call([checked], () => redis.del(prefix + checked))) > 0
    },

    async ttl(key) {
      const checked = checkKey(key)
      const remaining = await call([checked], () => redis.pttl(prefix + checked))
      if (remaining === -2) return null
      if (remaining === -1) return Infinity
      return remaining
    },

    async increment(key, by, incrementOptions) {
      const input = checkIncrement(key, by, incrementOptions)
      return call([input.key], () =>
        redis.skillosIncrement(prefix + input.key, input.by, input.ttlMs),
      )
    },

    async compareAndSet(key, expected, next, casOptions) {
      const input = checkCompareAndSet(key, expected, next, casOptions)
      const replaced = await call([input.key], () =>
        redis.skillosCompareAndSet(
          prefix + input.key,
          input.expected === null ? 1 : 0,
          input.expected ?? '',
          input.next,
          input.ttlMs,
        ),
      )
      return replaced === 1
    },

    async reserve(reserveEntries, reserveOptions): Promise<ReserveResult> {
      const input = checkReserve(reserveEntries, reserveOptions)
      if (input.entries.length === 0) return { ok: true, totals: [] }
      const keys = input.entries.map((entry) => entry.key)
      const args = input.entries.flatMap((entry) => [entry.amount, entry.limit])
      const reply = await call(keys, () =>
        redis.skillosReserve(keys.length, ...keys.map((key) => prefix + key), input.ttlMs, ...args),
      )
      if (reply[0] === 1) return { ok: true, totals: reply.slice(1) }
      const index = reply[1] ?? 0
      const entry = input.entries[index]
      if (entry === undefined)
        throw new Error(`reserve script refused an entry that does not exist: ${index}`)
      return {
        ok: false,
        index,
        key: entry.key,
        current: reply[2] ?? 0,
        requested: entry.amount,
        limit: entry.limit,
      }
    },

    async hit(key, windowOptions): Promise<SlidingWindowResult> {
      const input = checkHit(key, windowOptions)
      hitSequence += 1
      const [allowed, count, retryAfterMs] = await call([input.key], () =>
        redis.skillosHit(
          prefix + input.key,
          input.limit,
          input.windowMs,
          input.cost,
          `${clientId}:${hitSequence}`,
        ),
      )
      return {
        allowed: allowed === 1,
        count,
        limit: input.limit,
        remaining: Math.max(0, input.limit - count),
        retryAfterMs: retryAfterMs === -1 ? Infinity : retryAfterMs,
      }
    },

    async acquireLock(key, ttlMs) {
      const input = checkLock(key, ttlMs)
      const token = randomUUID()
      const reply = await call([input.key], () =>
        redis.set(prefix + input.key, token, 'PX', input.ttlMs, 'NX'),
      )
      return reply === 'OK' ? lock(input.key, token) : null
    },

    async releaseLock(key, token) {
      const input = checkToken(key, token)
      return (
        (await call([input.key], () =>
          redis.skillosReleaseLock(prefix + input.key, input.token),
        )) === 1
      )
    },

    async extendLock(key, token, ttlMs) {
      const input = checkExtend(key, token, ttlMs)
      const extended = await call([input.key], () =>
        redis.skillosExtendLock(prefix + input.key, input.token, input.ttlMs),
      )
      return extended === 1
    },

    async clear() {
      const pattern = `${escapeGlob(prefix)}*`
      let removed = 0
      let cursor = '0'
      do {
        const [next, keys] = await call([], () =>
          redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_BATCH),
        )
        cursor = next
        if (keys.length > 0) removed += await call([], () => redis.unlink(...keys))
      } while (cursor !== '0')
      return removed
    },

    async ping() {
      try {
        await redis.ping()
      } catch (error) {
        throw new UnavailableError(
          `Cannot reach Redis at ${maskedUrl} (${messageOf(error)})`,
          { url: maskedUrl, service: 'redis' },
          error,
        )
      }
    },

    async close() {
      if (closed) return
      closed = true
      try {
        await redis.quit()
      } catch {
        // Already disconnected: nothing is left to flush, so drop the socket and any reconnect timer.
        redis.disconnect()
      }
    },
  }
  return store
}
