import { watch, type FSWatcher } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import type {
  PolicyContext,
  PolicyDecision,
  PolicyPrincipal,
  PolicyResource,
} from '@skillos/contracts'
import type { CompilePolicyOptions, Policy, PolicyRateLimit } from './compile-policy.js'
import { loadPolicy } from './load-policy.js'

/** The logger shape SkillOS libraries take (pino's: details first, then the message). */
export interface PolicyLogger {
  info(details: Record<string, unknown>, message: string): void
  error(details: Record<string, unknown>, message: string): void
}

/** What a reload did: swapped in a new version, or kept the old one because the new set is broken. */
export type PolicyReloadEvent =
  | { ok: true; version: string; previousVersion: string; files: readonly string[] }
  | { ok: false; error: Error; keptVersion: string }

export interface CreatePolicyEngineOptions extends CompilePolicyOptions {
  /** A policy file, a folder of `*.yaml`, or several. */
  paths: string | readonly string[]
  /** Reload when a file under `paths` changes (default false). */
  watch?: boolean
  /** Quiet time after the last change before reloading; default 100 ms (editors write in bursts). */
  debounceMs?: number
  logger?: PolicyLogger
  /** Called after every reload attempt that changed something or failed. */
  onReload?: (event: PolicyReloadEvent) => void
}

/**
 * A policy that can be replaced while it is in use. `decide` always asks one complete version: a
 * reload builds and validates the whole new set first and swaps it in with one assignment, and a set
 * that fails validation never replaces the working one.
 */
export interface PolicyEngine {
  /** The version in use now. */
  readonly policy: Policy
  readonly version: string
  decide(
    principal: PolicyPrincipal,
    action: string,
    resource: PolicyResource,
    context?: PolicyContext,
  ): PolicyDecision
  rateLimitsFor(action: string, tenant: string): readonly PolicyRateLimit[]
  /** Read and validate the files again now; swaps only when the new set is valid. */
  reload(): Promise<PolicyReloadEvent>
  /** Stop watching. */
  close(): void
}

const silentLogger: PolicyLogger = { info() {}, error() {} }

/**
 * Load the policy at `paths` (rejecting with `PolicyLoadError` if it is invalid) and, with `watch`,
 * keep it current as the files change.
 *
 * @example
 * ```ts
 * const engine = await createPolicyEngine({
 *   paths: 'policies',
 *   watch: true,
 *   onReload: (event) => { if (!event.ok) console.error(event.error.message) },
 * })
 * const decision = engine.decide(principal, 'skill:run', skill, { ip: '10.20.0.7' })
 * ```
 */
export async function createPolicyEngine(
  options: CreatePolicyEngineOptions,
): Promise<PolicyEngine> {
  const logger = options.logger ?? silentLogger
  const compileOptions: CompilePolicyOptions = options.now ? { now: options.now } : {}
  let current = await loadPolicy(options.paths, compileOptions)
  logger.info({ version: current.version, files: current.files }, 'policy loaded')

  let queue: Promise<unknown> = Promise.resolve()
  const watchers: FSWatcher[] = []
  let timer: NodeJS.Timeout | undefined
  let closed = false

  const attempt = async (): Promise<PolicyReloadEvent | undefined> => {
    const previousVersion = current.version
    let event: PolicyReloadEvent
    try {
      const next = await loadPolicy(options.paths, compileOptions)
      if (next.version === previousVersion) return undefined
      current = next
      event = { ok: true, version: next.version, previousVersion, files: next.files }
      logger.info({ version: next.version, previousVersion }, 'policy reloaded')
    } catch (error) {
      event = { ok: false, error: error as Error, keptVersion: previousVersion }
      logger.error(
        { keptVersion: previousVersion, error: (error as Error).message },
        'policy reload failed; the previous version stays in use',
      )
    }
    options.onReload?.(event)
    return event
  }

  const reload = (): Promise<PolicyReloadEvent> => {
    const run = queue.then(attempt)
    queue = run.catch(() => undefined)
    return run.then(
      (event) =>
        event ?? {
          ok: true,
          version: current.version,
          previousVersion: current.version,
          files: current.files,
        },
    )
  }

  const schedule = (name: string | null) => {
    if (closed || (name !== null && basename(name).startsWith('.'))) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      void reload()
    }, options.debounceMs ?? 100)
    timer.unref()
  }

  if (options.watch) {
    const list = typeof options.paths === 'string' ? [options.paths] : [...options.paths]
    for (const path of list) {
      const isFolder = (await stat(path)).isDirectory()
      // A file is watched through its folder: editors save by writing a new file and renaming it.
      const watcher = isFolder
        ? watch(path, { recursive: true, persistent: false }, (_event, name) => schedule(name))
        : watch(dirname(path), { persistent: false }, (_event, name) => {
            if (name === null || name === basename(path)) schedule(name)
          })
      watcher.on('error', (error) =>
        logger.error({ path, error: error.message }, 'policy watch failed'),
      )
      watchers.push(watcher)
    }
  }

  return {
    get policy() {
      return current
    },
    get version() {
      return current.version
    },
    decide(principal, action, resource, context) {
      return current.decide(principal, action, resource, context)
    },
    rateLimitsFor(action, tenant) {
      return current.rateLimitsFor(action, tenant)
    },
    reload,
    close() {
      closed = true
      if (timer) clearTimeout(timer)
      for (const watcher of watchers) watcher.close()
    },
  }
}
