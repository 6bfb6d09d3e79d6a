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
   * `limit` (all or nothing). Keys created here get `ttlMs`. Give back unused amounts with a negative
   * `increment`.
   */
  reserve(entries: readonly ReserveEntry[], options?: { ttlMs?: number }): Promise<ReserveResult>

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
