import type { AgentSkillProblemCode } from './codes.js'
import {
  AGENT_SKILL_FIELDS,
  AGENT_SKILL_LIMITS,
  agentSkillNameProblems,
  describeValue,
  isPlainRecord,
} from './spec.js'

/** One way a frontmatter breaks the Agent Skills spec, not yet placed on a line. */
export interface FrontmatterIssue {
  code: AgentSkillProblemCode
  /** Field path: `['name']`, `['metadata', 'version']`. */
  path: string[]
  /** The reason, read after the field: `"a--b" must not contain consecutive hyphens ("--")`. */
  message: string
}

const knownFields: ReadonlySet<string> = new Set(AGENT_SKILL_FIELDS)

/**
 * Check parsed frontmatter against the Agent Skills spec, field by field. Every rule broken is
 * reported, in field order; an empty list means the frontmatter is spec-valid.
 */
export function checkFrontmatter(
  data: Record<string, unknown>,
  folderName: string,
): FrontmatterIssue[] {
  return [
    ...checkName(data.name, folderName),
    ...checkDescription(data.description),
    ...checkLicense(data),
    ...checkCompatibility(data),
    ...checkMetadata(data),
    ...checkAllowedTools(data),
    ...Object.keys(data)
      .filter((key) => !knownFields.has(key))
      .map((key) => ({
        code: 'AGENT_SKILL_UNKNOWN_FIELD' as const,
        path: [key],
        message: `is not an Agent Skills field (allowed: ${AGENT_SKILL_FIELDS.join(', ')})`,
      })),
  ]
}

function checkName(name: unknown, folderName: string): FrontmatterIssue[] {
  const path = ['name']
  if (name === undefined || name === null || name === '') {
    return [{ code: 'AGENT_SKILL_NAME_MISSING', path, message: 'is required' }]
  }
  if (typeof name !== 'string') {
    return [
      {
        code: 'AGENT_SKILL_NAME_INVALID',
        path,
        message: `must be text, not ${describeValue(name)}`,
      },
    ]
  }
  const issues: FrontmatterIssue[] = agentSkillNameProblems(name).map((reason) => ({
    code: 'AGENT_SKILL_NAME_INVALID',
    path,
    message: `"${name}" ${reason}`,
  }))
  if (name !== folderName) {
    issues.push({
      code: 'AGENT_SKILL_NAME_MISMATCH',
      path,
      message: `"${name}" must equal the skill's folder name "${folderName}"`,
    })
  }
  return issues
}

function checkDescription(description: unknown): FrontmatterIssue[] {
  const path = ['description']
  if (description === undefined || description === null) {
    return [
      {
        code: 'AGENT_SKILL_DESCRIPTION_MISSING',
        path,
        message: 'is required (what the skill does and when to use it)',
      },
    ]
  }
  if (typeof description !== 'string') {
    return [
      {
        code: 'AGENT_SKILL_DESCRIPTION_NOT_STRING',
        path,
        message: `must be text, not ${describeValue(description)}`,
      },
    ]
  }
  if (description.trim() === '') {
    return [{ code: 'AGENT_SKILL_DESCRIPTION_MISSING', path, message: 'must not be empty' }]
  }
  if (description.length > AGENT_SKILL_LIMITS.description) {
    return [
      {
        code: 'AGENT_SKILL_DESCRIPTION_TOO_LONG',
        path,
        message: `is ${description.length} characters; at most ${AGENT_SKILL_LIMITS.description} are allowed`,
      },
    ]
  }
  return []
}

function checkLicense(data: Record<string, unknown>): FrontmatterIssue[] {
  if (!('license' in data) || typeof data.license === 'string') return []
  return [
    {
      code: 'AGENT_SKILL_LICENSE_NOT_STRING',
      path: ['license'],
      message: `must be text, not ${describeValue(data.license)}`,
    },
  ]
}

function checkCompatibility(data: Record<string, unknown>): FrontmatterIssue[] {
  if (!('compatibility' in data)) return []
  const path = ['compatibility']
  const value = data.compatibility
  if (typeof value !== 'string' || value.trim() === '') {
    return [
      {
        code: 'AGENT_SKILL_COMPATIBILITY_INVALID',
        path,
        message: `must be 1-${AGENT_SKILL_LIMITS.compatibility} characters of text, not ${describeValue(value)}`,
      },
    ]
  }
  if (value.length > AGENT_SKILL_LIMITS.compatibility) {
    return [
      {
        code: 'AGENT_SKILL_COMPATIBILITY_TOO_LONG',
        path,
        message: `is ${value.length} characters; at most ${AGENT_SKILL_LIMITS.compatibility} are allowed`,
      },
    ]
  }
  return []
}

function checkMetadata(data: Record<string, unknown>): FrontmatterIssue[] {
  if (!('metadata' in data)) return []
  const metadata = data.metadata
  if (!isPlainRecord(metadata)) {
    return [
      {
        code: 'AGENT_SKILL_METADATA_INVALID',
        path: ['metadata'],
        message: `must be a mapping of text keys to text values, not ${describeValue(metadata)}`,
      },
    ]
  }
  return Object.entries(metadata)
    .filter(([, value]) => typeof value !== 'string')
    .map(([key, value]) => ({
      code: 'AGENT_SKILL_METADATA_NOT_STRING' as const,
      path: ['metadata', key],
      message: `must be text (metadata maps text to text), not ${describeValue(value)}`,
    }))
}

function checkAllowedTools(data: Record<string, unknown>): FrontmatterIssue[] {
  if (!('allowed-tools' in data)) return []
  const value = data['allowed-tools']
  const path = ['allowed-tools']
  if (typeof value === 'string') return []
  if (Array.isArray(value)) {
    return [
      {
        code: 'AGENT_SKILL_ALLOWED_TOOLS_LIST',
        path,
        message: 'must be one space-delimited string ("Read Grep Bash(git:*)"), not a list',
      },
    ]
  }
  return [
    {
      code: 'AGENT_SKILL_ALLOWED_TOOLS_INVALID',
      path,
      message: `must be a space-delimited string, not ${describeValue(value)}`,
    },
  ]
}
