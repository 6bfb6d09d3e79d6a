/**
 * The key-value / counter port: what budgets, rate limits, idempotency keys and locks are built on.
 * Two adapters pass the same contract suite (`key-value.contract.ts`): in-process (`memory://` or no
 * URL) and Redis (`redis://`, `rediss://`), where every multi-step operation is one atomic Lua script.
 *
 * Keys are plain strings; each store puts its `prefix` in front of every key it touches, so several
 * tenants, apps or test files can share one Redis without seeing each other. Values are strings:
 * callers serialise. Counters and reservations hold integers (use micro-units for money).
 */
export interface KeyValueStore {
  /** `memory` or `redis`. */
  readonly kind: 'memory' | 'redis'
  /** The URL in use, password masked (`memory://` for the in-process adapter). */
  readonly url: string
  /** The prefix put in front of every key. */
  readonly prefix: string

  get(key: string): Promise<string | null>
  /**
   * Set a value. With `ifNotExists` only when the key is absent; returns whether it was written.
   * `ttlMs` makes the key expire; without it the key lives until deleted.
   */
  set(key: string, value: string, options?: SetOptions): Promise<boolean>
  /** Delete a key; returns whether it existed. */
  delete(key: string): Promise<boolean>
  /** Milliseconds until the key expires; `null` when the key is absent, `Infinity` when it never expires. */
  ttl(key: string): Promise<number | null>

  /**
   * Atomically add `by` (an integer, may be negative; default 1) and return the new value. A key
   * created by this call gets `ttlMs`; an existing key keeps its expiry.
   */
  increment(key: string, by?: number, options?: { ttlMs?: number }): Promise<number>

  /**
   * Atomically replace the value when it equals `expected` (`null`: only when the key is absent).
   * Returns whether it was replaced.
   */
  compareAndSet(
    key: string,
    expected: string | null,
    next: string,
    options?: { ttlMs?: number },
  ): Promise<boolean>

  /**
   * Atomically add each entry's `amount` to its counter only if **every** counter stays within its
   * `limit` (all or nothing). Keys created here get the entry's `ttlMs`, else the call's `ttlMs`.
   * Give back unused amounts with a negative `increment`, or reserve under a `lease` and settle it.
   *
   * With `lease`, the store also records what this call added to each counter (a *hold*) under the
   * lease id. `settleLease` later turns the holds into actual amounts. A lease that is neither settled
   * nor released within `lease.ttlMs` has expired, and the next leased `reserve`, `settleLease` or
   * `readCounters` that uses its hash tag (see below) first subtracts its holds from their counters,
   * in the same atomic step: an abandoned reservation (a crashed run) stops counting by itself. A
   * reservation without a lease rolls nothing back (it stays the cheap path for counters no lease
   * holds; until a leased call comes, it counts expired holds as still held). A lease id that is in
   * use (held, or settled and still remembered) is refused with `CONFLICT`; a refused reservation
   * records no lease.
   *
   * Leases are indexed by the hash tag of their id (`{acme}:r-1` → `acme`; ids without one share one
   * index), and a call rolls back the expired leases of the tags of the keys it names: give a lease
   * id the hash tag of its counters (Redis Cluster needs that anyway). A counter a lease holds must
   * outlive the lease (give it a longer ttl); keys starting with `~lease` are reserved.
   */
  reserve(entries: readonly ReserveEntry[], options?: ReserveOptions): Promise<ReserveResult>

  /**
   * Settle a lease: for each of its counters and each entry of `actuals`, add `actual − hold` where
   * the hold is what the lease still holds on that counter (0 once rolled back as expired). Counters
   * of the lease that `actuals` does not name get actual 0: their hold is released. All in one atomic
   * step; amounts past a counter's limit are still added (what was spent was spent).
   *
   * The settled lease is remembered for `keepMs` (default one minute) with `outcome`, so a retry
   * changes nothing and reports `already-settled`. A lease the store does not know (never made, or
   * forgotten: an unsettled lease is remembered for its ttl, at least a minute, after it expires)
   * still gets its actuals added and reports `unknown`.
   */
  settleLease(
    id: string,
    actuals?: readonly LeaseActual[],
    options?: SettleLeaseOptions,
  ): Promise<SettleLeaseResult>

  /** A lease's state, expiry, data and holds; `null` when the store does not know it. */
  getLease(id: string): Promise<LeaseInfo | null>

  /**
   * Read counters that leases hold on, after rolling back expired leases of their hash tags: `value`
   * is the counter, `held` the part of it that live leases hold. Absent counters read as 0.
   */
  readCounters(keys: readonly string[]): Promise<CounterReading[]>

  /**
   * Sliding-window rate limit (exact log of hits): admits a hit of `cost` (default 1) when the hits
   * of the last `windowMs` plus `cost` stay within `limit`. A refused hit is not counted.
   */
  hit(key: string, options: SlidingWindowOptions): Promise<SlidingWindowResult>

  /** A short lock: returns the lock with its owner token, or `null` when someone else holds it. */
  acquireLock(key: string, ttlMs: number): Promise<Lock | null>
  /** Release a lock only if `token` still owns it; returns whether it was released. */
  releaseLock(key: string, token: string): Promise<boolean>
  /** Extend a lock only if `token` still owns it; returns whether it was extended. */
  extendLock(key: string, token: string, ttlMs: number): Promise<boolean>

  /** Delete every key under this store's prefix; returns how many were deleted. */
  clear(): Promise<number>
  /** Round-trip to the backing service; throws `UNAVAILABLE` when it cannot be reached. */
  ping(): Promise<void>
  close(): Promise<void>
}

export interface SetOptions {
  ttlMs?: number
  ifNotExists?: boolean
}

export interface ReserveEntry {
  key: string
  /** Non-negative integer to add. */
  amount: number
  /** Inclusive upper bound for the counter after the addition. */
  limit: number
  /** Expiry for this key if this call creates it; overrides the call's `ttlMs`. */
  ttlMs?: number
}

export interface ReserveOptions {
  /** Expiry of the keys this call creates (entries may override it). */
  ttlMs?: number
  /** Record the amounts as holds of this lease (see `settleLease`). */
  lease?: LeaseOptions
}

export interface LeaseOptions {
  /** Unique id of the lease (a reservation id); put the counters' hash tag in it on Redis Cluster. */
  id: string
  /** How long the holds last before they count as abandoned and are rolled back. */
  ttlMs: number
  /** Opaque text kept with the lease (e.g. JSON about the reservation), returned by `getLease`. */
  data?: string
}

export interface LeaseActual {
  key: string
  /** Non-negative integer: what was really used on this counter. */
  amount: number
  /** Expiry for the key if settling creates it (the counter had expired or was lost). */
  ttlMs?: number
}

export interface SettleLeaseOptions {
  /** A label kept with the settled lease and returned to later settle attempts (`committed`, `released`). */
  outcome?: string
  /** How long the settled lease is remembered (to answer retries); default one minute. */
  keepMs?: number
}

/** One counter of a settled lease: what the lease still held there, what was added, and the new value. */
export interface SettledCounter {
  key: string
  held: number
  amount: number
  total: number
}

export type SettleLeaseResult =
  | {
      /** `settled` in time; `expired` after its ttl (holds already rolled back stay so); `unknown`. */
      status: 'settled' | 'expired' | 'unknown'
      counters: SettledCounter[]
    }
  | { status: 'already-settled'; outcome: string | null; counters: [] }

export interface LeaseInfo {
  id: string
  /** `held` until `expiresAt`, then `expired`; `settled` once settled or released. */
  state: 'held' | 'expired' | 'settled'
  /** Epoch milliseconds (the store's clock: Redis's for Redis) when the holds stop counting. */
  expiresAt: number
  ttlMs: number
  data: string | null
  outcome: string | null
  /** What the lease added to each counter when it was made; empty once it is settled. */
  holds: { key: string; amount: number }[]
}

export interface CounterReading {
  key: string
  /** The counter without expired holds. */
  value: number
  /** The part of `value` held by live leases. */
  held: number
}

export type ReserveResult =
  | { ok: true; totals: number[] }
  | {
      ok: false
      /** The first entry that would have crossed its limit. */
      index: number
      key: string
      current: number
      requested: number
      limit: number
    }

export interface SlidingWindowOptions {
  limit: number
  windowMs: number
  cost?: number
}

export interface SlidingWindowResult {
  allowed: boolean
  /** Hits counted in the window after this call. */
  count: number
  limit: number
  remaining: number
  /** 0 when allowed; otherwise milliseconds until enough hits leave the window to admit this cost. */
  retryAfterMs: number
}

export interface Lock {
  readonly key: string
  readonly token: string
  release(): Promise<boolean>
  extend(ttlMs: number): Promise<boolean>
}

export interface OpenKeyValueOptions {
  /** Put in front of every key (e.g. `skillos:`); default `skillos:`. */
  prefix?: string
  /** Clock for the in-process adapter (tests). Redis uses the server's clock. */
  now?: () => number
  /** How long to wait for Redis to answer at open; default 5000 ms. */
  connectTimeoutMs?: number
}
