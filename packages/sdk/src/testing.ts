import type { RunRequestInput, RunResult, SkillContext, SkillStorage } from '@skillos/contracts'
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
