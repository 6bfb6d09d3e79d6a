import { readFile, stat } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { basename, extname, resolve } from 'node:path'
import { SkillOSError, skillRefSchema, tenantIdSchema } from '@skillos/contracts'
import { InvalidArgumentError, type Command } from 'commander'

/** A command line that cannot work as typed: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** What `--tenant`, `--user`, `--roles` and `--database` hold after parsing. */
export interface PrincipalOptions {
  tenant: string
  user?: string
  roles: string[]
  database?: string
}

export const DEFAULT_TENANT = 'local'
export const DEFAULT_ROLES = ['analyst', 'approver']

/** Who acts when `--user` is not given: the OS user name, as a person would expect. */
export function defaultUser(env: Record<string, string | undefined>): string {
  const fromEnv = env.USER ?? env.LOGNAME ?? env.USERNAME
  if (fromEnv) return fromEnv
  try {
    return userInfo().username || 'local'
  } catch {
    return 'local'
  }
}

export function parseTenant(value: string): string {
  const parsed = tenantIdSchema.safeParse(value)
  if (!parsed.success) {
    throw new InvalidArgumentError(
      'a tenant is a slug: lowercase letters, digits, "-" or "_" (e.g. acme)',
    )
  }
  return value
}

export function parseSkillRef(value: string): string {
  if (!skillRefSchema.safeParse(value).success) {
    throw new InvalidArgumentError(
      'a skill is "<domain>/<name>" with an optional version range, e.g. finance/convert-currency@^1.2.0',
    )
  }
  return value
}

export function parseRoles(value: string): string[] {
  const roles = value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r.length > 0)
  if (roles.length === 0) throw new InvalidArgumentError('give at least one role, e.g. analyst')
  return roles
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/

/** `--param key=value`, repeatable: numbers become numbers ("0042" stays text), everything else text. */
export function collectParam(
  value: string,
  previous: Record<string, unknown> = {},
): Record<string, unknown> {
  const at = value.indexOf('=')
  if (at <= 0)
    throw new InvalidArgumentError(`expected key=value, e.g. amount=250 (got "${value}")`)
  const key = value.slice(0, at).trim()
  const raw = value.slice(at + 1)
  return { ...previous, [key]: NUMBER.test(raw) ? Number(raw) : raw }
}

/** `--tenant`, `--user`, `--roles`, `--database`: everything a command that acts as a person takes. */
export function addPrincipalOptions(command: Command): Command {
  return command
    .option('--tenant <slug>', 'the tenant to act in', parseTenant, DEFAULT_TENANT)
    .option('--user <id>', 'who acts (default: your OS user name)')
    .option('--roles <list>', 'comma-separated roles of the user', parseRoles, DEFAULT_ROLES)
    .option(
      '--database <url>',
      'where runs are stored: pglite://path, postgres://…, memory:// (default: from config, pglite://./.skillos/db)',
    )
}

export function principalOf(options: PrincipalOptions, env: Record<string, string | undefined>) {
  return { id: options.user ?? defaultUser(env), roles: options.roles }
}

/** Files larger than this are refused before they are read: runs are stored, and so are their params. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024

const BINARY_EXTENSIONS = new Set([
  '.xlsx',
  '.xlsm',
  '.xls',
  '.ods',
  '.docx',
  '.doc',
  '.odt',
  '.pptx',
  '.pdf',
  '.zip',
  '.gz',
  '.tgz',
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.webp',
])

function isText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

/**
 * `--file`: a text file becomes `document` (its content) and `fileName`; a spreadsheet, PDF or any
 * other binary becomes `documentBase64` and `fileName`.
 */
export async function readRequestFile(path: string, cwd: string): Promise<Record<string, string>> {
  const file = resolve(cwd, path)
  const info = await stat(file).catch(() => undefined)
  if (!info?.isFile()) throw new UsageError(`--file ${path}: no such file (looked in ${cwd})`)
  if (info.size > MAX_FILE_BYTES) {
    throw new SkillOSError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `--file ${path} is ${info.size} bytes; at most ${MAX_FILE_BYTES} are accepted. Pass a smaller extract, or give the skill a path with --param`,
      details: { bytes: info.size, limit: MAX_FILE_BYTES },
    })
  }
  const bytes = await readFile(file)
  const fileName = basename(file)
  if (!BINARY_EXTENSIONS.has(extname(file).toLowerCase()) && isText(bytes)) {
    return { document: bytes.toString('utf8'), fileName }
  }
  return { documentBase64: bytes.toString('base64'), fileName }
}
