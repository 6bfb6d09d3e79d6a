import { ValidationError, type JsonSchemaSubset, type SkillManifest } from '@skillos/contracts'
import { stringify } from 'yaml'
import { AGENT_SKILL_LIMITS } from './spec.js'
import { truncateAtWord } from './text-limits.js'

/** Options for {@link toSkillMd}. */
export interface ToSkillMdOptions {
  /** The Markdown body. Default: generated from the manifest (title, when to use, inputs). */
  instructions?: string
  /**
   * The folder the file will be written to. Informational: the spec name is always the id's name
   * segment, so write the file to a folder named {@link agentSkillFolderName}`(manifest)`; any
   * other folder name makes the file fail the spec's name = folder rule.
   */
  folderName?: string
}

/** The folder an exported SKILL.md must live in: the name segment of the skill id. */
export function agentSkillFolderName(manifest: Pick<SkillManifest, 'id'>): string {
  return manifest.id.slice(manifest.id.indexOf('/') + 1)
}

/**
 * A spec-valid SKILL.md for a SkillOS skill: `validateSkillMd(toSkillMd(m), agentSkillFolderName(m))`
 * returns `[]`. Frontmatter:
 * - `name`: the id's name segment; `description`: the manifest description; `license` when set;
 * - `metadata` (text values only): `skillos-id`, `version`, `title` (the manifest name, when it
 *   differs from the segment), `tags` (comma-separated), `author`, `homepage`, `risk`,
 *   `side-effects`, `skillos-examples` (a JSON list);
 * - `allowed-tools`: the manifest's tool names, space-separated, when it declares any.
 *
 * {@link parseAgentSkill} reads all of these back, so id, version, name, description, tags,
 * examples, license, author, homepage, risk and side effects survive the round trip. `input`,
 * `output`, `permissions`, `approval`, `budget`, `dependencies` and `entry` have no place in the
 * spec and are not carried (the generated body shows the inputs to the model as a table).
 *
 * Throws `ValidationError` when the id's name segment is longer than the spec's 64 characters.
 *
 * @example
 * ```ts
 * const text = toSkillMd(manifest) // manifest.id 'finance/convert-currency'
 * await writeFile('export/convert-currency/SKILL.md', text)
 * ```
 */
export function toSkillMd(manifest: SkillManifest, options: ToSkillMdOptions = {}): string {
  const name = agentSkillFolderName(manifest)
  if (name.length > AGENT_SKILL_LIMITS.name) {
    const reason = `the name segment "${name}" is ${name.length} characters; an Agent Skills name has at most ${AGENT_SKILL_LIMITS.name}`
    throw new ValidationError(`${manifest.id} cannot be exported as an Agent Skill: ${reason}`, [
      { path: 'id', message: reason },
    ])
  }
  const metadata: Record<string, string> = {
    'skillos-id': manifest.id,
    version: manifest.version,
  }
  if (manifest.name !== name) metadata.title = manifest.name
  if (manifest.tags.length > 0) metadata.tags = manifest.tags.join(', ')
  if (manifest.author !== undefined) metadata.author = manifest.author
  if (manifest.homepage !== undefined) metadata.homepage = manifest.homepage
  metadata.risk = manifest.risk
  metadata['side-effects'] = manifest.sideEffects
  if (manifest.examples.length > 0) metadata['skillos-examples'] = JSON.stringify(manifest.examples)

  const frontmatter: Record<string, unknown> = {
    name,
    description: truncateAtWord(manifest.description, AGENT_SKILL_LIMITS.description),
    ...(manifest.license === undefined ? {} : { license: manifest.license }),
    metadata,
    ...(manifest.tools.length > 0
      ? { 'allowed-tools': manifest.tools.map((tool) => tool.name).join(' ') }
      : {}),
  }
  const yaml = stringify(frontmatter, { lineWidth: 0 })
  const body = (options.instructions ?? skillMdBody(manifest)).replace(/\r\n?/g, '\n').trim()
  return `---\n${yaml}---\n\n${body}\n`
}

/**
 * The Markdown body {@link toSkillMd} writes when no instructions are given: the title, the
 * description, a deprecation note, "When to use" with the examples, and a table of the inputs.
 */
export function skillMdBody(manifest: SkillManifest): string {
  const sections = [`# ${oneLine(manifest.name)}`, manifest.description]
  if (manifest.deprecated) {
    const replacement = manifest.deprecated.replacement
      ? ` Use \`${manifest.deprecated.replacement}\` instead.`
      : ''
    sections.push(`> **Deprecated:** ${oneLine(manifest.deprecated.message)}${replacement}`)
  }
  if (manifest.examples.length > 0) {
    sections.push(
      ['## When to use', '', 'Requests this skill answers:', '']
        .concat(manifest.examples.map((example) => `- ${oneLine(example)}`))
        .join('\n'),
    )
  }
  const properties = Object.entries(manifest.input.properties ?? {})
  if (properties.length > 0) {
    const required = new Set(manifest.input.required ?? [])
    const rows = properties.map(
      ([key, schema]) =>
        `| \`${key}\` | ${cell(typeText(schema))} | ${required.has(key) ? 'yes' : 'no'} | ${cell(schema.description ?? schema.title ?? '')} |`,
    )
    sections.push(
      ['## Inputs', '', '| Name | Type | Required | Description |', '| --- | --- | --- | --- |']
        .concat(rows)
        .join('\n'),
    )
  }
  return sections.join('\n\n')
}

/** `string (date)`, `array of number`, `"eur" | "usd"`, `string | null`. */
function typeText(schema: JsonSchemaSubset): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ')
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  if (schema.anyOf) return schema.anyOf.map(typeText).join(' | ')
  const types = schema.type === undefined ? [] : [schema.type].flat()
  const text = types
    .map((type) => (type === 'array' && schema.items ? `array of ${typeText(schema.items)}` : type))
    .join(' | ')
  if (text === '') return 'any'
  return schema.format ? `${text} (${schema.format})` : text
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|')
}
