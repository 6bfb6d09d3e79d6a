import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Config } from '@skillos/contracts'
import {
  createApiKeys,
  createRunQueue,
  createSkillOS,
  createWebhooks,
  type SkillOS,
  type SkillOSOptions,
} from '@skillos/core'
import pino from 'pino'
import { createApiApp, type ApiApp } from './app.js'

export interface StartApiOptions {
  /** The resolved configuration (`loadConfig({ env: process.env })` in the bin). */
  config: Config
  /** Override `server.port` (0: any free port, for tests). */
  port?: number
  host?: string
  /** A prebuilt orchestrator (tests); default: one from `config`. Closed with the server either way. */
  os?: SkillOS
  /** Extra orchestrator options (tools, policy…) when `os` is not given. */
  skillos?: Omit<SkillOSOptions, 'config'>
  /** Mint a development API key at start (only on the embedded database, never in production). */
  devKey?: boolean
  /** Logger; default: pino at `config.log.level` on stdout. `false`: silent. */
  logger?: pino.Logger | false
  /** How long `close` waits for requests and runs in flight (default 30 s). */
  shutdownTimeoutMs?: number
  /** BullMQ queue name when Redis is configured (tests use their own). */
  queueName?: string
}

export interface RunningApi {
  /** `http://host:port`. */
  url: string
  app: ApiApp
  os: SkillOS
  /** The development API key, when one was minted (shown once). */
  devKey?: string
  /** Stop accepting, finish in-flight requests and runs, close everything. */
  close(): Promise<void>
}

const DEV_TENANT = 'dev'
const DEV_KEY_NAME = 'local development'

/** Whether the configuration points at the embedded database (no production services). */
export function isEmbedded(config: Config): boolean {
  return /^(pglite|memory):/.test(config.database.url)
}

/**
 * Start the hosted API: the orchestrator, the async run queue (in process on the embedded default,
 * BullMQ when Redis is configured), webhook delivery, the approval-expiry timer and the HTTP server.
 * `close()` is the graceful shutdown: new requests get 503, in-flight requests and runs finish
 * (queued runs stay in the durable queue for the next start), then everything closes.
 *
 * @example
 * ```ts
 * const { config } = await loadConfig({ env: process.env })
 * const api = await startApi({ config, port: 0 })
 * console.log(api.url)
 * await api.close()
 * ```
 */
export async function startApi(options: StartApiOptions): Promise<RunningApi> {
  const { config } = options
  const logger =
    options.logger === false
      ? undefined
      : (options.logger ?? pino({ level: config.log.level, base: { service: 'skillos-api' } }))
  const closers: (() => Promise<void> | void)[] = []
  const closeAll = async () => {
    for (const closer of closers.reverse()) await closer()
  }
  try {
    const os =
      options.os ??
      (await createSkillOS({
        ...options.skillos,
        config,
        ...(logger ? { logger: logger.child({ component: 'runs' }) } : {}),
      }))
    closers.push(() => os.close())
    const apiKeys = createApiKeys(os.database)
    const webhooks = createWebhooks({
      database: os.database,
      ...config.api.webhooks,
      onError: (error) => logger?.warn({ err: error }, 'webhook delivery error'),
    })
    const offWebhooks = os.on(webhooks.listener)
    webhooks.start()
    closers.push(async () => {
      offWebhooks()
      await webhooks.stop()
    })
    const redisUrl =
      config.redis.url && /^rediss?:/.test(config.redis.url) ? config.redis.url : undefined
    const queue = createRunQueue({
      database: os.database,
      execute: (tenant, runId) => os.execute(tenant, runId),
      concurrency: config.api.queue.concurrency,
      leaseMs: config.api.queue.leaseMs,
      ...(redisUrl ? { redisUrl } : {}),
      ...(options.queueName ? { queueName: options.queueName } : {}),
      onError: (error, run) =>
        logger?.error({ err: error, ...run }, 'queued run failed to execute'),
    })
    await queue.start()
    const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000
    closers.push(() => queue.stop(shutdownTimeoutMs))
    const expiry = setInterval(() => {
      os.expireApprovals().catch((error: unknown) =>
        logger?.warn({ err: error }, 'approval expiry sweep failed'),
      )
    }, 30_000).unref()
    closers.push(() => clearInterval(expiry))

    const { app, control } = await createApiApp({
      os,
      queue,
      webhooks,
      apiKeys,
      config: config.api,
      ...(logger ? { logger } : {}),
    })

    let devKey: string | undefined
    if (options.devKey && isEmbedded(config) && process.env.NODE_ENV !== 'production') {
      for (const key of await apiKeys.list(DEV_TENANT))
        if (key.name === DEV_KEY_NAME && !key.revokedAt) await apiKeys.revoke(DEV_TENANT, key.id)
      devKey = (
        await apiKeys.create(DEV_TENANT, {
          name: DEV_KEY_NAME,
          principalId: 'developer',
          roles: ['admin', 'approver'],
        })
      ).key
    }

    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve(
        {
          fetch: app.fetch,
          hostname: options.host ?? config.server.host,
          port: options.port ?? config.server.port,
        },
        () => resolve(s),
      )
      s.once('error', reject)
    })
    const address = server.address() as AddressInfo
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
    const url = `http://${host}:${address.port}`
    logger?.info({ url, queue: queue.kind, database: os.database.url }, 'SkillOS API listening')

    let closing: Promise<void> | undefined
    return {
      url,
      app,
      os,
      ...(devKey ? { devKey } : {}),
      close() {
        closing ??= (async () => {
          control.drain()
          await new Promise<void>((resolve) => {
            server.close(() => resolve())
            // Keep-alive sockets would hold `close` open: end the idle ones now.
            ;(server as { closeIdleConnections?: () => void }).closeIdleConnections?.()
          })
          const deadline = Date.now() + shutdownTimeoutMs
          while (control.inFlight() > 0 && Date.now() < deadline)
            await new Promise((resolve) => setTimeout(resolve, 20))
          await closeAll()
        })()
        return closing
      },
    }
  } catch (error) {
    await closeAll().catch(() => undefined)
    throw error
  }
}
