import { randomUUID } from 'node:crypto'
import { UnavailableError } from '@skillos/contracts'
import { ExpiryQueue } from './expiry-queue.js'
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
} from './key-value-input.js'

/** `expiresAt` is `Infinity` for an entry that never expires. */
type Entry =
  | { kind: 'value'; value: string; expiresAt: number }
  | { kind: 'window'; hits: number[]; expiresAt: number }

/** A lease as the store remembers it until `keepUntil`. */
interface LeaseRecord {
  expiresAt: number
  ttlMs: number
  keepUntil: number
  state: 'held' | 'settled'
  /** Set once its holds were rolled back as expired. */
  rolledBack: boolean
  outcome: string | null
  data: string | null
  /** What the lease added per counter when it was made. */
  holds: Map<string, number>
}

const MEMORY_URL = 'memory://'
/** How long a settled lease is remembered (unless `keepMs` says otherwise), and the least time an expired one is. */
const LEASE_KEEP_MS = 60_000
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
  /** Counter key → what live leases hold on it (part of the counter's value). */
  const heldByKey = new Map<string, number>()
  const leases = new Map<string, LeaseRecord>()
  const expiries = new ExpiryQueue()
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
      for (const key of heldByKey.keys()) if (!entries.has(key)) heldByKey.delete(key)
      for (const [id, lease] of leases) if (time > lease.keepUntil) leases.delete(id)
    }
    return time
  }

  function liveLease(id: string, time: number): LeaseRecord | undefined {
    const lease = leases.get(id)
    if (lease !== undefined && time > lease.keepUntil) {
      leases.delete(id)
      return undefined
    }
    return lease
  }

  /** Roll back every lease that has expired: take its holds off the counters that still exist. */
  function reclaim(time: number): void {
    for (const { expiresAt: due, id } of expiries.popBefore(time)) {
      const lease = leases.get(id)
      if (lease === undefined || lease.state !== 'held' || lease.rolledBack) continue
      if (lease.expiresAt !== due) continue
      for (const [key, amount] of lease.holds) dropHold(key, amount, time)
      lease.rolledBack = true
    }
  }

  function dropHold(key: string, amount: number, time: number): void {
    const entry = live(key, time)
    if (amount <= 0 || entry?.kind !== 'value') return
    entry.value = String(Number(entry.value) - amount)
    releaseHeld(key, amount)
  }

  /** Take amount off a held counter; one that went below zero is dropped (as on Redis). */
  function releaseHeld(key: string, amount: number): void {
    const held = (heldByKey.get(key) ?? 0) - amount
    if (held < 0) heldByKey.delete(key)
    else heldByKey.set(key, held)
  }

  /** Add `by` to a counter that was checked to be an integer, creating it with `ttlMs` if absent. */
  function addToCounter(key: string, by: number, time: number, ttlMs: number): number {
    const existing = live(key, time)
    if (existing?.kind === 'value') {
      const total = Number(existing.value) + by
      existing.value = String(total)
      return total
    }
    entries.set(key, { kind: 'value', value: String(by), expiresAt: expiresAt(time, ttlMs) })
    return by
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
      // Only a leased reservation rolls back expired leases (as on Redis, where the plain one is
      // the cheap path for counters no lease holds).
      if (input.lease !== null) {
        reclaim(time)
        if (liveLease(input.lease.id, time) !== undefined) throw leaseInUseError(input.lease.id)
      }
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
      const added = new Map<string, number>()
      const totals = input.entries.map((entry) => {
        // A new counter has no holds: forget any left from one that expired or was deleted.
        if (input.lease !== null && live(entry.key, time) === undefined) heldByKey.delete(entry.key)
        added.set(entry.key, (added.get(entry.key) ?? 0) + entry.amount)
        return addToCounter(entry.key, entry.amount, time, entry.ttlMs)
      })
      if (input.lease !== null) {
        const { id, ttlMs, data } = input.lease
        const leaseExpiresAt = time + ttlMs
        for (const [key, amount] of added) heldByKey.set(key, (heldByKey.get(key) ?? 0) + amount)
        leases.set(id, {
          expiresAt: leaseExpiresAt,
          ttlMs,
          keepUntil: leaseExpiresAt + Math.max(ttlMs, LEASE_KEEP_MS),
          state: 'held',
          rolledBack: false,
          outcome: null,
          data,
          holds: added,
        })
        expiries.push(leaseExpiresAt, id)
      }
      return { ok: true, totals }
    },

    async settleLease(id, actuals, settleOptions): Promise<SettleLeaseResult> {
      const input = checkSettleLease(id, actuals, settleOptions)
      const time = clock()
      reclaim(time)
      const lease = liveLease(input.id, time)
      if (lease?.state === 'settled')
        return { status: 'already-settled', outcome: lease.outcome, counters: [] }
      const status =
        lease === undefined ? 'unknown' : time > lease.expiresAt ? 'expired' : 'settled'
      const plan = new Map(input.actuals.map((actual) => [actual.key, actual]))
      for (const key of lease?.holds.keys() ?? [])
        if (!plan.has(key)) plan.set(key, { key, amount: 0, ttlMs: 0 })
      // Check every counter before writing any. Holds of a rolled-back lease are already off.
      const steps = [...plan.values()].map((actual) => {
        const current = readCounter(actual.key, time)
        const exists = live(actual.key, time) !== undefined
        const held = exists && lease?.rolledBack === false ? (lease.holds.get(actual.key) ?? 0) : 0
        if (!Number.isSafeInteger(current - held + actual.amount)) throw outOfRangeError(actual.key)
        return { actual, held, exists }
      })
      const counters = steps.map(({ actual, held, exists }) => {
        let total = 0
        if (exists) {
          total = addToCounter(actual.key, actual.amount - held, time, actual.ttlMs)
          if (held > 0) releaseHeld(actual.key, held)
        } else {
          heldByKey.delete(actual.key)
          if (actual.amount > 0) total = addToCounter(actual.key, actual.amount, time, actual.ttlMs)
        }
        return { key: actual.key, held, amount: actual.amount, total }
      })
      const keepMs = input.keepMs > 0 ? input.keepMs : LEASE_KEEP_MS
      leases.set(input.id, {
        expiresAt: lease?.expiresAt ?? time,
        ttlMs: lease?.ttlMs ?? keepMs,
        keepUntil: time + keepMs,
        state: 'settled',
        rolledBack: lease?.rolledBack ?? false,
        outcome: input.outcome,
        data: lease?.data ?? null,
        holds: new Map(),
      })
      return { status, counters }
    },

    async getLease(id): Promise<LeaseInfo | null> {
      const checked = checkLeaseId(id)
      const time = clock()
      const lease = liveLease(checked, time)
      if (lease === undefined) return null
      return {
        id: checked,
        state: lease.state === 'settled' ? 'settled' : time > lease.expiresAt ? 'expired' : 'held',
        expiresAt: lease.expiresAt,
        ttlMs: lease.ttlMs,
        data: lease.data,
        outcome: lease.outcome,
        holds: [...lease.holds].map(([key, amount]) => ({ key, amount })),
      }
    },

    async readCounters(keys): Promise<CounterReading[]> {
      const checked = checkKeys(keys)
      const time = clock()
      reclaim(time)
      return checked.map((key) => {
        const value = readCounter(key, time)
        const exists = live(key, time) !== undefined
        return { key, value, held: exists ? Math.max(0, heldByKey.get(key) ?? 0) : 0 }
      })
    },

    async hit(key, windowOptions): Promise<SlidingWindowResult> {
      const input = checkHit(key, windowOptions)
      const time = clock()
      const entry = live(input.key, time)
      if (entry !== undefined && entry.kind !== 'window') throw wrongKindError(input.key)
      const hits = entry?.hits ?? []
      // The log is ordered, oldest first: drop what left the window (binary search, not a scan —
      // a generous limit keeps tens of thousands of hits in a window).
      const expired = firstAfter(hits, time - input.windowMs)
      if (expired > 0) hits.splice(0, expired)
      const count = hits.length

      if (count + input.cost <= input.limit) {
        const last = hits[count - 1]
        if (last === undefined || last <= time) for (let i = 0; i < input.cost; i++) hits.push(time)
        // An injected clock may step back: insert where the log stays ordered.
        else hits.splice(firstAfter(hits, time), 0, ...new Array<number>(input.cost).fill(time))
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
      for (const lease of leases.values()) if (time <= lease.keepUntil) removed++
      for (const held of heldByKey.values()) if (held !== 0) removed++
      entries.clear()
      heldByKey.clear()
      leases.clear()
      expiries.clear()
      return removed
    },

    async ping() {
      clock()
    },

    async close() {
      closed = true
      entries.clear()
      heldByKey.clear()
      leases.clear()
      expiries.clear()
    },
  }
  return store
}

/** Index of the first entry of an ascending list greater than `value` (`list.length` if none). */
function firstAfter(list: readonly number[], value: number): number {
  let low = 0
  let high = list.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((list[middle] as number) <= value) low = middle + 1
    else high = middle
  }
  return low
}
