import type { Config } from '@skillos/contracts'
import type { StartRegistryOptions } from './server.js'

/** The shared defaults the registry replaces with its own when nothing else was configured. */
const SHARED_DEFAULT_DATABASE = 'pglite://./.skillos/db'
const SHARED_DEFAULT_PORT = 3000
export const REGISTRY_DEFAULT_DATABASE = 'pglite://./.skillos/registry-db'
export const REGISTRY_DEFAULT_PORT = 4880

/**
 * Start options from the one SkillOS configuration: `registryServer.*`, the database and Redis
 * URLs, `server.host` / `server.port`, `log.level` and the `embedder` search uses. The registry
 * keeps its own embedded database (`pglite://./.skillos/registry-db`) and port (4880) unless a
 * different one is configured.
 *
 * @example
 * ```ts
 * const { config } = await loadConfig({ env: process.env })
 * await startRegistry(registryOptionsFromConfig(config, process.env))
 * ```
 */
export function registryOptionsFromConfig(
  config: Config,
  env: Record<string, string | undefined> = {},
): StartRegistryOptions {
  const server = config.registryServer
  const databaseUrl =
    server.databaseUrl ??
    (config.database.url === SHARED_DEFAULT_DATABASE
      ? REGISTRY_DEFAULT_DATABASE
      : config.database.url)
  const port =
    env.SKILLOS_PORT !== undefined && env.SKILLOS_PORT !== ''
      ? config.server.port
      : config.server.port === SHARED_DEFAULT_PORT
        ? REGISTRY_DEFAULT_PORT
        : config.server.port
  return {
    databaseUrl,
    ...(config.redis.url ? { redisUrl: config.redis.url } : {}),
    storagePath: server.storagePath,
    ...(server.s3 ? { s3: server.s3 } : {}),
    tenant: server.tenant,
    ...(server.publicUrl ? { publicUrl: server.publicUrl } : {}),
    ...(server.upstreamUrl ? { upstreamUrl: server.upstreamUrl } : {}),
    ...(server.upstreamToken ? { upstreamToken: server.upstreamToken } : {}),
    maxTarballBytes: server.maxTarballBytes,
    unpublishWindowHours: server.unpublishWindowHours,
    writeRateLimit: server.writeRateLimit,
    logLevel: config.log.level,
    embedder: config.embedder,
    host: config.server.host,
    port,
  }
}
