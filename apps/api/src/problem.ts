import { SkillOSError, httpStatusByCode, toHttpProblem, type ErrorCode } from '@skillos/contracts'

/** The one table from SkillOS error codes to HTTP statuses (shared by every app, in contracts). */
export const STATUS_BY_CODE = httpStatusByCode

/** An error as status, headers and problem+json body. Unknown errors become a bare 500. */
export const problemOf = toHttpProblem

/** Shorthand for the errors routes raise themselves. */
export function apiError(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): SkillOSError {
  return new SkillOSError({ code, message, ...(details ? { details } : {}) })
}
