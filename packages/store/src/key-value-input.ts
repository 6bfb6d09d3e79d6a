import { ValidationError } from '@skillos/contracts'
import type { ValidationIssue } from '@skillos/contracts'
import type {
  LeaseActual,
  LeaseOptions,
  ReserveEntry,
  ReserveOptions,
  SetOptions,
  SettleLeaseOptions,
  SlidingWindowOptions,
} from './key-value.js'

// Input checks shared by every key-value adapter, so both refuse the same calls with the same
// messages, before anything is read or written.

/** The default key prefix of every key-value store. */
export const DEFAULT_KEY_PREFIX = 'skillos:'

/** Keys under the prefix that start with this hold lease bookkeeping; callers may not use them. */
export const LEASE_KEY_MARK = '~lease'

/** A set call after its checks: `ttlMs` is 0 when the key should not expire. */
export interface SetInput {
  key: string
  value: string
  ttlMs: number
  ifNotExists: boolean
}

export interface IncrementInput {
  key: string
  by: number
  ttlMs: number
}

export interface CompareAndSetInput {
  key: string
  expected: string | null
  next: string
  ttlMs: number
}

/** A reserve call after its checks: each entry's `ttlMs` is resolved (0: the key does not expire). */
export interface ReserveInput {
  entries: (ReserveEntry & { ttlMs: number })[]
  lease: { id: string; ttlMs: number; data: string | null } | null
}

export interface SettleLeaseInput {
  id: string
  /** One per key (repeated keys summed), each with its resolved `ttlMs` (0: none). */
  actuals: { key: string; amount: number; ttlMs: number }[]
  outcome: string | null
  /** 0: the default (one minute). */
  keepMs: number
}

export interface HitInput {
  key: string
  limit: number
  windowMs: number
  cost: number
}

export interface LockInput {
  key: string
  ttlMs: number
}

export interface TokenInput {
  key: string
  token: string
}

export interface ExtendInput extends TokenInput {
  ttlMs: number
}

class InputCheck {
  private readonly issues: ValidationIssue[] = []

  key(path: string, value: unknown): string {
    if (typeof value !== 'string' || value.length === 0)
      this.fail(path, 'must be a non-empty string')
    else if (value.startsWith(LEASE_KEY_MARK))
      this.fail(path, `must not start with "${LEASE_KEY_MARK}" (reserved for lease bookkeeping)`)
    return value as string
  }

  /** A non-empty string that is not a key (a lease id, a token). */
  name(path: string, value: unknown): string {
    if (typeof value !== 'string' || value.length === 0)
      this.fail(path, 'must be a non-empty string')
    return value as string
  }

  text(path: string, value: unknown): string {
    if (typeof value !== 'string') this.fail(path, 'must be a string')
    return value as string
  }

  integer(path: string, value: unknown): number {
    if (!Number.isSafeInteger(value)) this.fail(path, 'must be a safe integer')
    return value as number
  }

  nonNegative(path: string, value: unknown): number {
    if (!Number.isSafeInteger(value) || (value as number) < 0)
      this.fail(path, 'must be a non-negative safe integer')
    return value as number
  }

  positive(path: string, value: unknown): number {
    if (!Number.isSafeInteger(value) || (value as number) <= 0)
      this.fail(path, 'must be a positive safe integer')
    return value as number
  }

  /** An optional `ttlMs`: absent means "never expires" and becomes 0. */
  ttl(path: string, value: unknown): number {
    return value === undefined ? 0 : this.positive(path, value)
  }

  options(path: string, value: unknown): Record<string, unknown> {
    if (value === undefined) return {}
    if (typeof value !== 'object' || value === null) {
      this.fail(path, 'must be an object')
      return {}
    }
    return value as Record<string, unknown>
  }

  fail(path: string, message: string): void {
    this.issues.push({ path, message })
  }

  /** Throw one `ValidationError` listing every problem found; otherwise return `value`. */
  done<T>(value: T): T {
    if (this.issues.length > 0) {
      throw new ValidationError(
        this.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
        this.issues,
      )
    }
    return value
  }
}

/** Check a store prefix: empty would make `clear()` delete every key of a shared Redis. */
export function checkPrefix(prefix: unknown): string {
  const check = new InputCheck()
  const value = prefix === undefined ? DEFAULT_KEY_PREFIX : check.key('prefix', prefix)
  return check.done(value)
}

export function checkConnectTimeout(value: unknown): number | undefined {
  const check = new InputCheck()
  return check.done(value === undefined ? undefined : check.positive('connectTimeoutMs', value))
}

export function checkKey(key: unknown): string {
  const check = new InputCheck()
  return check.done(check.key('key', key))
}

export function checkSet(key: unknown, value: unknown, options: SetOptions | undefined): SetInput {
  const check = new InputCheck()
  const opts = check.options('options', options)
  const ifNotExists = opts.ifNotExists
  if (ifNotExists !== undefined && typeof ifNotExists !== 'boolean')
    check.fail('ifNotExists', 'must be a boolean')
  return check.done({
    key: check.key('key', key),
    value: check.text('value', value),
    ttlMs: check.ttl('ttlMs', opts.ttlMs),
    ifNotExists: ifNotExists === true,
  })
}

export function checkIncrement(
  key: unknown,
  by: unknown,
  options: { ttlMs?: number } | undefined,
): IncrementInput {
  const check = new InputCheck()
  const opts = check.options('options', options)
  return check.done({
    key: check.key('key', key),
    by: by === undefined ? 1 : check.integer('by', by),
    ttlMs: check.ttl('ttlMs', opts.ttlMs),
  })
}

export function checkCompareAndSet(
  key: unknown,
  expected: unknown,
  next: unknown,
  options: { ttlMs?: number } | undefined,
): CompareAndSetInput {
  const check = new InputCheck()
  const opts = check.options('options', options)
  return check.done({
    key: check.key('key', key),
    expected: expected === null ? null : check.text('expected', expected),
    next: check.text('next', next),
    ttlMs: check.ttl('ttlMs', opts.ttlMs),
  })
}

export function checkReserve(entries: unknown, options: ReserveOptions | undefined): ReserveInput {
  const check = new InputCheck()
  const opts = check.options('options', options)
  const defaultTtl = check.ttl('ttlMs', opts.ttlMs)
  const checked: ReserveInput['entries'] = []
  if (!Array.isArray(entries)) {
    check.fail('entries', 'must be an array')
  } else {
    entries.forEach((entry: unknown, index) => {
      const item = check.options(`entries.${index}`, entry)
      checked.push({
        key: check.key(`entries.${index}.key`, item.key),
        amount: check.nonNegative(`entries.${index}.amount`, item.amount),
        limit: check.nonNegative(`entries.${index}.limit`, item.limit),
        ttlMs:
          item.ttlMs === undefined
            ? defaultTtl
            : check.positive(`entries.${index}.ttlMs`, item.ttlMs),
      })
    })
  }
  let lease: ReserveInput['lease'] = null
  if (opts.lease !== undefined) {
    const raw = check.options('lease', opts.lease) as Partial<LeaseOptions>
    if (raw.data !== undefined && typeof raw.data !== 'string')
      check.fail('lease.data', 'must be a string')
    lease = {
      id: check.name('lease.id', raw.id),
      ttlMs: check.positive('lease.ttlMs', raw.ttlMs),
      data: typeof raw.data === 'string' ? raw.data : null,
    }
  }
  return check.done({ entries: checked, lease })
}

export function checkLeaseId(id: unknown): string {
  const check = new InputCheck()
  return check.done(check.name('id', id))
}

export function checkSettleLease(
  id: unknown,
  actuals: readonly LeaseActual[] | undefined,
  options: SettleLeaseOptions | undefined,
): SettleLeaseInput {
  const check = new InputCheck()
  const opts = check.options('options', options)
  const byKey = new Map<string, { key: string; amount: number; ttlMs: number }>()
  if (actuals !== undefined && !Array.isArray(actuals)) {
    check.fail('actuals', 'must be an array')
  } else {
    ;(actuals ?? []).forEach((actual: unknown, index) => {
      const item = check.options(`actuals.${index}`, actual)
      const key = check.key(`actuals.${index}.key`, item.key)
      const amount = check.nonNegative(`actuals.${index}.amount`, item.amount)
      const ttlMs = check.ttl(`actuals.${index}.ttlMs`, item.ttlMs)
      const seen = byKey.get(key)
      if (seen) {
        seen.amount += amount
        if (!Number.isSafeInteger(seen.amount))
          check.fail(`actuals.${index}.amount`, 'sum is too large')
      } else byKey.set(key, { key, amount, ttlMs })
    })
  }
  if (opts.outcome !== undefined && typeof opts.outcome !== 'string')
    check.fail('outcome', 'must be a string')
  return check.done({
    id: check.name('id', id),
    actuals: [...byKey.values()],
    outcome: typeof opts.outcome === 'string' ? opts.outcome : null,
    keepMs: check.ttl('keepMs', opts.keepMs),
  })
}

export function checkKeys(keys: unknown): string[] {
  const check = new InputCheck()
  if (!Array.isArray(keys)) {
    check.fail('keys', 'must be an array')
    return check.done([])
  }
  return check.done(keys.map((key: unknown, index) => check.key(`keys.${index}`, key)))
}

export function checkHit(key: unknown, options: SlidingWindowOptions): HitInput {
  const check = new InputCheck()
  const opts = check.options('options', options)
  if (options === undefined) check.fail('options', 'must be an object with limit and windowMs')
  return check.done({
    key: check.key('key', key),
    limit: check.nonNegative('limit', opts.limit),
    windowMs: check.positive('windowMs', opts.windowMs),
    cost: opts.cost === undefined ? 1 : check.positive('cost', opts.cost),
  })
}

export function checkLock(key: unknown, ttlMs: unknown): LockInput {
  const check = new InputCheck()
  return check.done({ key: check.key('key', key), ttlMs: check.positive('ttlMs', ttlMs) })
}

export function checkToken(key: unknown, token: unknown): TokenInput {
  const check = new InputCheck()
  return check.done({ key: check.key('key', key), token: check.name('token', token) })
}

export function checkExtend(key: unknown, token: unknown, ttlMs: unknown): ExtendInput {
  const check = new InputCheck()
  return check.done({
    key: check.key('key', key),
    token: check.name('token', token),
    ttlMs: check.positive('ttlMs', ttlMs),
  })
}
