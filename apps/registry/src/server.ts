import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createRegistryApp, type RegistryApp, type RegistryAppOptions } from './app.js'

export interface StartRegistryOptions extends RegistryAppOptions {
  /** Default 127.0.0.1. */
  host?: string
  /** Default 4880; 0 picks a free port. */
  port?: number
  /** Sweep orphan blobs at start and hourly (default true). */
  sweepOrphans?: boolean
}

export interface RunningRegistry extends RegistryApp {
  /** `http://host:port`, no trailing slash. */
  url: string
  port: number
}

/**
 * Start the registry on a real socket.
 *
 * @example
 * ```ts
 * const registry = await startRegistry({ databaseUrl: 'memory://', storagePath: dir, port: 0 })
 * const { token } = await registry.createToken({ user: 'admin', role: 'admin' })
 * await fetch(`${registry.url}/-/ping`)
 * await registry.close()
 * ```
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<RunningRegistry> {
  const registry = await createRegistryApp(options)
  const host = options.host ?? '127.0.0.1'
  let server: ReturnType<typeof serve>
  let port: number
  try {
    ;({ server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
      (resolve, reject) => {
        const created = serve(
          { fetch: registry.app.fetch, hostname: host, port: options.port ?? 4880 },
          (info: AddressInfo) => resolve({ server: created, port: info.port }),
        )
        created.once('error', reject)
      },
    ))
  } catch (error) {
    await registry.close()
    throw error
  }
  let sweeper: NodeJS.Timeout | undefined
  if (options.sweepOrphans !== false) {
    const sweep = () =>
      registry.service.sweepOrphanBlobs().catch((error: unknown) => {
        options.logger?.warn({ err: error }, 'orphan sweep failed')
      })
    void sweep()
    sweeper = setInterval(sweep, 60 * 60 * 1000)
    sweeper.unref()
  }
  const urlHost = host.includes(':') ? `[${host}]` : host
  return {
    ...registry,
    url: `http://${urlHost === '0.0.0.0' ? '127.0.0.1' : urlHost}:${port}`,
    port,
    async close() {
      if (sweeper) clearInterval(sweeper)
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        ;(server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
      })
      await registry.close()
    },
  }
}
