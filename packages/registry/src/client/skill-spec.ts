import { SKILL_ID_PATTERN, ValidationError } from '@skillos/contracts'

/** What `skillos install` was asked for: `acme/convert-currency`, `acme/convert-currency@^1.2.0`, `…@beta`. */
export interface SkillSpec {
  id: string
  scope: string
  name: string
  /** A semver range or a dist-tag; absent means the `latest` dist-tag. */
  range?: string
}

/**
 * Split a skill id into its scope (the unit of ownership) and name.
 *
 * @throws ValidationError naming `field` when `id` is not `scope/name`.
 * @example
 * ```ts
 * parseSkillId('acme/convert-currency') // { id: 'acme/convert-currency', scope: 'acme', name: 'convert-currency' }
 * ```
 */
export function parseSkillId(
  id: string,
  field = 'id',
): { id: string; scope: string; name: string } {
  if (!SKILL_ID_PATTERN.test(id)) {
    throw new ValidationError(`Invalid skill id "${id}"`, [
      {
        path: field,
        message:
          'must look like "scope/name": lowercase letters, digits and single hyphens, e.g. "acme/convert-currency"',
      },
    ])
  }
  const [scope = '', name = ''] = id.split('/')
  return { id, scope, name }
}

/**
 * Parse `id[@range]`; the range may be a semver range or a dist-tag (`beta`).
 *
 * @example
 * ```ts
 * parseSkillSpec('acme/convert-currency@^1.2.0').range // '^1.2.0'
 * ```
 */
export function parseSkillSpec(spec: string): SkillSpec {
  const at = spec.indexOf('@')
  const id = at === -1 ? spec : spec.slice(0, at)
  const range = at === -1 ? undefined : spec.slice(at + 1).trim()
  const parsed = parseSkillId(id, spec)
  if (range !== undefined && range === '') {
    throw new ValidationError(`Invalid skill "${spec}": nothing after "@"`, [
      {
        path: spec,
        message: 'give a version range or a dist-tag after "@", e.g. @^1.2.0 or @beta',
      },
    ])
  }
  return { ...parsed, ...(range === undefined ? {} : { range }) }
}
