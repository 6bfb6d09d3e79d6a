import { compactStrings } from '@skillos/contracts'
import { LineCounter, isNode, parseDocument } from 'yaml'
import type { SkillProblem } from './problems.js'

/** Parsed YAML that can point at the line and column of any field path. */
export interface YamlSource {
  data: unknown
  /** Syntax errors and duplicate keys, placed. Empty when the text parsed cleanly. */
  problems: SkillProblem[]
  /** 1-based line and column of the value at `path` (or of its nearest existing parent). */
  locate(path: readonly (string | number)[]): { line: number; column: number } | undefined
}

/**
 * Parse YAML keeping positions. `lineOffset` shifts reported lines, for YAML embedded in another
 * file (a SKILL.md frontmatter starts on line 2).
 */
export function parseYamlSource(text: string, file: string, lineOffset = 0): YamlSource {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const place = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line: line + lineOffset, column: col }
  }
  const problems: SkillProblem[] = document.errors.map((error) => ({
    code: 'YAML_SYNTAX',
    file,
    ...place(error.pos[0]),
    message: error.message.split('\n')[0] ?? error.message,
  }))
  const locate = (path: readonly (string | number)[]) => {
    // The value itself, or the nearest parent that exists (a missing field points at its object).
    for (let length = path.length; length >= 0; length--) {
      const node = document.getIn(path.slice(0, length), true)
      if (isNode(node) && node.range) return place(node.range[0])
    }
    return undefined
  }
  // Compact strings: a manifest's ids and names travel into every run's row and trace (see there).
  const data = problems.length > 0 ? undefined : compactStrings(document.toJS() as unknown)
  return { data, problems, locate }
}

/** Split a dotted issue path (`tools.0.name`) into YAML path segments. */
export function splitFieldPath(field: string): (string | number)[] {
  if (field === '(root)' || field === '') return []
  return field.split('.').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment))
}
