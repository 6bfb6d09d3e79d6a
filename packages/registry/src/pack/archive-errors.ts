import { SkillOSError, ValidationError } from '@skillos/contracts'

/**
 * A malformed or unsafe archive entry: `VALIDATION_FAILED`, the entry path in the message, in
 * `details.entry` and as the issue path.
 */
export function unsafeEntry(entry: string, reason: string): ValidationError {
  return new ValidationError(
    `Refusing skill archive: entry "${entry}" ${reason}`,
    [{ path: entry, message: reason }],
    { details: { entry } },
  )
}

/** The archive as a whole is malformed (not gzip, not tar, truncated): `VALIDATION_FAILED`. */
export function malformedArchive(reason: string, cause?: unknown): ValidationError {
  return new ValidationError(
    `Refusing skill archive: ${reason}`,
    [{ path: '(archive)', message: reason }],
    cause === undefined ? {} : { cause },
  )
}

/** A size or count limit was exceeded: `PAYLOAD_TOO_LARGE`, naming the limit and, when known, the entry. */
export function overLimit(
  message: string,
  details: { limit: number; entry?: string; option: string },
): SkillOSError {
  return new SkillOSError({ code: 'PAYLOAD_TOO_LARGE', message, details })
}
