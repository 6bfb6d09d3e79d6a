import { randomBytes } from 'node:crypto'
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { SKILL_ID_PATTERN, SEMVER_PATTERN, ValidationError } from '@skillos/contracts'
import { isMap, parseDocument, stringify } from 'yaml'
import { z } from 'zod'

/** The lockfile's name, in the workspace folder (beside `skillos.config.*`). */
export const LOCKFILE_NAME = 'skills-lock.yaml'
export const LOCKFILE_VERSION = 1

const INTEGRITY_PATTERN = /^sha(?:512|384|256)-[A-Za-z0-9+/]+={0,2}$/

const httpUrl = z
  .string()
  .refine((value) => /^https?:\/\/[^\s]+$/.test(value), 'must be an http(s) URL')

/** One installed skill, exactly as it was installed. */
export const lockEntrySchema = z.strictObject({
  /** The resolved version. */
  version: z.string().regex(SEMVER_PATTERN, 'must be a semantic version such as "1.2.0"'),
  /** What was asked for (a semver range or a dist-tag); `skillos update` and `outdated` stay within it. */
  range: z.string().min(1).optional(),
  /** The registry it came from (base URL). */
  registry: httpUrl,
  /** Where the tarball was downloaded from. */
  tarball: httpUrl,
  /** sha512 SRI of the tarball: a re-install must produce these exact bytes. */
  integrity: z.string().regex(INTEGRITY_PATTERN, 'must be an SRI string such as "sha512-…"'),
  /**
   * Present when the install verified an Ed25519 signature against a trusted key: a re-install
   * then requires a valid signature by the same key.
   */
  signature: z
    .strictObject({
      keyId: z.string().min(1),
      value: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
    })
    .optional(),
})
export type LockEntry = z.output<typeof lockEntrySchema>

export const lockfileSchema = z.strictObject({
  lockfileVersion: z.literal(LOCKFILE_VERSION, {
    error: `must be ${LOCKFILE_VERSION} (this skillos reads lockfile version ${LOCKFILE_VERSION})`,
  }),
  skills: z
    .record(
      z.string().regex(SKILL_ID_PATTERN, 'must be a skill id such as "acme/convert-currency"'),
      lockEntrySchema,
    )
    .default({}),
})
/** `skills-lock.yaml`: one entry per installed skill, keyed by id. */
export type Lockfile = z.output<typeof lockfileSchema>

/** A lockfile with nothing installed. */
export function emptyLockfile(): Lockfile {
  return { lockfileVersion: LOCKFILE_VERSION, skills: {} }
}

/**
 * Parse the text of a `skills-lock.yaml`.
 *
 * @throws ValidationError naming `source`, the line for YAML syntax errors, and each bad field.
 */
export function parseLockfile(text: string, source: string = LOCKFILE_NAME): Lockfile {
  const document = parseDocument(text)
  if (document.errors.length > 0) {
    const error = document.errors[0]!
    const line = error.linePos?.[0]
    const where = line ? `${source}:${line.line}:${line.col}` : source
    const reason = (error.message.split('\n')[0] ?? 'YAML syntax error').replace(
      / at line \d+, column \d+:?$/,
      '',
    )
    throw new ValidationError(
      `Invalid ${source}: ${where} ${reason}; restore it from version control, or delete it and run skillos install <id> again`,
      [{ path: where, message: reason }],
    )
  }
  if (document.contents !== null && !isMap(document.contents)) {
    throw new ValidationError(`Invalid ${source}: it must hold a mapping`, [
      { path: source, message: 'must hold a mapping with lockfileVersion and skills' },
    ])
  }
  const parsed = lockfileSchema.safeParse(document.toJS() ?? {})
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: `${source}: ${issue.path.map(String).join('.') || '(root)'}`,
      message: issue.message,
    }))
    throw new ValidationError(
      `Invalid ${source}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    )
  }
  return parsed.data
}

/**
 * The lockfile as YAML, in a stable order (skills by id, fields in schema order), so the same
 * install writes the same bytes and diffs stay small.
 */
export function formatLockfile(lockfile: Lockfile): string {
  const checked = lockfileSchema.parse(lockfile)
  const skills: Record<string, LockEntry> = {}
  for (const id of Object.keys(checked.skills).sort()) {
    const entry = checked.skills[id]!
    skills[id] = {
      version: entry.version,
      ...(entry.range === undefined ? {} : { range: entry.range }),
      registry: entry.registry,
      tarball: entry.tarball,
      integrity: entry.integrity,
      ...(entry.signature === undefined
        ? {}
        : { signature: { keyId: entry.signature.keyId, value: entry.signature.value } }),
    }
  }
  const body = stringify(
    { lockfileVersion: checked.lockfileVersion, skills },
    { lineWidth: 0, indent: 2 },
  )
  return `# Written by skillos install: the exact skills installed here. Commit it; do not edit it by hand.\n${body}`
}

/** Read `path`; a missing file is an empty lockfile. */
export async function readLockfile(path: string): Promise<Lockfile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyLockfile()
    throw error
  }
  return parseLockfile(text, path)
}

/** Write `path` atomically (a temporary sibling renamed into place). */
export async function writeLockfile(path: string, lockfile: Lockfile): Promise<void> {
  const text = formatLockfile(lockfile)
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temporary, text, { flag: 'wx' })
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}
