import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import {
  SkillOSError,
  type RunRequestInput,
  type RunResult,
  type SkillContext,
  type SkillStorage,
} from '@skillos/contracts'
import {
  createSkillOS,
  type SkillOS,
  type SkillOSOptions,
  type ToolImplementation,
} from '@skillos/core'

/** In-memory `ctx.storage` (JSON round-trips like the real one). */
export function createMemoryStorage(): SkillStorage {
  const entries = new Map<string, string>()
  return {
    async get<T>(key: string) {
      const json = entries.get(key)
      return json === undefined ? undefined : (JSON.parse(json) as T)
    },
    async set(key, value) {
      entries.set(key, JSON.stringify(value))
    },
    async delete(key) {
      return entries.delete(key)
    },
    async list<T>(prefix = '') {
      return [...entries.keys()]
        .filter((k) => k.startsWith(prefix))
        .sort()
        .map((key) => ({ key, value: JSON.parse(entries.get(key) as string) as T }))
    },
  }
}

/**
 * A `SkillContext` for calling a handler directly in a unit test: tools are plain functions, storage
 * is in memory, nothing is metered.
 *
 * @example
 * ```ts
 * const ctx = createTestContext({ tools: { 'rates.get': () => 92.5 }, config: { liveUrl: undefined } })
 * expect(await skill.handler({ amount: 10, from: 'USD', to: 'RUB' }, ctx)).toEqual({ amount: 925 })
 * ```
 */
export function createTestContext(
  overrides: Partial<Omit<SkillContext, 'tools'>> & {
    tools?: Record<string, (input: unknown) => unknown>
  } = {},
): SkillContext {
  const { tools = {}, ...rest } = overrides
  const noop = () => undefined
  return {
    runId: 'run_test',
    tenant: 'test',
    principal: { id: 'tester', roles: [] },
    skill: { id: 'test/skill', version: '0.0.0', risk: 'low' },
    signal: new AbortController().signal,
    tools: Object.fromEntries(
      Object.entries(tools).map(([name, fn]) => [name, async (input: unknown) => fn(input)]),
    ),
    log: { debug: noop, info: noop, warn: noop, error: noop },
    dependencies: {},
    config: {},
    storage: createMemoryStorage(),
    ...rest,
  }
}

export interface SkillTester {
  /** Run a request (text, or a full request) through the real orchestrator. */
  run(request: string | Omit<RunRequestInput, 'tenant' | 'principal'>): Promise<RunResult>
  readonly os: SkillOS
  close(): Promise<void>
}

/**
 * The real orchestrator over a skills folder, embedded (PGlite in memory, in-process key-value): a
 * skill's end-to-end test routes plain text, fills parameters and runs the handler as users will.
 *
 * @example
 * ```ts
 * const tester = await createSkillTester({ skills: new URL('../..', import.meta.url).pathname })
 * const result = await tester.run('convert 250 EUR to RUB')
 * expect(result.status).toBe('succeeded')
 * ```
 */
export async function createSkillTester(
  options: {
    skills: string | string[]
    tools?: Record<string, ToolImplementation>
  } & Omit<SkillOSOptions, 'skills' | 'tools' | 'database'>,
): Promise<SkillTester> {
  const { skills, ...rest } = options
  const os = await createSkillOS({
    ...rest,
    skills: Array.isArray(skills) ? skills : [skills],
    database: 'memory://',
  })
  const principal = { id: 'tester', roles: ['approver'] }
  return {
    os,
    run(request) {
      const body = typeof request === 'string' ? { input: request } : request
      return os.run({ tenant: 'test', principal, ...body })
    },
    close: () => os.close(),
  }
}

/**
 * The tester over the whole skill library a skill folder lives in (`skills/<domain>/<name>/` → `skills/`),
 * so an end-to-end test also proves the skill's examples route to it among all the others.
 *
 * @example
 * ```ts
 * const tester = await createLibraryTester(import.meta.url)
 * ```
 */
export function createLibraryTester(
  testFileUrl: string,
  options: Omit<Parameters<typeof createSkillTester>[0], 'skills'> = {},
): Promise<SkillTester> {
  return createSkillTester({ ...options, skills: fileURLToPath(new URL('../..', testFileUrl)) })
}

/**
 * The `SkillOSError` a promise (or function) rejects with; fails the test with what happened
 * otherwise.
 *
 * @example
 * ```ts
 * const error = await captureSkillError(skill.handler({ amount: -1 }, ctx))
 * expect(error.code).toBe('VALIDATION_FAILED')
 * ```
 */
export async function captureSkillError(
  work: Promise<unknown> | (() => unknown),
): Promise<SkillOSError> {
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown }
  try {
    outcome = { ok: true, value: await (typeof work === 'function' ? work() : work) }
  } catch (error) {
    outcome = { ok: false, error }
  }
  if (outcome.ok)
    throw new Error(
      `expected a SkillOSError, but it resolved with ${JSON.stringify(outcome.value)}`,
    )
  if (!SkillOSError.is(outcome.error))
    throw new Error(`expected a SkillOSError, got ${String(outcome.error)}`)
  return outcome.error
}

/** A local HTTP server on 127.0.0.1 for testing a skill's live adapter; `url` has no trailing slash. */
export async function startTestServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A port on 127.0.0.1 nothing listens on (for "unreachable" tests). */
export async function closedPort(): Promise<number> {
  const server = await startTestServer(() => undefined)
  await server.close()
  return server.port
}
