import type { SkillProblem } from '../problems.js'
import { parseYamlSource, type YamlSource } from '../yaml-source.js'
import type { SkillMdParts } from './split-skill-md.js'

/** Parsed frontmatter that can place any field path on its real line in SKILL.md. */
export interface FrontmatterSource {
  /** The parsed YAML (`undefined` when it did not parse). */
  data: unknown
  /** Syntax errors, placed on SKILL.md lines. Empty when the YAML parsed (possibly after repair). */
  problems: SkillProblem[]
  /** Set when the YAML only parsed after a repair: what was wrong and what was changed. */
  repair?: SkillProblem
  /** The SKILL.md line of a field: its key's line (or its value's, deep down); a missing one: the `---`. */
  lineOf(path: readonly string[]): number
}

/**
 * Parse the frontmatter YAML. When it does not parse, two repairs common hand-written files need
 * are tried, each keeping every line where it was (so reported lines stay true):
 * - tabs used for indentation become two spaces each;
 * - a top-level plain value containing `": "` (`description: Use when: …`) is double-quoted.
 * If the repaired text parses, `repair` says so; otherwise the original errors are returned.
 */
export function parseFrontmatter(parts: SkillMdParts, file: string): FrontmatterSource {
  const lineOffset = parts.frontmatterLine - 1
  const original = safeParseYaml(parts.frontmatter, file, lineOffset)
  let source: YamlSource = original
  let text = parts.frontmatter
  let repair: SkillProblem | undefined
  if (original.problems.length > 0) {
    const repaired = repairFrontmatter(parts.frontmatter)
    if (repaired.changes.length > 0) {
      const second = safeParseYaml(repaired.text, file, lineOffset)
      if (second.problems.length === 0) {
        const first = original.problems[0]
        source = second
        text = repaired.text
        repair = {
          code: 'AGENT_SKILL_YAML_REPAIRED',
          file,
          line: first?.line ?? parts.frontmatterLine,
          message: `the frontmatter is not valid YAML (${first?.message ?? 'syntax error'}); read it after ${repaired.changes.join(' and ')}`,
        }
      }
    }
  }
  const lines = text.split('\n')
  const keyLines = topLevelKeyLines(lines, parts.frontmatterLine)
  const lineOf = (path: readonly string[]): number => {
    const [key, child] = path
    if (key === undefined) return parts.openingLine
    const keyLine = keyLines.get(key)
    if (keyLine === undefined) return parts.openingLine
    if (child === undefined) return keyLine
    if (path.length === 2) {
      const childLine = childKeyLine(lines, keyLine - parts.frontmatterLine, child)
      if (childLine !== undefined) return childLine + parts.frontmatterLine
    }
    return source.locate(path)?.line ?? keyLine
  }
  return {
    data: source.data,
    problems: source.problems,
    ...(repair ? { repair } : {}),
    lineOf,
  }
}

/** `parseYamlSource`, with conversion failures (an alias bomb over the alias limit) as problems. */
function safeParseYaml(text: string, file: string, lineOffset: number): YamlSource {
  try {
    return parseYamlSource(text, file, lineOffset)
  } catch (error) {
    return {
      data: undefined,
      problems: [
        {
          code: 'YAML_SYNTAX',
          file,
          line: lineOffset + 1,
          message: `the frontmatter YAML cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
      locate: () => undefined,
    }
  }
}

function repairFrontmatter(text: string): { text: string; changes: string[] } {
  const changes: string[] = []
  let lines = text.split('\n')
  if (lines.some((line) => /^ *\t/.test(line))) {
    lines = lines.map((line) => line.replace(/^[ \t]+/, (indent) => indent.replace(/\t/g, '  ')))
    changes.push('replacing indentation tabs with spaces')
  }
  let quoted = 0
  lines = lines.map((line, index) => {
    const match = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]+(.*?)[ \t]*$/.exec(line)
    const value = match?.[2]
    if (!match || value === undefined || !/:(?:\s|$)/.test(value)) return line
    if (/^["'|>[{&*!%@`#]/.test(value)) return line
    // A plain scalar continued on indented lines is left alone: quoting one line would split it.
    if (/^[ \t]+\S/.test(lines[index + 1] ?? '')) return line
    quoted++
    return `${match[1]}: ${JSON.stringify(value)}`
  })
  if (quoted > 0) changes.push(`quoting ${quoted} value${quoted === 1 ? '' : 's'} containing ": "`)
  return { text: lines.join('\n'), changes }
}

/** 1-based SKILL.md line of each top-level key (`name:`, `"allowed-tools":`). */
function topLevelKeyLines(lines: readonly string[], firstLine: number): Map<string, number> {
  const found = new Map<string, number>()
  lines.forEach((line, index) => {
    const match = /^(?:"([^"]+)"|'([^']+)'|([^\s#'"{[\-?:][^:]*?))[ \t]*:(?:\s|$)/.exec(line)
    const key = match?.[1] ?? match?.[2] ?? match?.[3]
    if (key !== undefined && !found.has(key)) found.set(key, firstLine + index)
  })
  return found
}

/**
 * 0-based index of `key:` inside the block mapping under the top-level key at `parentIndex` (so a
 * `metadata.version` warning points at `  version:`, not at its value); undefined for flow maps.
 */
function childKeyLine(
  lines: readonly string[],
  parentIndex: number,
  key: string,
): number | undefined {
  let indent: string | undefined
  for (let index = parentIndex + 1; index < lines.length; index++) {
    const line = lines[index] ?? ''
    if (line.trim() === '' || /^\s*#/.test(line)) continue
    const lineIndent = /^[ \t]*/.exec(line)?.[0] ?? ''
    if (lineIndent === '') return undefined
    indent ??= lineIndent
    if (lineIndent !== indent) continue
    const match = /^\s+(?:"([^"]+)"|'([^']+)'|([^\s#'"{[\-?:][^:]*?))[ \t]*:(?:\s|$)/.exec(line)
    if ((match?.[1] ?? match?.[2] ?? match?.[3]) === key) return index
  }
  return undefined
}
