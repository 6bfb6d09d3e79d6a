import type { SkillProblem } from '../problems.js'
import type { AgentSkillProblemCode } from './codes.js'
import { MAX_SKILL_MD_BYTES } from './spec.js'

/** A SKILL.md cut into its frontmatter YAML and Markdown body, with the lines each starts on. */
export interface SkillMdParts {
  /** The YAML between the `---` lines, newlines normalised to `\n`. */
  frontmatter: string
  /** 1-based line in the file of the first YAML line (2 when `---` is on line 1). */
  frontmatterLine: number
  /** 1-based line of the opening `---`. */
  openingLine: number
  /** Everything after the closing `---` line, newlines normalised to `\n`. */
  body: string
  /** 1-based line in the file where the body starts. */
  bodyLine: number
}

/** Either the parts, or the one problem that stops the file from being read as a SKILL.md. */
export type SplitSkillMdResult =
  { parts: SkillMdParts; problem?: undefined } | { parts?: undefined; problem: SkillProblem }

const FENCE = /^---[ \t]*$/
// YAML's document-end marker closes frontmatter in some generators (Jekyll, Hugo).
const CLOSING_FENCE = /^(?:---|\.\.\.)[ \t]*$/

/**
 * Split SKILL.md text into frontmatter and body. Tolerates a byte-order mark, CRLF or CR line
 * endings, blank lines before the opening `---` and `---` lines inside the body (only the first
 * closing fence counts). Refuses text over {@link MAX_SKILL_MD_BYTES}, text with NUL characters
 * (binary), no opening fence, and an opening fence that is never closed.
 */
export function splitSkillMd(text: string, file: string): SplitSkillMdResult {
  const fail = (code: AgentSkillProblemCode, line: number | undefined, message: string) => ({
    problem: { code, file, ...(line === undefined ? {} : { line }), message },
  })
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_SKILL_MD_BYTES) {
    return fail(
      'AGENT_SKILL_TOO_LARGE',
      undefined,
      `is ${bytes} bytes; a SKILL.md may be at most ${MAX_SKILL_MD_BYTES} bytes (1 MiB)`,
    )
  }
  if (text.includes('\u0000')) {
    return fail(
      'AGENT_SKILL_BINARY',
      undefined,
      'contains NUL characters: this is a binary file, not Markdown',
    )
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  const opening = lines.findIndex((line) => line.trim() !== '')
  if (opening === -1 || !FENCE.test(lines[opening] ?? '')) {
    return fail(
      'AGENT_SKILL_FRONTMATTER_MISSING',
      opening === -1 ? 1 : opening + 1,
      'must start with YAML frontmatter between "---" lines (name, description)',
    )
  }
  let closing = -1
  for (let index = opening + 1; index < lines.length; index++) {
    if (CLOSING_FENCE.test(lines[index] ?? '')) {
      closing = index
      break
    }
  }
  if (closing === -1) {
    return fail(
      'AGENT_SKILL_FRONTMATTER_UNCLOSED',
      opening + 1,
      'the frontmatter opened here is never closed by a "---" line',
    )
  }
  return {
    parts: {
      frontmatter: lines.slice(opening + 1, closing).join('\n'),
      frontmatterLine: opening + 2,
      openingLine: opening + 1,
      body: lines.slice(closing + 1).join('\n'),
      bodyLine: closing + 2,
    },
  }
}
