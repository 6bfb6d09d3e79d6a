import { randomUUID } from 'node:crypto'
import { maskUrl, SkillOSError, UnavailableError } from '@skillos/contracts'
import { Redis } from 'ioredis'
import { parseServiceUrl } from './connection-url.js'
import type {
  CounterReading,
  KeyValueStore,
  LeaseInfo,
  Lock,
  OpenKeyValueOptions,
  ReserveResult,
  SettleLeaseResult,
  SlidingWindowResult,
} from './key-value.js'
import {
  leaseInUseError,
  notAnIntegerError,
  outOfRangeError,
  wrongKindError,
} from './key-value-errors.js'
import {
  checkCompareAndSet,
  checkConnectTimeout,
  checkExtend,
  checkHit,
  checkIncrement,
  checkKey,
  checkKeys,
  checkLeaseId,
  checkLock,
  checkPrefix,
  checkReserve,
  checkSet,
  checkSettleLease,
  checkToken,
  LEASE_KEY_MARK,
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

-- Checks KEYS[1..n] against their limits before anything is written. Entry i's amount is
-- ARGV[first + 3(i-1)] and its limit the next argument. Returns the set of counters that do not
-- exist yet, or nil and the reply for the first entry that fails (wrong kind, or over its limit).
local function check_entries(n, first)
  local projected = {}
  local created = {}
  for i = 1, n do
    local key = KEYS[i]
    local current = projected[key]
    if current == nil then
      local raw = redis.pcall('GET', key)
      if type(raw) == 'table' and raw.err then return nil, redis.error_reply('SKILLOS_WRONG_KIND ' .. (i - 1)) end
      current = read_counter(raw)
      if current == nil then return nil, redis.error_reply('SKILLOS_NOT_INTEGER ' .. (i - 1)) end
      if raw == false then created[key] = true end
    end
    local base = first + 3 * (i - 1)
    local nextValue = current + tonumber(ARGV[base])
    if nextValue > tonumber(ARGV[base + 1]) then return nil, {0, i - 1, current} end
    projected[key] = nextValue
  end
  return created, nil
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
 * KEYS: one per entry. ARGV: amount, limit and ttlMs (0: none) per entry.
 * Returns {1, total...} or {0, index, current} for the first entry that would cross its limit.
 * Without a lease nothing is recorded and expired leases are not rolled back: this stays the cheap
 * path for counters no lease holds.
 */
const RESERVE = `${READ_COUNTER}
local created, refused = check_entries(#KEYS, 1)
if refused then return refused end
local result = {1}
for i = 1, #KEYS do
  result[i + 1] = redis.call('INCRBY', KEYS[i], ARGV[3 * i - 2])
  if created[KEYS[i]] then
    if tonumber(ARGV[3 * i]) > 0 then redis.call('PEXPIRE', KEYS[i], ARGV[3 * i]) end
    created[KEYS[i]] = nil
  end
end
return result
`

// Leases. A lease record (`~lease:<id>`, JSON) lists what the lease added to each counter; beside
// each counter, `~lease-held:<key>` counts what live leases hold on it; and one sorted set per hash
// tag (`~lease-index:{tag}`, or `~lease-index:` for ids without a tag) orders the held leases by
// expiry (server ms). Any script that touches leases first rolls back the expired leases of the
// index it uses (bounded per call): it subtracts their holds from their counters and marks the
// record rolled back (`r`), so a late settle does not subtract them again.
//
// Rolling back touches the counters a record names, which the caller did not pass in KEYS: on Redis
// Cluster they share the lease id's hash tag, so they live in the same slot.
//
// Numbers are written with '%d': Lua's default formatting keeps only 14 significant digits.
const LEASE_HELPERS = `
local MAX_SAFE = 9007199254740991
local KEEP_MS = 60000
local P = ARGV[1]
local function now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local function int(value) return string.format('%d', value) end
local function held_key(key) return P .. '${LEASE_KEY_MARK}-held:' .. key end
local function record_key(id) return P .. '${LEASE_KEY_MARK}:' .. id end
-- Take amount off a held counter; one that went below zero (it had expired on its own) is dropped.
local function release_held(key, amount)
  if redis.call('DECRBY', held_key(key), int(amount)) < 0 then redis.call('DEL', held_key(key)) end
end
-- Take a hold off its counter, unless the counter is gone (its holds went with it).
local function drop_hold(key, amount)
  if amount <= 0 or redis.call('EXISTS', P .. key) == 0 then return end
  if type(redis.pcall('DECRBY', P .. key, int(amount))) == 'number' then release_held(key, amount) end
end
local function reclaim(index, now, most)
  local ids = redis.call('ZRANGEBYSCORE', index, '-inf', '(' .. int(now), 'LIMIT', 0, most)
  if #ids == 0 then return end
  for _, id in ipairs(ids) do
    local raw = redis.call('GET', record_key(id))
    if raw then
      local lease = cjson.decode(raw)
      if lease.s == 'held' and lease.r == nil then
        for _, hold in ipairs(lease.k) do drop_hold(hold[1], tonumber(hold[2])) end
        lease.r = 1
        redis.call('SET', record_key(id), cjson.encode(lease), 'KEEPTTL')
      end
    end
  end
  redis.call('ZREM', index, unpack(ids))
end
`

/**
 * KEYS: n counters (one per entry, may repeat), then m lease indexes to reclaim, then the lease
 * record and its index.
 * ARGV: prefix, n, m, lease id, lease ttlMs, has data (1/0), data, then per entry: amount, limit,
 * ttlMs (0: none).
 * Returns {1, total...} or {0, index, current} for the first entry that would cross its limit.
 */
const RESERVE_LEASED = `${READ_COUNTER}${LEASE_HELPERS}
local n = tonumber(ARGV[2])
local m = tonumber(ARGV[3])
local lease = ARGV[4]
local now = now_ms()
for j = 1, m do reclaim(KEYS[n + j], now, 64) end
if redis.call('EXISTS', KEYS[n + m + 1]) == 1 then
  return redis.error_reply('SKILLOS_LEASE_IN_USE')
end
local created, refused = check_entries(n, 8)
if refused then return refused end
local result = {1}
local added = {}
local order = {}
local plen = string.len(P)
for i = 1, n do
  local key = KEYS[i]
  local base = 8 + 3 * (i - 1)
  result[i + 1] = redis.call('INCRBY', key, ARGV[base])
  if created[key] then
    if tonumber(ARGV[base + 2]) > 0 then redis.call('PEXPIRE', key, ARGV[base + 2]) end
    -- A new counter has no holds: forget any left from a counter that expired or was deleted.
    redis.call('DEL', held_key(string.sub(key, plen + 1)))
    created[key] = nil
  end
  if added[key] == nil then
    added[key] = 0
    order[#order + 1] = key
  end
  added[key] = added[key] + tonumber(ARGV[base])
end
local ttl = tonumber(ARGV[5])
local expires = now + ttl
local holds = {}
for _, key in ipairs(order) do
  local name = string.sub(key, plen + 1)
  local amount = added[key]
  holds[#holds + 1] = {name, int(amount)}
  if amount > 0 then
    local held = held_key(name)
    if redis.call('INCRBY', held, int(amount)) == amount then
      local pttl = redis.call('PTTL', key)
      if pttl > 0 then redis.call('PEXPIRE', held, pttl) end
    end
  end
end
local entry = {e = expires, t = ttl, s = 'held', k = holds}
if ARGV[6] == '1' then entry.d = ARGV[7] end
redis.call('SET', KEYS[n + m + 1], cjson.encode(entry), 'PX', int(ttl + math.max(ttl, KEEP_MS)))
redis.call('ZADD', KEYS[n + m + 2], int(expires), lease)
return result
`

/**
 * KEYS: the lease record, its index, then n counters named by the caller.
 * ARGV: prefix, n, lease id, has outcome (1/0), outcome, keepMs (0: one minute), then per counter:
 * actual, ttlMs. Counters of the lease the caller did not name are settled with actual 0.
 * Returns {'already-settled', outcome or false} or {status, key, held, total, key, held, total, ...}.
 */
const SETTLE_LEASE = `${READ_COUNTER}${LEASE_HELPERS}
local n = tonumber(ARGV[2])
local id = ARGV[3]
local record = KEYS[1]
local now = now_ms()
reclaim(KEYS[2], now, 64)
local raw = redis.call('GET', record)
local lease = nil
local status = 'unknown'
if raw then
  lease = cjson.decode(raw)
  if lease.s == 'settled' then return {'already-settled', lease.o or false} end
  if now > lease.e then status = 'expired' else status = 'settled' end
end
local plen = string.len(P)
local names = {}
local actual = {}
local ttls = {}
for i = 1, n do
  local name = string.sub(KEYS[2 + i], plen + 1)
  names[#names + 1] = name
  actual[name] = tonumber(ARGV[5 + 2 * i])
  ttls[name] = ARGV[6 + 2 * i]
end
local holds = {}
if lease then
  for _, hold in ipairs(lease.k) do
    local name = hold[1]
    if actual[name] == nil then
      names[#names + 1] = name
      actual[name] = 0
      ttls[name] = '0'
    end
    -- Holds of a lease that was rolled back as expired are already off their counters.
    if lease.r == nil then holds[name] = tonumber(hold[2]) end
  end
end
-- Check every counter before writing any.
local exists = {}
for _, name in ipairs(names) do
  local value = redis.pcall('GET', P .. name)
  if type(value) == 'table' and value.err then return redis.error_reply('SKILLOS_WRONG_KIND_KEY ' .. name) end
  local current = read_counter(value)
  if current == nil then return redis.error_reply('SKILLOS_NOT_INTEGER_KEY ' .. name) end
  exists[name] = value ~= false
  local held = 0
  if exists[name] then held = holds[name] or 0 end
  if math.abs(current - held + actual[name]) > MAX_SAFE then return redis.error_reply('SKILLOS_OUT_OF_RANGE_KEY ' .. name) end
end
local result = {status}
for _, name in ipairs(names) do
  local held = 0
  local total = 0
  if exists[name] then
    held = holds[name] or 0
    total = redis.call('INCRBY', P .. name, int(actual[name] - held))
    if held > 0 then release_held(name, held) end
  else
    redis.call('DEL', held_key(name))
    if actual[name] > 0 then
      total = redis.call('INCRBY', P .. name, int(actual[name]))
      if tonumber(ttls[name]) > 0 then redis.call('PEXPIRE', P .. name, ttls[name]) end
    end
  end
  result[#result + 1] = name
  result[#result + 1] = held
  result[#result + 1] = total
end
local keep = tonumber(ARGV[6])
if keep <= 0 then keep = KEEP_MS end
-- The settled record answers retries; it keeps the data but not the holds, which are gone.
local settled = {e = now, t = keep, s = 'settled'}
if lease then
  settled.e = lease.e
  settled.t = lease.t
  settled.d = lease.d
  redis.call('ZREM', KEYS[2], id)
end
if ARGV[4] == '1' then settled.o = ARGV[5] end
redis.call('SET', record, cjson.encode(settled), 'PX', int(keep))
return result
`

/** KEYS: lease record. ARGV: prefix. Returns {record or false, now}. */
const GET_LEASE = `${LEASE_HELPERS}
return {redis.call('GET', KEYS[1]), now_ms()}
`

/**
 * KEYS: n counters, then m lease indexes to reclaim first. ARGV: prefix, n, m.
 * Returns {value, held} per counter.
 */
const READ_COUNTERS = `${READ_COUNTER}${LEASE_HELPERS}
local n = tonumber(ARGV[2])
local m = tonumber(ARGV[3])
local now = now_ms()
for j = 1, m do reclaim(KEYS[n + j], now, 1000) end
local plen = string.len(P)
local result = {}
for i = 1, n do
  local raw = redis.pcall('GET', KEYS[i])
  if type(raw) == 'table' and raw.err then return redis.error_reply('SKILLOS_WRONG_KIND ' .. (i - 1)) end
  local value = read_counter(raw)
  if value == nil then return redis.error_reply('SKILLOS_NOT_INTEGER ' .. (i - 1)) end
  local held = 0
  if raw ~= false then
    held = tonumber(redis.call('GET', held_key(string.sub(KEYS[i], plen + 1))) or '0') or 0
    if held < 0 then held = 0 end
  end
  result[#result + 1] = value
  result[#result + 1] = held
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
  skillosReserveLeased(
    numberOfKeys: number,
    ...keysThenArgs: (string | number)[]
  ): Promise<number[]>
  skillosSettleLease(
    numberOfKeys: number,
    ...keysThenArgs: (string | number)[]
  ): Promise<(string | number | null)[]>
  skillosGetLease(record: string, prefix: string): Promise<[string | null, number]>
  skillosReadCounters(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<number[]>
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
  client.defineCommand('skillosReserveLeased', { lua: RESERVE_LEASED })
  client.defineCommand('skillosSettleLease', { lua: SETTLE_LEASE })
  client.defineCommand('skillosGetLease', { numberOfKeys: 1, lua: GET_LEASE })
  client.defineCommand('skillosReadCounters', { lua: READ_COUNTERS })
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

/** The hash tag of a key as Redis Cluster reads it: the text inside the first `{…}`, if not empty. */
function hashTag(name: string): string | null {
  const open = name.indexOf('{')
  if (open === -1) return null
  const close = name.indexOf('}', open + 1)
  return close > open + 1 ? name.slice(open + 1, close) : null
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
      const named = message.match(/SKILLOS_(NOT_INTEGER|WRONG_KIND|OUT_OF_RANGE)_KEY (.*)$/)
      if (named) {
        const key = named[2] ?? ''
        if (named[1] === 'NOT_INTEGER') return notAnIntegerError(key)
        if (named[1] === 'WRONG_KIND') return wrongKindError(key)
        return outOfRangeError(key)
      }
      if (message.includes('SKILLOS_NOT_INTEGER'))
        return notAnIntegerError(keyAt(message.match(/SKILLOS_NOT_INTEGER (\d+)/)))
      if (message.includes('SKILLOS_OUT_OF_RANGE'))
        return outOfRangeError(keyAt(message.match(/SKILLOS_OUT_OF_RANGE (\d+)/)))
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

  const leaseKey = (id: string) => `${prefix}${LEASE_KEY_MARK}:${id}`
  /** The expiry index of the leases with this name's hash tag (Redis Cluster's rule), or the untagged one. */
  const leaseIndexKey = (name: string) => {
    const tag = hashTag(name)
    return `${prefix}${LEASE_KEY_MARK}-index:${tag === null ? '' : `{${tag}}`}`
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
      const lease = input.lease
      if (input.entries.length === 0 && lease === null) return { ok: true, totals: [] }
      const keys = input.entries.map((entry) => entry.key)
      let reply: number[]
      if (lease === null) {
        const args = input.entries.flatMap((entry) => [entry.amount, entry.limit, entry.ttlMs])
        reply = await call(keys, () =>
          redis.skillosReserve(keys.length, ...keys.map((key) => prefix + key), ...args),
        )
      } else {
        // Expired leases are rolled back in the indexes of the counters' hash tags (usually one).
        const indexes = [...new Set(keys.map(leaseIndexKey))]
        const redisKeys = [
          ...keys.map((key) => prefix + key),
          ...indexes,
          leaseKey(lease.id),
          leaseIndexKey(lease.id),
        ]
        const args = [
          prefix,
          keys.length,
          indexes.length,
          lease.id,
          lease.ttlMs,
          lease.data === null ? 0 : 1,
          lease.data ?? '',
          ...input.entries.flatMap((entry) => [entry.amount, entry.limit, entry.ttlMs]),
        ]
        try {
          reply = await call(keys, () =>
            redis.skillosReserveLeased(redisKeys.length, ...redisKeys, ...args),
          )
        } catch (error) {
          if (error instanceof Error && error.message.includes('SKILLOS_LEASE_IN_USE'))
            throw leaseInUseError(lease.id)
          throw error
        }
      }
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

    async settleLease(id, actuals, settleOptions): Promise<SettleLeaseResult> {
      const input = checkSettleLease(id, actuals, settleOptions)
      const keys = input.actuals.map((actual) => actual.key)
      const redisKeys = [
        leaseKey(input.id),
        leaseIndexKey(input.id),
        ...keys.map((key) => prefix + key),
      ]
      const args = [
        prefix,
        keys.length,
        input.id,
        input.outcome === null ? 0 : 1,
        input.outcome ?? '',
        input.keepMs,
        ...input.actuals.flatMap((actual) => [actual.amount, actual.ttlMs]),
      ]
      const [status, ...rest] = await call(keys, () =>
        redis.skillosSettleLease(redisKeys.length, ...redisKeys, ...args),
      )
      if (status === 'already-settled') {
        return { status, outcome: typeof rest[0] === 'string' ? rest[0] : null, counters: [] }
      }
      if (status !== 'settled' && status !== 'expired' && status !== 'unknown')
        throw new Error(`settle script answered an unknown status: ${String(status)}`)
      const amounts = new Map(input.actuals.map((actual) => [actual.key, actual.amount]))
      const counters = []
      for (let i = 0; i + 2 < rest.length; i += 3) {
        const key = String(rest[i])
        counters.push({
          key,
          held: Number(rest[i + 1]),
          amount: amounts.get(key) ?? 0,
          total: Number(rest[i + 2]),
        })
      }
      return { status, counters }
    },

    async getLease(id): Promise<LeaseInfo | null> {
      const checked = checkLeaseId(id)
      const [raw, now] = await call([], () => redis.skillosGetLease(leaseKey(checked), prefix))
      if (raw === null) return null
      const record = JSON.parse(raw) as {
        e: number
        t: number
        s: 'held' | 'settled'
        d?: string
        o?: string
        k?: [string, string][] | Record<string, never>
      }
      return {
        id: checked,
        state: record.s === 'settled' ? 'settled' : now > record.e ? 'expired' : 'held',
        expiresAt: record.e,
        ttlMs: record.t,
        data: record.d ?? null,
        outcome: record.o ?? null,
        holds: (Array.isArray(record.k) ? record.k : []).map(([key, amount]) => ({
          key,
          amount: Number(amount),
        })),
      }
    },

    async readCounters(keys): Promise<CounterReading[]> {
      const checked = checkKeys(keys)
      if (checked.length === 0) return []
      const indexes = [...new Set(checked.map(leaseIndexKey))]
      const redisKeys = [...checked.map((key) => prefix + key), ...indexes]
      const reply = await call(checked, () =>
        redis.skillosReadCounters(
          redisKeys.length,
          ...redisKeys,
          prefix,
          checked.length,
          indexes.length,
        ),
      )
      return checked.map((key, index) => ({
        key,
        value: reply[2 * index] ?? 0,
        held: reply[2 * index + 1] ?? 0,
      }))
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
