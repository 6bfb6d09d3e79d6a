import { randomUUID } from 'node:crypto'
import { UnavailableError } from '@skillos/contracts'
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

/** `expiresAt` is `Infinity` for an entry that never expires. */
type Entry =
  | { kind: 'value'; value: string; expiresAt: number }
  | { kind: 'window'; hits: number[]; expiresAt: number }

const MEMORY_URL = 'memory://'
const SWEEP_INTERVAL_MS = 30_000
// What Redis INCRBY accepts as an integer: no sign on zero, no leading zeros, no spaces.
const INTEGER_TEXT = /^(0|-?[1-9]\d*)$/

/**
 * The in-process key-value store: one `Map`, for tests, the CLI and single-process deployments. It
 * passes the same contract suite as the Redis adapter, so code written against it behaves the same
 * on Redis. Operations are atomic because each one runs synchronously to the end.
 *
 * Expiry follows Redis: an entry is gone once the clock is past `set time + ttlMs`; expired entries
 * are dropped when touched, and every 30 s of clock time one sweep drops the rest (no timers).
 *
 * @example
 * ```ts
 * const store = createMemoryKeyValue({ prefix: 'tenant-a:' })
 * await store.increment('runs', 1, { ttlMs: 60_000 })
 * const hit = await store.hit('ip:203.0.113.7', { limit: 10, windowMs: 1_000 })
 * if (!hit.allowed) console.log(`retry in ${hit.retryAfterMs} ms`)
 * ```
 */
export function createMemoryKeyValue(options: OpenKeyValueOptions = {}): KeyValueStore {
  const prefix = checkPrefix(options.prefix)
  const now = options.now ?? Date.now
  const entries = new Map<string, Entry>()
  let lastSweep = now()
  let closed = false

  /** The time for one operation; refuses work after `close()` and sweeps now and then. */
  function clock(): number {
    if (closed) {
      throw new UnavailableError('The in-process key-value store is closed', {
        url: MEMORY_URL,
        service: 'key-value',
      })
    }
    const time = now()
    if (time - lastSweep >= SWEEP_INTERVAL_MS) {
      lastSweep = time
      for (const [key, entry] of entries) if (time > entry.expiresAt) entries.delete(key)
    }
    return time
  }

  function live(key: string, time: number): Entry | undefined {
    const entry = entries.get(key)
    if (entry !== undefined && time > entry.expiresAt) {
      entries.delete(key)
      return undefined
    }
    return entry
  }

  function readValue(key: string, time: number): string | null {
    const entry = live(key, time)
    if (entry === undefined) return null
    if (entry.kind !== 'value') throw wrongKindError(key)
    return entry.value
  }

  function readCounter(key: string, time: number): number {
    const raw = readValue(key, time)
    if (raw === null) return 0
    const value = Number(raw)
    if (!INTEGER_TEXT.test(raw) || !Number.isSafeInteger(value)) throw notAnIntegerError(key)
    return value
  }

  function expiresAt(time: number, ttlMs: number): number {
    return ttlMs > 0 ? time + ttlMs : Infinity
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
    kind: 'memory',
    url: MEMORY_URL,
    prefix,

    async get(key) {
      const checked = checkKey(key)
      return readValue(checked, clock())
    },

    async set(key, value, setOptions) {
      const input = checkSet(key, value, setOptions)
      const time = clock()
      if (input.ifNotExists && live(input.key, time) !== undefined) return false
      entries.set(input.key, {
        kind: 'value',
        value: input.value,
        expiresAt: expiresAt(time, input.ttlMs),
      })
      return true
    },

    async delete(key) {
      const checked = checkKey(key)
      const existed = live(checked, clock()) !== undefined
      entries.delete(checked)
      return existed
    },

    async ttl(key) {
      const checked = checkKey(key)
      const time = clock()
      const entry = live(checked, time)
      if (entry === undefined) return null
      return entry.expiresAt === Infinity ? Infinity : entry.expiresAt - time
    },

    async increment(key, by, incrementOptions) {
      const input = checkIncrement(key, by, incrementOptions)
      const time = clock()
      const next = readCounter(input.key, time) + input.by
      if (!Number.isSafeInteger(next)) throw outOfRangeError(input.key)
      const entry = live(input.key, time)
      if (entry?.kind === 'value') entry.value = String(next)
      else
        entries.set(input.key, {
          kind: 'value',
          value: String(next),
          expiresAt: expiresAt(time, input.ttlMs),
        })
      return next
    },

    async compareAndSet(key, expected, next, casOptions) {
      const input = checkCompareAndSet(key, expected, next, casOptions)
      const time = clock()
      if (readValue(input.key, time) !== input.expected) return false
      entries.set(input.key, {
        kind: 'value',
        value: input.next,
        expiresAt: expiresAt(time, input.ttlMs),
      })
      return true
    },

    async reserve(reserveEntries, reserveOptions): Promise<ReserveResult> {
      const input = checkReserve(reserveEntries, reserveOptions)
      const time = clock()
      // Check every entry before writing any; a key named twice sees the earlier amount.
      const projected = new Map<string, number>()
      for (const [index, entry] of input.entries.entries()) {
        const current = projected.get(entry.key) ?? readCounter(entry.key, time)
        if (current + entry.amount > entry.limit) {
          return {
            ok: false,
            index,
            key: entry.key,
            current,
            requested: entry.amount,
            limit: entry.limit,
          }
        }
        projected.set(entry.key, current + entry.amount)
      }
      const totals = input.entries.map((entry) => {
        const existing = live(entry.key, time)
        if (existing?.kind === 'value') {
          const total = Number(existing.value) + entry.amount
          existing.value = String(total)
          return total
        }
        entries.set(entry.key, {
          kind: 'value',
          value: String(entry.amount),
          expiresAt: expiresAt(time, input.ttlMs),
        })
        return entry.amount
      })
      return { ok: true, totals }
    },

    async hit(key, windowOptions): Promise<SlidingWindowResult> {
      const input = checkHit(key, windowOptions)
      const time = clock()
      const entry = live(input.key, time)
      if (entry !== undefined && entry.kind !== 'window') throw wrongKindError(input.key)
      const hits = entry?.hits ?? []
      const firstInWindow = hits.findIndex((at) => at > time - input.windowMs)
      hits.splice(0, firstInWindow === -1 ? hits.length : firstInWindow)
      const count = hits.length

      if (count + input.cost <= input.limit) {
        for (let i = 0; i < input.cost; i++) hits.push(time)
        // An injected clock may step back; keep the log ordered so the oldest hits come first.
        hits.sort((a, b) => a - b)
        entries.set(input.key, { kind: 'window', hits, expiresAt: time + input.windowMs })
        const total = count + input.cost
        return {
          allowed: true,
          count: total,
          limit: input.limit,
          remaining: input.limit - total,
          retryAfterMs: 0,
        }
      }

      if (entry !== undefined && count === 0) entries.delete(input.key)
      // The hit fits once the oldest `count + cost - limit` hits have left the window.
      const mustLeave = hits[count + input.cost - input.limit - 1]
      const retryAfterMs =
        input.cost > input.limit || mustLeave === undefined
          ? Infinity
          : mustLeave + input.windowMs - time
      return {
        allowed: false,
        count,
        limit: input.limit,
        remaining: Math.max(0, input.limit - count),
        retryAfterMs,
      }
    },

    async acquireLock(key, ttlMs) {
      const input = checkLock(key, ttlMs)
      const time = clock()
      if (live(input.key, time) !== undefined) return null
      const token = randomUUID()
      entries.set(input.key, { kind: 'value', value: token, expiresAt: time + input.ttlMs })
      return lock(input.key, token)
    },

    async releaseLock(key, token) {
      const input = checkToken(key, token)
      if (readValue(input.key, clock()) !== input.token) return false
      entries.delete(input.key)
      return true
    },

    async extendLock(key, token, ttlMs) {
      const input = checkExtend(key, token, ttlMs)
      const time = clock()
      const entry = live(input.key, time)
      if (readValue(input.key, time) !== input.token || entry === undefined) return false
      entry.expiresAt = time + input.ttlMs
      return true
    },

    async clear() {
      const time = clock()
      let removed = 0
      for (const entry of entries.values()) if (time <= entry.expiresAt) removed++
      entries.clear()
      return removed
    },

    async ping() {
      clock()
    },

    async close() {
      closed = true
      entries.clear()
    },
  }
  return store
}
