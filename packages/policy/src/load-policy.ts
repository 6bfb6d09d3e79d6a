import { readdir, readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  compilePolicy,
  type CompilePolicyOptions,
  type Policy,
  type PolicySource,
} from './compile-policy.js'
import { PolicyLoadError, type PolicyIssue } from './errors.js'

const POLICY_FILE = /\.ya?ml$/

function fileIssue(file: string, message: string): PolicyIssue {
  return { path: `${file}:1:1`, message, file, line: 1, column: 1, field: '' }
}

async function collectFiles(folder: string, cwd: string, found: string[]): Promise<void> {
  const entries = await readdir(resolve(cwd, folder), { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    // Hidden files are editor swap files, backups and VCS folders, never policies.
    if (entry.name.startsWith('.')) continue
    const path = join(folder, entry.name)
    if (entry.isDirectory()) await collectFiles(path, cwd, found)
    else if (entry.isFile() && POLICY_FILE.test(entry.name)) found.push(path)
  }
}

/**
 * The policy files at `paths`: each a `.yaml` file, or a folder whose `*.yaml` / `*.yml` files are
 * read recursively in name order (hidden ones skipped). Relative paths are read from `cwd` (default:
 * the process's) and named as given in errors. A missing path or an empty set is a
 * `PolicyLoadError`.
 */
export async function readPolicySources(
  paths: string | readonly string[],
  options: { cwd?: string } = {},
): Promise<PolicySource[]> {
  const cwd = options.cwd ?? process.cwd()
  const list = typeof paths === 'string' ? [paths] : [...paths]
  const issues: PolicyIssue[] = []
  const files: string[] = []
  for (const path of list) {
    try {
      const info = await stat(resolve(cwd, path))
      if (info.isDirectory()) {
        const found: string[] = []
        await collectFiles(path, cwd, found)
        if (found.length === 0)
          issues.push(fileIssue(path, 'the folder holds no .yaml policy files'))
        files.push(...found)
      } else {
        files.push(path)
      }
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code
      issues.push(
        fileIssue(
          path,
          code === 'ENOENT' ? 'no such file or folder' : `cannot read (${String(code ?? cause)})`,
        ),
      )
    }
  }
  if (list.length === 0) issues.push(fileIssue('(policy)', 'no policy paths given'))
  const unique = [...new Set(files)]
  const sources: PolicySource[] = []
  for (const file of unique) {
    try {
      sources.push({ path: file, text: await readFile(resolve(cwd, file), 'utf8') })
    } catch (cause) {
      issues.push(
        fileIssue(file, `cannot read (${String((cause as NodeJS.ErrnoException).code ?? cause)})`),
      )
    }
  }
  if (issues.length > 0) throw new PolicyLoadError(issues)
  return sources
}

/**
 * Read and compile the policy at `paths` (a file, a folder, or several): all of it, or a
 * `PolicyLoadError` naming every problem.
 *
 * @example
 * ```ts
 * const policy = await loadPolicy('policies')
 * policy.decide(principal, 'skill:run', skill).allowed
 * ```
 */
export async function loadPolicy(
  paths: string | readonly string[],
  options: CompilePolicyOptions & { cwd?: string } = {},
): Promise<Policy> {
  const { cwd, ...compileOptions } = options
  return compilePolicy(await readPolicySources(paths, cwd ? { cwd } : {}), compileOptions)
}
