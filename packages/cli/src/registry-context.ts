import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { SkillOSError, type Config } from '@skillos/contracts'
import {
  LOCKFILE_NAME,
  createRegistryClient,
  credentialsPath,
  normaliseRegistryUrl,
  parseSkillId,
  savedToken,
  type RegistryClient,
} from '@skillos/registry'
import { InvalidArgumentError } from 'commander'
import type { CliIo } from './cli-io.js'
import { UsageError } from './request-options.js'

/** `--registry <url>`: checked when parsed, so a typo is a usage error (exit 2). */
export function parseRegistryOption(value: string): string {
  try {
    return normaliseRegistryUrl(value)
  } catch (error) {
    throw new InvalidArgumentError(
      `${SkillOSError.is(error) ? error.message : String(error)}; give an http(s) URL such as http://127.0.0.1:4880`,
    )
  }
}

/** Everything the registry commands share: where credentials live, which registry, which token. */
export interface RegistryContext {
  config: Config
  credentialsFile: string
  /** The workspace's lockfile: `skills-lock.yaml` in the working directory. */
  lockfile: string
  /** Where installed skills go: the first skills root. */
  installRoot: string
  /**
   * The registry for a skill id (or for the command when no id is involved): `--registry`, then
   * `registry.scopes[scope]`, then `registry.url`.
   */
  registryFor(id?: string): string
  /** The registry for a scope: `--registry`, then `registry.scopes[scope]`, then `registry.url`. */
  registryForScope(scope: string): string
  /** A client for a registry URL, with its token (config, then saved login). */
  client(url: string): Promise<RegistryClient>
  /** The token for a registry, if any (never printed). */
  tokenFor(url: string): Promise<string | undefined>
}

export async function openRegistryContext(
  io: CliIo,
  config: Config,
  flag: string | undefined,
): Promise<RegistryContext> {
  const credentialsFile = credentialsPath(io.env)
  const configured = config.registry.url ? normaliseRegistryUrl(config.registry.url) : undefined
  const registryForScope = (scope: string | undefined): string => {
    if (flag) return flag
    const scoped = scope === undefined ? undefined : config.registry.scopes[scope]
    if (scoped) return normaliseRegistryUrl(scoped)
    if (configured) return configured
    throw new UsageError(
      'no registry given: pass --registry URL, or set registry.url in skillos.config.* (or SKILLOS_REGISTRY_URL)',
    )
  }
  const registryFor = (id?: string): string =>
    flag ?? registryForScope(id ? parseSkillId(id).scope : undefined)
  const tokenFor = async (url: string): Promise<string | undefined> => {
    const normalised = normaliseRegistryUrl(url)
    // registry.token (SKILLOS_REGISTRY_TOKEN) is for registry.url, or for any registry without one.
    if (config.registry.token && (configured === undefined || configured === normalised)) {
      return config.registry.token
    }
    return savedToken(credentialsFile, normalised)
  }
  const clients = new Map<string, RegistryClient>()
  return {
    config,
    credentialsFile,
    lockfile: resolve(io.cwd, LOCKFILE_NAME),
    installRoot: resolve(io.cwd, config.skills.roots[0] ?? './skills'),
    registryFor,
    registryForScope,
    tokenFor,
    async client(url) {
      const key = normaliseRegistryUrl(url)
      let client = clients.get(key)
      if (!client) {
        const token = await tokenFor(key)
        client = createRegistryClient({
          url: key,
          ...(token ? { token } : {}),
          ...(io.fetch ? { fetch: io.fetch } : {}),
        })
        clients.set(key, client)
      }
      return client
    },
  }
}

/**
 * A client for `url` that carries a token: commands that change the registry (or list tokens) need
 * one, and say how to log in before sending anything.
 */
export async function loggedInClient(
  registry: RegistryContext,
  url: string,
): Promise<RegistryClient> {
  const client = await registry.client(url)
  if (!client.authenticated) {
    throw new SkillOSError({
      code: 'UNAUTHENTICATED',
      message: `Not logged in to ${url}; run skillos login --registry ${url} (or set SKILLOS_REGISTRY_TOKEN)`,
      details: { registry: url },
    })
  }
  return client
}

/** Read the PEM files `registry.trustedKeys` names (relative to the working directory). */
export async function readTrustedKeys(config: Config, cwd: string): Promise<string[]> {
  return Promise.all(
    config.registry.trustedKeys.map((path) => readKeyFile(path, cwd, 'registry.trustedKeys')),
  )
}

/** Read the PEM file `registry.signingKey` names, if set. */
export async function readSigningKey(config: Config, cwd: string): Promise<string | undefined> {
  const path = config.registry.signingKey
  return path === undefined ? undefined : readKeyFile(path, cwd, 'registry.signingKey')
}

async function readKeyFile(path: string, cwd: string, field: string): Promise<string> {
  const file = resolve(cwd, path)
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new SkillOSError({
      code: 'NOT_FOUND',
      message: `${field}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); fix the path in skillos.config.* (or the SKILLOS_REGISTRY_* variable)`,
      details: { field, file },
      cause: error,
    })
  }
}

/**
 * Registry errors with the next step spelled out: log in on 401, ask for access on 403. The
 * message never carries the token.
 */
export function withNextStep(error: unknown, registry: string): unknown {
  if (!SkillOSError.is(error)) return error
  const hints: Partial<Record<string, string>> = {
    UNAUTHENTICATED: `log in with skillos login --registry ${registry} (or set SKILLOS_REGISTRY_TOKEN)`,
    PERMISSION_DENIED: `ask an owner of the scope for access, or use a token with the publish role`,
  }
  const hint = hints[error.code]
  if (!hint || error.message.includes(hint)) return error
  return new SkillOSError({
    code: error.code,
    message: `${error.message}; ${hint}`,
    ...(error.details ? { details: error.details } : {}),
    cause: error,
  })
}
