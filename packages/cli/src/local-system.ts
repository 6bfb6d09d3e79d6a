import { existsSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import { SkillOSError, type Config } from '@skillos/contracts'
import {
  createSkillOS,
  DEFAULT_POLICY_YAML,
  formatProblem as formatPlacedProblem,
  type SkillOS,
} from '@skillos/core'
import { compilePolicy } from '@skillos/policy'

/** The loader's types, through the orchestrator (the registry commands use @skillos/registry directly). */
export type SkillLoader = SkillOS['loader']
export type LoadedSkill = ReturnType<SkillLoader['list']>[number]
export type SkillLoadFailure = ReturnType<SkillLoader['failures']>[number]
export type SkillProblem = SkillLoadFailure['problems'][number]
export type SkillLoaderEvent = Parameters<Parameters<SkillLoader['on']>[0]>[0]
export type RouteResult = Awaited<ReturnType<SkillOS['route']>>

export interface OpenSkillOSOptions {
  config: Config
  /** Relative skill roots, policy paths and `pglite://./…` URLs resolve against it. */
  cwd: string
  /** Skill roots instead of `config.skills.roots`. */
  skills?: string[]
  /** A database URL instead of `config.database.url`. */
  database?: string
  watch?: boolean
  /**
   * Only load and route skills (validate, route, test): an in-memory database and the built-in
   * policy, so nothing is written and a running `skillos dev` holding the database is no obstacle.
   */
  loadOnly?: boolean
}

/** `pglite://./x` → `pglite:///abs/x`: createSkillOS resolves relative paths against the process, not `cwd`. */
export function resolveDatabaseUrl(url: string, cwd: string): string {
  if (!url.startsWith('pglite://')) return url
  const path = decodeURIComponent(url.slice('pglite://'.length))
  if (path === '' || isAbsolute(path)) return url
  return `pglite://${resolve(cwd, path).replaceAll('%', '%25')}`
}

/** The skill roots a command works on, absolute; a missing one is refused with what to do. */
export function resolveSkillRoots(roots: readonly string[], cwd: string): string[] {
  const absolute = roots.map((root) => resolve(cwd, root))
  const missing = absolute.filter((root) => !existsSync(root))
  if (missing.length > 0) {
    throw new SkillOSError({
      code: 'NOT_FOUND',
      message: `Skill folder not found: ${missing.map((m) => displayPath(m, cwd)).join(', ')}; create it, pass another path, or set skills.roots in skillos.config.* (or SKILLOS_SKILLS)`,
      details: { missing },
    })
  }
  return absolute
}

/** The orchestrator for one CLI command, with every relative path taken from `cwd`. */
export async function openSkillOS(options: OpenSkillOSOptions): Promise<SkillOS> {
  const { config, cwd } = options
  const skills = resolveSkillRoots(options.skills ?? config.skills.roots, cwd)
  const database = options.loadOnly
    ? 'memory://'
    : resolveDatabaseUrl(options.database ?? config.database.url, cwd)
  return createSkillOS({
    skills,
    database,
    watch: options.watch ?? false,
    config: {
      ...config,
      policy: { ...config.policy, paths: config.policy.paths.map((p) => resolve(cwd, p)) },
    },
    ...(options.loadOnly
      ? {
          policy: compilePolicy([{ path: '(built-in default policy)', text: DEFAULT_POLICY_YAML }]),
        }
      : {}),
  })
}

/** A path as a person in `cwd` reads it: relative when inside `cwd`, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

/** `skills/a/b/skill.yaml:12:3 input.properties.amount.type: must be …` (the registry's format, paths from `cwd`). */
export function formatProblem(problem: SkillProblem, cwd: string): string {
  return formatPlacedProblem({ ...problem, file: displayPath(problem.file, cwd) })
}
