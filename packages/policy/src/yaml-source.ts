import { compactStrings } from '@skillos/contracts'
import type { z } from 'zod'
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml'
import type { PolicyIssue } from './errors.js'

export type PathSegment = string | number

/** `rules[3].when[0]`, `roles.analyst.inherits[1]`; empty for the document root. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else text += text === '' ? segment : `.${segment}`
  }
  return text
}

/** One YAML file, parsed, with a way back from a path in its data to a line and column. */
export interface YamlSource {
  readonly file: string
  /** The plain data, or undefined when the YAML itself is broken (see `syntaxIssues`). */
  readonly data: unknown
  readonly syntaxIssues: PolicyIssue[]
  /** An issue at `path` (at the key itself with `atKey`, e.g. for an unknown field). */
  issue(path: readonly PathSegment[], message: string, options?: { atKey?: boolean }): PolicyIssue
  /** An issue `offset` characters into the string scalar at `path` (a condition). */
  issueInString(path: readonly PathSegment[], offset: number, message: string): PolicyIssue
  /** `file:line:column` of the node at `path`. */
  where(path: readonly PathSegment[], options?: { atKey?: boolean }): string
  /** Issues for a failed zod parse of the value at `prefix` (default: the whole file). */
  zodIssues(error: z.ZodError, prefix?: readonly PathSegment[]): PolicyIssue[]
}

function makeIssue(
  file: string,
  line: number,
  column: number,
  field: string,
  message: string,
): PolicyIssue {
  const path = `${file}:${line}:${column}${field ? ` ${field}` : ''}`
  return { path, message, file, line, column, field }
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<PathSegment, unknown>)[segment]
  }
  return value
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1)

/** Parse `text` (from `file`, named in every issue) keeping positions for error messages. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter()
  const document: Document.Parsed = parseDocument(text, { lineCounter, prettyErrors: false })
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }

  const syntaxIssues = document.errors.map((error) => {
    const { line, column } = position(error.pos[0])
    return makeIssue(file, line, column, '', `YAML: ${error.message.split('\n')[0]}`)
  })
  let data: unknown
  if (syntaxIssues.length === 0) {
    try {
      // Compact strings: rule ids travel into every decision a run records (see there).
      data = compactStrings(document.toJS({ maxAliasCount: 100 }) as unknown)
    } catch (cause) {
      syntaxIssues.push(makeIssue(file, 1, 1, '', `YAML: ${(cause as Error).message}`))
    }
  }

  /** The offset of the node at `path`, or of its closest existing ancestor. */
  function offsetOf(path: readonly PathSegment[], atKey = false): number {
    let node: unknown = document.contents
    let offset = 0
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!
      const range = (node as { range?: [number, number, number] } | null)?.range
      if (range) offset = range[0]
      if (isMap(node)) {
        const pair = node.items.find((item) =>
          isScalar(item.key) ? String(item.key.value) === String(segment) : false,
        )
        if (!pair) return offset
        const key = pair.key as { range?: [number, number, number] }
        if ((atKey && i === path.length - 1) || pair.value === null) return key.range?.[0] ?? offset
        node = pair.value
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        node = node.items[segment]
      } else {
        return offset
      }
    }
    return (node as { range?: [number, number, number] } | null)?.range?.[0] ?? offset
  }

  function nodeAt(path: readonly PathSegment[]): unknown {
    return document.getIn(path, true)
  }

  const source: YamlSource = {
    file,
    data,
    syntaxIssues,
    issue(path, message, options) {
      const { line, column } = position(offsetOf(path, options?.atKey))
      return makeIssue(file, line, column, formatPath(path), message)
    },
    issueInString(path, offset, message) {
      const node = nodeAt(path)
      let start = offsetOf(path)
      if (isScalar(node) && typeof node.value === 'string' && node.range) {
        const raw = text.slice(node.range[0], node.range[1])
        if (node.type === 'PLAIN' && raw === node.value) start = node.range[0] + offset
        else if (
          (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') &&
          raw.slice(1, -1) === node.value
        )
          start = node.range[0] + 1 + offset
      }
      const { line, column } = position(start)
      return makeIssue(file, line, column, formatPath(path), message)
    },
    where(path, options) {
      const { line, column } = position(offsetOf(path, options?.atKey))
      return `${file}:${line}:${column}`
    },
    zodIssues(error, prefix = []) {
      return error.issues.flatMap((issue) => {
        const path = [
          ...prefix,
          ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment))),
        ]
        if (issue.code === 'unrecognized_keys') {
          return issue.keys.map((key) =>
            source.issue([...path, key], `unknown field "${key}"`, { atKey: true }),
          )
        }
        if (issue.code === 'invalid_key') {
          return [source.issue(path, issue.message, { atKey: true })]
        }
        const missing = path.length > 0 && valueAt(data, path) === undefined
        return [
          source.issue(
            path,
            missing ? `is required (${lowerFirst(issue.message)})` : issue.message,
          ),
        ]
      })
    },
  }
  return source
}
