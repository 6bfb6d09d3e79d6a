import { ValidationError } from '@skillos/contracts'
import type { ValidationIssue } from '@skillos/contracts'
import type { ReserveEntry, SetOptions, SlidingWindowOptions } from './key-value.js'

// Input checks shared by every key-value adapter, so both refuse the same calls with the same
// messages, before anything is read or written.

/** The default key prefix of every key-value store. */
export const DEFAULT_KEY_PREFIX = 'skillos:'

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

export interface ReserveInput {
  entries: ReserveEntry[]
  ttlMs: number
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

export function checkReserve(
  entries: unknown,
  options: { ttlMs?: number } | undefined,
): ReserveInput {
  const check = new InputCheck()
  const opts = check.options('options', options)
  const checked: ReserveEntry[] = []
  if (!Array.isArray(entries)) {
    check.fail('entries', 'must be an array')
  } else {
    entries.forEach((entry: unknown, index) => {
      const item = check.options(`entries.${index}`, entry)
      checked.push({
        key: check.key(`entries.${index}.key`, item.key),
        amount: check.nonNegative(`entries.${index}.amount`, item.amount),
        limit: check.nonNegative(`entries.${index}.limit`, item.limit),
      })
    })
  }
  return check.done({ entries: checked, ttlMs: check.ttl('ttlMs', opts.ttlMs) })
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
  return check.done({ key: check.key('key', key), token: check.key('token', token) })
}

export function checkExtend(key: unknown, token: unknown, ttlMs: unknown): ExtendInput {
  const check = new InputCheck()
  return check.done({
    key: check.key('key', key),
    token: check.key('token', token),
    ttlMs: check.positive('ttlMs', ttlMs),
  })
}
