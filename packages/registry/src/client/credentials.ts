import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { ValidationError } from '@skillos/contracts'
import { parseDocument, stringify } from 'yaml'
import { z } from 'zod'
import { normaliseRegistryUrl } from './registry-client.js'

/** One saved login. */
export const credentialSchema = z.strictObject({
  token: z.string().min(1),
  /** Who the token belongs to, as `whoami` said at login. */
  user: z.string().optional(),
  savedAt: z.string().optional(),
})
export type Credential = z.output<typeof credentialSchema>

const credentialsSchema = z.strictObject({
  registries: z.record(z.string(), credentialSchema).default({}),
})
export type Credentials = z.output<typeof credentialsSchema>

/**
 * Where logins are kept: `$XDG_CONFIG_HOME/skillos/credentials.yaml`, or
 * `~/.config/skillos/credentials.yaml`. Takes the environment as an argument (libraries do not
 * read `process.env`).
 *
 * @example
 * ```ts
 * credentialsPath({ XDG_CONFIG_HOME: '/home/ann/.config' }) // '/home/ann/.config/skillos/credentials.yaml'
 * ```
 */
export function credentialsPath(
  env: Record<string, string | undefined>,
  home: string = homedir(),
): string {
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : join(home, '.config')
  return join(base, 'skillos', 'credentials.yaml')
}

/**
 * Read the saved logins; a missing file has none. Errors name the file, never a token.
 */
export async function readCredentials(file: string): Promise<Credentials> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { registries: {} }
    throw error
  }
  const document = parseDocument(text, { prettyErrors: false })
  const parsed =
    document.errors.length > 0
      ? undefined
      : credentialsSchema.safeParse(document.toJS() ?? { registries: {} })
  if (!parsed?.success) {
    // Say which field, never the value: the file holds secrets.
    const field = parsed?.error.issues[0]?.path.map(String).join('.') ?? '(YAML syntax)'
    throw new ValidationError(
      `Cannot read saved logins in ${file}: ${field} is not valid; fix it, or delete the file and run skillos login again`,
      [{ path: `${file}: ${field}`, message: 'invalid' }],
    )
  }
  return parsed.data
}

/** The saved token for a registry, if any. */
export async function savedToken(file: string, registryUrl: string): Promise<string | undefined> {
  const credentials = await readCredentials(file)
  return credentials.registries[normaliseRegistryUrl(registryUrl)]?.token
}

/**
 * Save (or replace) the login for a registry. The file is created with mode 0600 (its folder
 * 0700) and replaced atomically, so a crash leaves the old file or the new one.
 */
export async function saveCredential(
  file: string,
  registryUrl: string,
  credential: { token: string; user?: string },
  now: Date = new Date(),
): Promise<void> {
  const credentials = await readCredentials(file)
  credentials.registries[normaliseRegistryUrl(registryUrl)] = {
    token: credential.token,
    ...(credential.user === undefined ? {} : { user: credential.user }),
    savedAt: now.toISOString(),
  }
  await writeCredentials(file, credentials)
}

/** Forget the login for a registry; false when there was none. */
export async function removeCredential(file: string, registryUrl: string): Promise<boolean> {
  const credentials = await readCredentials(file)
  const key = normaliseRegistryUrl(registryUrl)
  if (!(key in credentials.registries)) return false
  delete credentials.registries[key]
  await writeCredentials(file, credentials)
  return true
}

async function writeCredentials(file: string, credentials: Credentials): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const sorted: Credentials = { registries: {} }
  for (const key of Object.keys(credentials.registries).sort()) {
    sorted.registries[key] = credentials.registries[key]!
  }
  const text = `# Registry logins written by skillos login. Keep this file private (mode 0600).\n${stringify(sorted, { lineWidth: 0 })}`
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temporary, text, { mode: 0o600, flag: 'wx' })
    await chmod(temporary, 0o600) // in case the umask widened nothing, or a filesystem ignored mode
    await rename(temporary, file)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}
