import { httpStatusByCode, toHttpProblem, type Problem } from '@skillos/contracts'

/** The one table from SkillOS error codes to HTTP statuses (shared by every app, in contracts). */
export const STATUS_BY_CODE = httpStatusByCode

/** The RFC 9457 body for any thrown value, with only what a caller may see; unknown errors are a bare 500. */
export function problemFor(error: unknown, instance?: string): Problem {
  return toHttpProblem(error, instance).body
}
