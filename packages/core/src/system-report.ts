import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { SkillOSError, type Config } from '@skillos/contracts'
import { openDatabase, openKeyValue } from '@skillos/store'

export interface ServiceCheck {
  /** `database` (relational store) or `key-value` (counters, rate limits, locks). */
  port: 'database' | 'key-value'
  /** The adapter in use: `pglite`, `postgres`, `memory` or `redis`. */
  adapter: string
  /** The URL in use, password masked. */
  url: string
  ok: boolean
  /** Time to open (and migrate) plus one round-trip, in milliseconds. */
  ms: number
  /** What was checked, e.g. `migrations 1/1 (0000_init)`. */
  detail?: string
  error?: { code: string; message: string }
}

export interface SystemReport {
  ok: boolean
  checks: ServiceCheck[]
  skillRoots: { path: string; exists: boolean }[]
}

function adapterOf(url: string | undefined): string {
  if (!url || url.startsWith('memory:')) return 'memory'
  return url.slice(0, url.indexOf(':'))
}

/** A check that threw: the masked URL from the error when it names one, and the error's code. */
function failedCheck(
  base: Pick<ServiceCheck, 'port' | 'adapter'>,
  started: number,
  error: unknown,
): ServiceCheck {
  const known = SkillOSError.is(error)
  const url = known && typeof error.details?.url === 'string' ? error.details.url : base.adapter
  return {
    ...base,
    url,
    ok: false,
    ms: performance.now() - started,
    error: known
      ? { code: error.code, message: error.message }
      : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) },
  }
}

async function checkDatabase(config: Config, cwd: string): Promise<ServiceCheck> {
  const started = performance.now()
  const base = { port: 'database' as const, adapter: adapterOf(config.database.url) }
  try {
    const database = await openDatabase(config.database.url, { cwd })
    try {
      await database.ping()
      const status = await database.migrationStatus()
      const adapter = config.database.url.startsWith('memory:')
        ? 'pglite (in memory)'
        : database.kind
      return {
        ...base,
        adapter,
        url: database.url,
        ok: status.applied === status.available,
        ms: performance.now() - started,
        detail: `migrations ${status.applied}/${status.available}${status.latest ? ` (${status.latest})` : ''}`,
      }
    } finally {
      await database.close()
    }
  } catch (error) {
    return failedCheck(base, started, error)
  }
}

async function checkKeyValue(config: Config): Promise<ServiceCheck> {
  const started = performance.now()
  const base = { port: 'key-value' as const, adapter: adapterOf(config.redis.url) }
  try {
    const kv = await openKeyValue(config.redis.url, { prefix: 'skillos:doctor:' })
    try {
      await kv.ping()
      const probe = `probe:${process.pid}:${Date.now()}`
      const count = await kv.increment(probe, 1, { ttlMs: 10_000 })
      await kv.delete(probe)
      return {
        ...base,
        adapter: kv.kind === 'memory' ? 'memory (in-process)' : kv.kind,
        url: kv.url,
        ok: count === 1,
        ms: performance.now() - started,
        detail: 'atomic increment with TTL answered',
      }
    } finally {
      await kv.close()
    }
  } catch (error) {
    return failedCheck(base, started, error)
  }
}

/**
 * Open every configured port once, check it answers, and close it: what `skillos doctor` prints.
 * Never throws for an unreachable service; the report says which one failed and why.
 *
 * @example
 * ```ts
 * const report = await inspectSystem(resolveConfig({ env: { SKILLOS_DATABASE_URL: 'memory://' } }))
 * report.checks.map((c) => `${c.port}: ${c.adapter} ${c.ok ? 'ok' : c.error?.message}`)
 * ```
 */
export async function inspectSystem(
  config: Config,
  options: { cwd?: string } = {},
): Promise<SystemReport> {
  const cwd = options.cwd ?? process.cwd()
  const checks = await Promise.all([checkDatabase(config, cwd), checkKeyValue(config)])
  const skillRoots = config.skills.roots.map((root) => ({
    path: root,
    exists: existsSync(resolve(cwd, root)),
  }))
  return { ok: checks.every((c) => c.ok), checks, skillRoots }
}
