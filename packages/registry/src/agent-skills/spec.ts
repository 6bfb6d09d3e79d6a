/** The file name of an Agent Skill inside its folder. */
export const SKILL_MD_FILE = 'SKILL.md'

/** The top-level frontmatter fields the Agent Skills spec (agentskills.io) allows; no others. */
export const AGENT_SKILL_FIELDS = [
  'name',
  'description',
  'license',
  'compatibility',
  'metadata',
  'allowed-tools',
] as const

/** Spec limits, in characters (UTF-16 code units, as zod and the manifest count them). */
export const AGENT_SKILL_LIMITS = {
  name: 64,
  description: 1024,
  compatibility: 500,
} as const

/** Largest SKILL.md the importer reads: instructions, not data. */
export const MAX_SKILL_MD_BYTES = 1024 * 1024

/** A spec-valid skill name: lowercase a–z and digits in words joined by single hyphens. */
export const AGENT_SKILL_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/**
 * Why `name` breaks the spec's naming rule, one reason per broken rule; empty when it is valid.
 * (Whether it equals the folder name is checked separately.)
 *
 * @example
 * ```ts
 * agentSkillNameProblems('PDF--tools') // ['must be lowercase…', 'must not contain "--"']
 * ```
 */
export function agentSkillNameProblems(name: string): string[] {
  const reasons: string[] = []
  if (name.length === 0) return ['must not be empty']
  if (name.length > AGENT_SKILL_LIMITS.name)
    reasons.push(`is ${name.length} characters; at most ${AGENT_SKILL_LIMITS.name} are allowed`)
  if (/[^a-z0-9-]/.test(name))
    reasons.push('must use only lowercase letters a-z, digits and hyphens')
  if (name.startsWith('-') || name.endsWith('-'))
    reasons.push('must not start or end with a hyphen')
  if (name.includes('--')) reasons.push('must not contain consecutive hyphens ("--")')
  return reasons
}

/** True for a plain YAML mapping (not null, not a list). */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** How a value reads in a message: `a list`, `a number (3)`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return 'text'
  return `a ${typeof value} (${String(value)})`
}
