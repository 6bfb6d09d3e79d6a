import type { RiskLevel, SideEffectClass } from '@skillos/contracts'

/** `allowed-tools` read into a list, with how far the source strayed from the spec's string form. */
export interface NormalisedAllowedTools {
  tools: string[]
  /** Written as a YAML list instead of a space-delimited string. */
  wasList: boolean
  /** A string that used commas as separators (`Bash, Write, Read`). */
  usedCommas: boolean
  /** Neither a string nor a list: ignored. */
  invalid: boolean
}

/**
 * Normalise `allowed-tools` to a list of tool patterns. A string is split on whitespace (and on
 * commas, which real files use) outside parentheses, so `Bash(gh issue:*)` stays one tool; list
 * entries are kept whole (`Azure MCP/documentation`). Duplicates are dropped, order kept.
 *
 * @example
 * ```ts
 * normaliseAllowedTools('Read Bash(git add:*), Write').tools // ['Read', 'Bash(git add:*)', 'Write']
 * ```
 */
export function normaliseAllowedTools(value: unknown): NormalisedAllowedTools {
  const result = { tools: [] as string[], wasList: false, usedCommas: false, invalid: false }
  if (value === undefined || value === null) return result
  let entries: string[]
  if (typeof value === 'string') {
    const split = splitToolString(value)
    entries = split.tools
    result.usedCommas = split.usedCommas
  } else if (Array.isArray(value)) {
    result.wasList = true
    entries = value
      .filter((entry) => entry !== null && typeof entry !== 'object')
      .map((entry) => String(entry).trim())
  } else {
    result.invalid = true
    return result
  }
  result.tools = [...new Set(entries.filter((entry) => entry !== ''))]
  return result
}

function splitToolString(text: string): { tools: string[]; usedCommas: boolean } {
  const tools: string[] = []
  let current = ''
  let depth = 0
  let usedCommas = false
  for (const char of text) {
    if (char === '(') depth++
    else if (char === ')' && depth > 0) depth--
    if (depth === 0 && (/\s/.test(char) || char === ',')) {
      if (char === ',') usedCommas = true
      if (current !== '') tools.push(current)
      current = ''
      continue
    }
    current += char
  }
  if (current !== '') tools.push(current)
  return { tools, usedCommas }
}

/** Host-agent tools that change files or run commands (Claude Code and Copilot names). */
const WRITING_TOOLS: ReadonlySet<string> = new Set([
  'bash',
  'shell',
  'terminal',
  'write',
  'edit',
  'multiedit',
  'notebookedit',
  'create',
  'str_replace',
  'str_replace_editor',
  'run_in_terminal',
])

/**
 * What allowed tools imply for governance: any tool that writes files or runs commands
 * (`Bash(...)`, `Write`, `Edit`, …) means side effects `write` and risk `medium`; otherwise the
 * manifest defaults (`read`, `low`).
 */
export function inferToolEffects(tools: readonly string[]): {
  sideEffects: SideEffectClass
  risk: RiskLevel
} {
  const writes = tools.some((tool) => {
    const base = tool.replace(/\(.*$/s, '').trim().toLowerCase()
    return WRITING_TOOLS.has(base)
  })
  return writes ? { sideEffects: 'write', risk: 'medium' } : { sideEffects: 'read', risk: 'low' }
}
