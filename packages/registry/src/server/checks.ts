import { SkillOSError, ValidationError, semverSchema, skillIdSchema } from '@skillos/contracts'
import semver from 'semver'

// The registry service's input checks and the errors it throws, in one place so that every module
// words them the same way (the HTTP app and the CLI show these messages as they are).

export const HOUR = 60 * 60 * 1000
/** What a dist-tag may look like (also applied to the tags a mirrored upstream sends). */
export const TAG_PATTERN = /^[a-z][a-z0-9._-]{0,63}$/
const SCOPE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const USER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/

/** `NOT_FOUND` for `what` (also what outsiders of a private scope get, so it does not leak). */
export const notFound = (what: string) =>
  new SkillOSError({ code: 'NOT_FOUND', message: `${what} was not found` })

/** `UNAUTHENTICATED`: no token where one is required, or a token that does not resolve. */
export const unauthenticated = (
  message = 'Authentication required: send Authorization: Bearer <token>',
) => new SkillOSError({ code: 'UNAUTHENTICATED', message })

/** `PERMISSION_DENIED`: the caller is known but lacks the role. */
export const denied = (message: string) => new SkillOSError({ code: 'PERMISSION_DENIED', message })

/** `CONFLICT`: the request is valid but the registry's state refuses it. */
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new SkillOSError({ code: 'CONFLICT', message, ...(details ? { details } : {}) })

/** A `ValidationError` naming the field (`path`) and the reason. */
export const invalid = (path: string, message: string) =>
  new ValidationError(`${path}: ${message}`, [{ path, message }])

/** Split a skill id (`acme/convert-currency`) into scope and name; throws when it is not one. */
export function checkId(id: string): { scope: string; name: string } {
  const parsed = skillIdSchema.safeParse(id)
  if (!parsed.success)
    throw invalid('id', `"${id}" is not a skill id such as acme/convert-currency`)
  const [scope, name] = id.split('/') as [string, string]
  return { scope, name }
}

/** The version when it is a semantic version; throws otherwise. */
export function checkVersion(version: string): string {
  if (!semverSchema.safeParse(version).success)
    throw invalid('version', `"${version}" is not a semantic version such as 1.2.0`)
  return version
}

/** The scope name when it is one (lowercase words joined by `-`); throws otherwise. */
export function checkScope(scope: string): string {
  if (!SCOPE_PATTERN.test(scope)) throw invalid('scope', `"${scope}" is not a scope such as acme`)
  return scope
}

/** The user name when it is one; throws naming `path` otherwise. */
export function checkUser(user: string, path = 'user'): string {
  if (!USER_PATTERN.test(user))
    throw invalid(path, `"${user}" is not a user name (letters, digits, . _ @ -; up to 128)`)
  return user
}

/** Throws unless `tag` is a dist-tag name that cannot be mistaken for a version or a range. */
export function checkTag(tag: string): void {
  if (!TAG_PATTERN.test(tag) || semver.validRange(tag) !== null)
    throw invalid(
      'tag',
      `"${tag}" is not a dist-tag (lowercase letters, digits, . _ -; not a version or range)`,
    )
}
