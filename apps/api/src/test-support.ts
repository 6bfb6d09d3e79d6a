// Test scaffolding shared by this app's test files (not part of the build's entry points).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveConfig, type Config, type ConfigInput } from '@skillos/contracts'
import {
  createApiKeys,
  createRunQueue,
  createSkillOS,
  createWebhooks,
  defineTool,
  type ApiKeys,
  type RunQueue,
  type SkillOS,
  type SkillOSOptions,
  type Webhooks,
} from '@skillos/core'
import { stringify } from 'yaml'
import { createApiApp, type ApiApp } from './app.js'

/** Small real skills: an echo, a high-risk payment that needs an approval, a slow one. */
export const TEST_SKILLS: Record<string, { manifest: Record<string, unknown>; handler: string }> = {
  'util/echo': {
    manifest: {
      name: 'Echo',
      description: 'Repeat a short text back, for testing the API',
      tags: ['util'],
      examples: ['echo hello world', 'repeat the text back'],
      input: {
        type: 'object',
        properties: { text: { type: 'string', description: 'what to repeat' } },
        required: ['text'],
      },
    },
    handler: `export default {
  extract: (text) => { const m = /^echo\\s+(.+)$/i.exec(text); return m ? { text: m[1] } : undefined },
  handler: ({ text }) => ({ echo: text, length: text.length }),
}
`,
  },
  'finance/pay-invoice': {
    manifest: {
      name: 'Pay invoice',
      description: 'Pay a supplier invoice by bank transfer',
      tags: ['finance', 'payment'],
      examples: ['pay invoice 42'],
      risk: 'high',
      sideEffects: 'payment',
      input: {
        type: 'object',
        properties: { invoice: { type: 'integer', description: 'invoice number' } },
        required: ['invoice'],
      },
      tools: ['bank.pay'],
      approval: { mode: 'on-risk', approvers: ['approver'], expiresInMs: 3_600_000 },
    },
    handler: `export default {
  async handler({ invoice }, ctx) {
    return await ctx.tools['bank.pay']({ invoice })
  },
}
`,
  },
  'util/slow': {
    manifest: {
      name: 'Slow job',
      description: 'Wait a while and then report done, for testing cancellation and shutdown',
      examples: ['run the slow job'],
      input: {
        type: 'object',
        properties: { ms: { type: 'integer', minimum: 0, maximum: 10000 } },
        required: ['ms'],
      },
    },
    handler: `export default {
  handler: ({ ms }) => new Promise((resolve) => setTimeout(() => resolve({ waited: ms }), ms)),
}
`,
  },
}

/** Write the test skills into a new folder; returns it and a cleanup. */
export async function writeTestSkills(): Promise<{ root: string; cleanup(): Promise<void> }> {
  const base = await mkdtemp(join(tmpdir(), 'skillos-api-'))
  const root = join(base, 'skills')
  for (const [id, skill] of Object.entries(TEST_SKILLS)) {
    const dir = join(root, id)
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'skill.yaml'), stringify({ id, version: '1.0.0', ...skill.manifest }))
    await writeFile(join(dir, 'index.ts'), skill.handler)
  }
  return { root, cleanup: () => rm(base, { recursive: true, force: true }) }
}

/** Payments made by the `bank.pay` tool, by invoice. */
export const payments: number[] = []

/** The invoice whose payment holds until its run is cancelled (or 5 s pass): for cancel tests. */
export const HELD_INVOICE = 500
/** Held payments that have started (the handler is mid-way). */
export const holding: number[] = []

export function testTools(): NonNullable<SkillOSOptions['tools']> {
  return {
    'bank.pay': defineTool({
      handler: async ({ invoice }: { invoice: number }, { signal }) => {
        if (invoice === HELD_INVOICE) {
          holding.push(invoice)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 5000)
            signal.addEventListener('abort', () => {
              clearTimeout(timer)
              resolve()
            })
          })
          if (signal.aborted) throw new Error('payment stopped: the run was cancelled')
        }
        payments.push(invoice)
        return { paid: invoice, reference: `pay-${invoice}` }
      },
    }),
  }
}

export interface TestApi {
  app: ApiApp
  os: SkillOS
  queue: RunQueue
  webhooks: Webhooks
  apiKeys: ApiKeys
  config: Config
  /** API keys: tenant acme (user ann, analyst), acme approver bob, acme admin carol, tenant globex (user gus). */
  keys: { ann: string; bob: string; carol: string; gus: string }
  drain(): void
  close(): Promise<void>
}

/** One API app on an in-memory database with the test skills and four API keys in two tenants. */
export async function createTestApi(
  overrides: {
    config?: ConfigInput
    database?: string
    redis?: string
    /** Start the run queue (default true); without it an accepted run stays queued. */
    startQueue?: boolean
  } = {},
): Promise<TestApi> {
  const skills = await writeTestSkills()
  const config = resolveConfig({
    file: {
      path: '(test)',
      data: {
        database: { url: overrides.database ?? 'memory://' },
        ...(overrides.redis ? { redis: { url: overrides.redis } } : {}),
        skills: { roots: [skills.root] },
        log: { level: 'silent' },
        ...overrides.config,
      },
    },
    env: {},
  })
  const os = await createSkillOS({ config, skills: [skills.root], tools: testTools() })
  const apiKeys = createApiKeys(os.database)
  const webhooks = createWebhooks({
    database: os.database,
    ...config.api.webhooks,
    backoffMs: 50,
    pollMs: 50,
  })
  const off = os.on(webhooks.listener)
  webhooks.start()
  const queue = createRunQueue({
    database: os.database,
    execute: (tenant, runId) => os.execute(tenant, runId),
    pollMs: 100,
  })
  if (overrides.startQueue !== false) await queue.start()
  const { app, control } = await createApiApp({ os, queue, webhooks, apiKeys, config: config.api })
  const mint = async (tenant: string, principalId: string, roles: string[]) =>
    (await apiKeys.create(tenant, { name: principalId, principalId, roles })).key
  const keys = {
    ann: await mint('acme', 'ann', ['analyst']),
    bob: await mint('acme', 'bob', ['approver']),
    carol: await mint('acme', 'carol', ['admin', 'approver']),
    gus: await mint('globex', 'gus', ['admin', 'approver']),
  }
  return {
    app,
    os,
    queue,
    webhooks,
    apiKeys,
    config,
    keys,
    drain: control.drain,
    async close() {
      off()
      await queue.stop(5000)
      await webhooks.stop()
      await os.close()
      await skills.cleanup()
    },
  }
}

/** `app.request` with a bearer key and a JSON body. */
export function call(
  app: ApiApp,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.key) headers.authorization = `Bearer ${options.key}`
  let body: string | undefined
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  }
  return Promise.resolve(
    app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) }),
  )
}

/** Poll until `check` returns a value (or fail after `timeoutMs`). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** A response body as JSON, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies in assertions
export const json = async (response: Response) => (await response.json()) as Record<string, any>
