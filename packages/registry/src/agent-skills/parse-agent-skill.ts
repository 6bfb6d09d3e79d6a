import { skillManifestSchema, type SkillManifest } from '@skillos/contracts'
import { SkillLoadError, type SkillProblem } from '../problems.js'
import { draftManifest } from './agent-skill-manifest.js'
import { normaliseAllowedTools } from './allowed-tools.js'
import { checkFrontmatter, type FrontmatterIssue } from './check-frontmatter.js'
import { parseFrontmatter } from './frontmatter-yaml.js'
import { metadataAsText, metadataValueText } from './metadata.js'
import { describeValue, isPlainRecord } from './spec.js'
import { splitSkillMd } from './split-skill-md.js'
import { quoteForMessage } from './text-limits.js'

/** An Agent Skill (a folder with a SKILL.md) read as a SkillOS instruction skill. */
export interface AgentSkill {
  /** A manifest that passes `parseSkillManifest`, mapped by the rules on {@link parseAgentSkill}. */
  manifest: SkillManifest
  /** The Markdown body: leading blank lines and trailing whitespace removed, `\n` line endings. */
  instructions: string
  /** 1-based SKILL.md line where `instructions` starts. */
  instructionsLine: number
  /** The frontmatter as parsed, untouched (the full description lives here even when cut). */
  frontmatter: Record<string, unknown>
  /** `allowed-tools` as a list, from the spec's space-delimited string or a YAML list. */
  allowedTools: string[]
  compatibility?: string
  /** `metadata` with every value as text (numbers, booleans as usual; lists and mappings as JSON). */
  metadata: Record<string, string>
  /** Everything that broke the spec or had to be changed, placed on its SKILL.md line. */
  warnings: SkillProblem[]
}

/** Where the SKILL.md text came from and how to name the skill. */
export interface ParseAgentSkillOptions {
  /** Path reported in problems. */
  file: string
  /** The folder that holds SKILL.md: the spec requires `name` to equal it. */
  folderName: string
  /** The SkillOS domain (the loader passes the parent folder's name); see the id rule. */
  domain?: string
}

/**
 * Read SKILL.md text as an instruction skill. Lenient: a file that breaks the spec in the ways real
 * files do still loads, with one warning per deviation; it throws `SkillLoadError` (every problem
 * placed on its line) only when no routable skill can be made: no frontmatter, frontmatter never
 * closed, YAML that does not parse even after repair, frontmatter that is not a mapping, no
 * description, or neither name nor folder usable as an id; also for binary or > 1 MiB text.
 *
 * Mapping onto the manifest:
 * - `id` = `${domain}/${slug}`. slug = `name` made an id segment (accents dropped, lowercased,
 *   other characters → one hyphen, ≤ 64), else the folder name. domain = `options.domain`, else the
 *   domain of `metadata.skillos-id` (written by {@link toSkillMd}), else `metadata.domain`, else
 *   `agent-skills`; each made an id segment (≤ 63) with a warning when it had to change.
 * - `version` = `metadata.version` when semver, with `1`/`1.2` padded to `1.0.0`/`1.2.0`; else
 *   `0.0.0` (a warning only when a version was given but unusable).
 * - `name` = `metadata.title` when present (toSkillMd stores the human title there), else the
 *   frontmatter `name`, else the folder name; ≤ 120 characters, cut at a word with a warning.
 * - `description` = the description trimmed; over 1024 characters it is cut at a word with `…` (the
 *   full text stays in `frontmatter`).
 * - `tags` from `metadata.tags` / `metadata.keywords` (comma- or space-separated text, or a list),
 *   lowercased; entries that cannot be tags are left out with a warning; at most 32.
 * - `examples` only from `metadata.skillos-examples` (a JSON list, written by toSkillMd); never
 *   guessed from the description.
 * - `license` = `license` (≤ 100, cut with a warning); `author` = `metadata.author` when text
 *   (≤ 200); `homepage` = the first http(s) URL among `metadata.homepage`, `source`, `repository`,
 *   `documentation`.
 * - `sideEffects` / `risk`: `write` / `medium` when `allowed-tools` names a tool that writes files or
 *   runs commands (`Bash(...)`, `Write`, `Edit`, …), else `read` / `low`. `metadata.risk` and
 *   `metadata.side-effects` may raise these, never lower them.
 * - `allowed-tools` are the host agent's tools (Bash, Read), not SkillOS tools: they stay in
 *   `allowedTools` and the manifest declares no `tools`; `input` stays the empty object schema.
 *
 * @example
 * ```ts
 * const skill = parseAgentSkill(text, { file: 'skills/pdf/SKILL.md', folderName: 'pdf', domain: 'docs' })
 * skill.manifest.id // 'docs/pdf'
 * skill.warnings.map((w) => w.code) // e.g. ['AGENT_SKILL_UNKNOWN_FIELD']
 * ```
 */
export function parseAgentSkill(text: string, options: ParseAgentSkillOptions): AgentSkill {
  const { file, folderName } = options
  const fail = (problems: SkillProblem[]): never => {
    throw new SkillLoadError(`${file} cannot be imported as an Agent Skill`, problems)
  }
  const split = splitSkillMd(text, file)
  if (split.problem) return fail([split.problem])
  const { parts } = split
  const yaml = parseFrontmatter(parts, file)
  if (yaml.problems.length > 0) return fail(yaml.problems)
  const data = yaml.data ?? {}
  if (!isPlainRecord(data)) {
    return fail([
      {
        code: 'AGENT_SKILL_FRONTMATTER_NOT_A_MAP',
        file,
        line: parts.frontmatterLine,
        message: `the frontmatter must be a mapping of fields (name: …), not ${describeValue(data)}`,
      },
    ])
  }
  const place = (issue: FrontmatterIssue): SkillProblem => ({
    code: issue.code,
    file,
    line: yaml.lineOf(issue.path),
    ...(issue.path.length > 0 ? { field: issue.path.join('.') } : {}),
    message: issue.message,
  })

  const specIssues = checkFrontmatter(data, folderName)
  const description = scalarText(data.description)?.trim()
  if (description === undefined || description === '') {
    return fail(specIssues.filter((issue) => issue.path[0] === 'description').map(place))
  }
  const name = scalarText(data.name)
  const allowed = normaliseAllowedTools(data['allowed-tools'])
  const draft = draftManifest({
    name,
    folderName,
    description,
    license: scalarText(data.license)?.trim() || undefined,
    metadata: isPlainRecord(data.metadata) ? data.metadata : {},
    allowedTools: allowed.tools,
    domain: options.domain,
  })
  if (draft.slug === undefined) {
    return fail([
      place({
        code: 'AGENT_SKILL_NAME_INVALID',
        path: ['name'],
        message: `neither the name ${quoteForMessage(name ?? '')} nor the folder name ${quoteForMessage(folderName)} has letters or digits to make an id from`,
      }),
    ])
  }
  const checked = skillManifestSchema.safeParse(draft.manifest)
  if (!checked.success) {
    // Unreachable when the mapping is right; reported rather than thrown raw.
    return fail(
      checked.error.issues.map((issue) => ({
        code: 'MANIFEST_INVALID',
        file,
        line: parts.openingLine,
        field: issue.path.join('.'),
        message: `the imported manifest is invalid: ${issue.message}`,
      })),
    )
  }
  const manifest = checked.data
  const slug = draft.slug

  const consequence = (issue: FrontmatterIssue): string => {
    const value = issue.path.reduce<unknown>(
      (node, key) => (isPlainRecord(node) ? node[key] : undefined),
      data,
    )
    switch (issue.code) {
      case 'AGENT_SKILL_NAME_MISSING':
        return `; the id uses the folder name ("${slug}")`
      case 'AGENT_SKILL_NAME_INVALID':
      case 'AGENT_SKILL_NAME_MISMATCH':
        return `; the id uses "${slug}"`
      case 'AGENT_SKILL_DESCRIPTION_TOO_LONG':
        return manifest.description === description
          ? ''
          : `; the manifest keeps ${manifest.description.length} characters, cut at a word (the full text stays in the frontmatter)`
      case 'AGENT_SKILL_DESCRIPTION_NOT_STRING':
      case 'AGENT_SKILL_LICENSE_NOT_STRING':
      case 'AGENT_SKILL_COMPATIBILITY_INVALID':
        return scalarText(value)?.trim() ? '; read as text' : '; ignored'
      case 'AGENT_SKILL_COMPATIBILITY_TOO_LONG':
        return '; kept whole'
      case 'AGENT_SKILL_METADATA_INVALID':
      case 'AGENT_SKILL_ALLOWED_TOOLS_INVALID':
        return '; ignored'
      case 'AGENT_SKILL_METADATA_NOT_STRING':
        return `; stored as the text ${quoteForMessage(metadataValueText(value))}`
      case 'AGENT_SKILL_ALLOWED_TOOLS_LIST':
        return `; read as ${allowed.tools.length} tool${allowed.tools.length === 1 ? '' : 's'}`
      case 'AGENT_SKILL_UNKNOWN_FIELD':
        return '; kept in the frontmatter, not used'
      default:
        return ''
    }
  }
  const warnings: SkillProblem[] = [
    ...(yaml.repair ? [yaml.repair] : []),
    ...specIssues.map((issue) => place({ ...issue, message: issue.message + consequence(issue) })),
  ]
  if (allowed.usedCommas) {
    warnings.push(
      place({
        code: 'AGENT_SKILL_ALLOWED_TOOLS_COMMAS',
        path: ['allowed-tools'],
        message:
          'separates tools with commas; the spec separates them with spaces (read either way)',
      }),
    )
  }
  warnings.push(...draft.warnings.map(place))

  const body = readBody(parts.body, parts.bodyLine)
  if (body.instructions === '') {
    warnings.push({
      code: 'AGENT_SKILL_BODY_EMPTY',
      file,
      // The closing fence: an empty body may not have a line of its own.
      line: parts.bodyLine - 1,
      message:
        'has no instructions after the frontmatter; the skill can be routed but tells a model nothing',
    })
  }
  const compatibility = scalarText(data.compatibility)?.trim()
  return {
    manifest,
    instructions: body.instructions,
    instructionsLine: body.line,
    frontmatter: data,
    allowedTools: allowed.tools,
    ...(compatibility ? { compatibility } : {}),
    metadata: metadataAsText(data.metadata),
    warnings,
  }
}

/** Text from a YAML scalar (numbers and booleans as written); undefined for lists, maps, null. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value)
  if (value instanceof Date) return value.toISOString()
  return undefined
}

function readBody(body: string, firstLine: number): { instructions: string; line: number } {
  const leading = /^(?:[ \t]*\n)*/.exec(body)?.[0] ?? ''
  const skipped = leading.split('\n').length - 1
  return { instructions: body.slice(leading.length).trimEnd(), line: firstLine + skipped }
}
