import { SkillOSError } from '@skillos/contracts'

// Errors about what a key already holds, raised the same way by every key-value adapter (Redis
// reports them as WRONGTYPE or script errors; the in-process adapter detects them itself).

/** The key holds text that is not an integer, so it cannot be counted. */
export function notAnIntegerError(key: string): SkillOSError {
  return new SkillOSError({
    code: 'CONFLICT',
    message: `key "${key}" holds a value that is not an integer, so it cannot be used as a counter`,
    details: { key },
  })
}

/** The key holds a sliding-window log where a value is expected, or the other way round. */
export function wrongKindError(key: string): SkillOSError {
  return new SkillOSError({
    code: 'CONFLICT',
    message: `key "${key}" holds another kind of entry (a value vs. a sliding-window log) than this operation uses`,
    details: { key },
  })
}

/** The counter would leave the range JavaScript numbers hold exactly. */
export function outOfRangeError(key: string): SkillOSError {
  return new SkillOSError({
    code: 'CONFLICT',
    message: `key "${key}": the counter would leave the safe integer range (±${Number.MAX_SAFE_INTEGER})`,
    details: { key },
  })
}

/** A reservation named a lease id that is already held or was settled recently. */
export function leaseInUseError(id: string): SkillOSError {
  return new SkillOSError({
    code: 'CONFLICT',
    message: `lease "${id}" is already in use (held, or settled recently); use a new lease id`,
    details: { lease: id },
  })
}
