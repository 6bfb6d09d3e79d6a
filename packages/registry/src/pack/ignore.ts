import { ValidationError } from '@skillos/contracts'

/** The file in a skill folder listing extra paths to leave out of the pack. */
export const PACK_IGNORE_FILE = '.skillosignore'

/** Names left out of every pack, at any depth: dependencies, VCS data, SkillOS state, Finder litter. */
export const PACK_EXCLUDED_NAMES: readonly string[] = [
  'node_modules',
  '.git',
  '.skillos',
  '.DS_Store',
]

/** True when a path (relative to the skill folder, `/`-separated) is to be left out. */
export type IgnoreMatcher = (path: string, isDirectory: boolean) => boolean

interface IgnoreRule {
  regex: RegExp
  anchored: boolean
  directoryOnly: boolean
}

/**
 * Compile a `.skillosignore` file: a small subset of `.gitignore`. One pattern per line; blank
 * lines and `#` comments are skipped; `*` and `?` match within one path segment and `**` across
 * segments; a trailing `/` matches directories only; a leading `/` (or any `/` inside the pattern)
 * anchors it to the skill folder, otherwise it matches a name at any depth. Excluding a directory
 * excludes everything in it. Negation (`!`) and character classes are not supported: a `!` line is
 * an error, and `[`, `]` match themselves.
 *
 * @throws ValidationError naming the file and line of an unsupported pattern.
 * @example
 * ```ts
 * const ignored = parseIgnoreFile('*.log\n/fixtures/large/\n')
 * ignored('logs/run.log', false) // true
 * ignored('fixtures/large', true) // true
 * ignored('src/fixtures/large', true) // false: anchored
 * ```
 */
export function parseIgnoreFile(text: string, source = PACK_IGNORE_FILE): IgnoreMatcher {
  const rules: IgnoreRule[] = []
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim()
    if (line === '' || line.startsWith('#')) return
    if (line.startsWith('!')) {
      const reason = 'negated patterns ("!") are not supported'
      throw new ValidationError(`${source}:${index + 1}: ${reason}`, [
        { path: `${source}:${index + 1}`, message: reason },
      ])
    }
    const directoryOnly = line.endsWith('/')
    const body = directoryOnly ? line.replace(/\/+$/, '') : line
    const anchored = body.includes('/')
    const pattern = body.replace(/^\/+/, '')
    if (pattern === '') return
    rules.push({ regex: globToRegExp(pattern), anchored, directoryOnly })
  })
  return (path, isDirectory) => {
    const name = path.slice(path.lastIndexOf('/') + 1)
    return rules.some(
      (rule) =>
        (isDirectory || !rule.directoryOnly) && rule.regex.test(rule.anchored ? path : name),
    )
  }
}

/** True for the names {@link PACK_EXCLUDED_NAMES} leaves out of every pack. */
export function isAlwaysExcluded(name: string): boolean {
  return PACK_EXCLUDED_NAMES.includes(name)
}

function globToRegExp(pattern: string): RegExp {
  let source = ''
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? ''
    if (char === '*' && pattern[i + 1] === '*') {
      const slashAfter = pattern[i + 2] === '/'
      // `**/` matches zero or more whole directories; a bare `**` matches anything.
      source += slashAfter ? '(?:.*/)?' : '.*'
      i += slashAfter ? 2 : 1
    } else if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}
