import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SkillOSError, runEventSchema, type RunEvent, type RunResult } from '@skillos/contracts'
import { compilePolicy } from '@skillos/policy'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { createSkillOS, type SkillOS, type SkillOSOptions } from './skillos.js'
import { defineTool } from './tools/index.js'

const NODE_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url))

/** Test skills: small, real handlers that compute from their input. */
const SKILLS: Record<string, { manifest: Record<string, unknown>; handler: string }> = {
  'finance/convert': {
    manifest: {
      name: 'Convert currency',
      description: 'Convert an amount of money from one currency to another at the current rate',
      tags: ['finance', 'currency'],
      examples: [
        'convert 100 EUR to RUB',
        'переведи 100 долларов в рубли',
        'how much is 50 USD in euro',
      ],
      input: {
        type: 'object',
        properties: {
          amount: { type: 'number', minimum: 0 },
          from: { type: 'string', format: 'currency' },
          to: { type: 'string', format: 'currency' },
        },
        required: ['amount', 'from', 'to'],
      },
      tools: ['rates.get'],
    },
    handler: `import { z } from 'zod'
export default {
  input: z.object({ amount: z.number().min(0), from: z.string(), to: z.string() }),
  async handler({ amount, from, to }, ctx) {
    const rate = await ctx.tools['rates.get']({ from, to })
    return { amount: Math.round(amount * rate * 100) / 100, rate, from, to }
  },
}
`,
  },
  'finance/rate': {
    manifest: {
      name: 'Exchange rate',
      description: 'Show the official exchange rate of a currency',
      tags: ['finance', 'currency'],
      examples: ['rate of USD', 'курс доллара', 'what is the euro exchange rate'],
      input: {
        type: 'object',
        properties: { currency: { type: 'string', format: 'currency' } },
        required: ['currency'],
      },
      output: {
        type: 'object',
        properties: { currency: { type: 'string' }, rate: { type: 'number' } },
        required: ['currency', 'rate'],
      },
      tools: ['rates.get'],
    },
    handler: `export default {
  async handler({ currency }, ctx) {
    return { currency, rate: await ctx.tools['rates.get']({ from: currency, to: 'RUB' }) }
  },
}
`,
  },
  'finance/format-rate': {
    manifest: {
      name: 'Format rate',
      description: 'Write an exchange rate as a sentence for a report',
      tags: ['finance'],
      examples: ['format the rate as a sentence', 'write the rate as text for the report'],
      input: {
        type: 'object',
        properties: {
          currency: { type: 'string', format: 'currency' },
          rate: { type: 'number' },
        },
        required: ['currency', 'rate'],
      },
    },
    handler: `export default {
  handler: ({ currency, rate }) => ({ text: '1 ' + currency + ' = ' + rate + ' RUB' }),
}
`,
  },
  'finance/rate-note': {
    manifest: {
      name: 'Rate note',
      description: 'Look up an exchange rate and write it as a note for the daily report',
      tags: ['finance'],
      examples: ['rate note for USD', 'daily rate note for the euro'],
      input: {
        type: 'object',
        properties: { currency: { type: 'string', format: 'currency' } },
        required: ['currency'],
      },
      dependencies: { 'finance/rate': '^1.0.0', 'finance/format-rate': '^1.0.0' },
      steps: [{ skill: 'finance/rate' }, { skill: 'finance/format-rate' }],
    },
    handler: '',
  },
  'research/notes': {
    manifest: {
      name: 'Find notes',
      description: 'Find my saved notes about a topic',
      examples: ['find my notes about oyster grades', 'найди мои заметки про тендеры'],
      input: {
        type: 'object',
        properties: { topic: { type: 'string', description: 'what the notes are about' } },
        required: ['topic'],
      },
    },
    handler: `export default {
  extract: (text) => {
    const match = /(?:about|про|о)\\s+(.+)$/iu.exec(text)
    return match ? { topic: match[1] } : undefined
  },
  handler: ({ topic }) => ({ topic, notes: topic.split(' ').length }),
}
`,
  },
  'finance/pay-invoice': {
    manifest: {
      name: 'Pay invoice',
      description: 'Pay a supplier invoice by bank transfer',
      tags: ['finance', 'payment'],
      examples: ['pay invoice 42', 'оплати счет 42'],
      risk: 'high',
      sideEffects: 'payment',
      input: {
        type: 'object',
        properties: { invoice: { type: 'integer', description: 'invoice number' } },
        required: ['invoice'],
      },
      tools: ['bank.pay'],
      approval: { mode: 'on-risk', approvers: ['approver'], expiresInMs: 60_000 },
    },
    handler: `export default {
  async handler({ invoice }, ctx) {
    return await ctx.tools['bank.pay']({ invoice })
  },
}
`,
  },
  'travel/flights': {
    manifest: {
      name: 'Search flights',
      description: 'Search flights between two cities',
      tags: ['travel'],
      examples: [
        'flights from Moscow to Dubai',
        'авиабилеты из Москвы в Сочи',
        'find a flight to Paris',
      ],
      input: {
        type: 'object',
        properties: {
          origin: { type: 'string', description: 'departure city' },
          destination: { type: 'string', description: 'arrival city' },
        },
        required: ['origin', 'destination'],
      },
    },
    handler: `export default {
  handler: ({ origin, destination }) => ({ route: origin + ' → ' + destination, flights: 3 }),
}
`,
  },
  'util/slow-report': {
    manifest: {
      name: 'Slow report',
      description: 'Build the slow quarterly warehouse report',
      examples: ['build the slow quarterly warehouse report'],
      budget: { timeoutMs: 50 },
    },
    handler: `export default {
  handler: (_input, ctx) => new Promise((resolve) => { const t = setTimeout(() => resolve({ done: true }), 5000); ctx.signal.addEventListener('abort', () => clearTimeout(t)) }),
}
`,
  },
  'ops/flaky-sync': {
    manifest: {
      name: 'Sync inventory',
      description: 'Synchronise the oyster inventory with the warehouse system',
      examples: ['sync the oyster inventory with the warehouse'],
      tools: [{ name: 'warehouse.sync', retries: 0, timeoutMs: 1000 }],
    },
    handler: `export default { handler: async (_i, ctx) => ctx.tools['warehouse.sync']({}) }
`,
  },
  'research/market-report': {
    manifest: {
      name: 'Market report',
      description: 'Write an expensive deep market research report',
      examples: ['write a deep market research report'],
      budget: { maxCostUsd: 5 },
    },
    handler: `export default { handler: () => ({ pages: 12 }) }
`,
  },
}

const RATES: Record<string, number> = { EUR: 100, USD: 90, RUB: 1, CNY: 12.5 }

export interface SkillOSBackend {
  name: string
  /** Fresh database + key-value options for one system. */
  open(): Promise<{
    database: SkillOSOptions['database']
    redis: SkillOSOptions['redis']
    cleanup(): Promise<void>
  }>
}

/** The orchestrator's behaviour, run on every backend (embedded, and PostgreSQL + Redis). */
export function describeSkillOS(backend: SkillOSBackend): void {
  describe(`createSkillOS on ${backend.name}`, () => {
    let base: string
    let root: string
    let os: SkillOS
    let cleanup: () => Promise<void>
    let clock = Date.parse('2026-11-21T10:00:00Z')
    const calls = { rates: 0, pay: 0, sync: 0 }
    const events: RunEvent[] = []

    beforeAll(async () => {
      base = await mkdtemp(join(tmpdir(), 'skillos-core-'))
      await symlink(NODE_MODULES, join(base, 'node_modules'), 'dir')
      root = join(base, 'skills')
      for (const [id, skill] of Object.entries(SKILLS)) {
        const dir = join(root, id)
        await mkdir(dir, { recursive: true })
        await writeFile(
          join(dir, 'skill.yaml'),
          stringify({ id, version: '1.0.0', ...skill.manifest }),
        )
        if (skill.handler) await writeFile(join(dir, 'index.ts'), skill.handler)
      }
      const opened = await backend.open()
      cleanup = opened.cleanup
      os = await createSkillOS({
        skills: [root],
        database: opened.database,
        redis: opened.redis,
        now: () => clock,
        policy: compilePolicy([{ path: 'test-policy.yaml', text: TEST_POLICY }]),
        config: {
          budget: { limits: [{ id: 'research-cap', scope: 'tenant', window: 'day', usd: 1 }] },
        },
        tools: {
          'rates.get': defineTool({
            handler: ({ from, to }: { from: string; to: string }) => {
              calls.rates++
              const a = RATES[from]
              const b = RATES[to]
              if (a === undefined || b === undefined) throw new Error(`no rate for ${from}/${to}`)
              return a / b
            },
          }),
          'bank.pay': defineTool({
            handler: ({ invoice }: { invoice: number }) => {
              calls.pay++
              return { paid: invoice, reference: `PAY-${invoice}` }
            },
            costUsd: 0.01,
          }),
          'warehouse.sync': defineTool({
            handler: () => {
              calls.sync++
              throw Object.assign(new Error('warehouse unavailable'), { status: 503 })
            },
          }),
        },
      })
      os.on((event) => events.push(event))
    })

    afterAll(async () => {
      await os?.close()
      await cleanup?.()
      await rm(base, { recursive: true, force: true })
    })

    const analyst = { id: 'ann', roles: ['analyst'] }
    const run = (input: string, extra: Record<string, unknown> = {}) =>
      os.run({ input, tenant: 'acme', principal: analyst, ...extra })
    const types = (result: RunResult) => result.trace.map((e) => e.type)

    it('routes an English request, fills its parameters, calls the declared tool and traces every step', async () => {
      const before = calls.rates
      const result = await run('convert 250 EUR to RUB')
      expect(result.status).toBe('succeeded')
      expect(result.skill).toEqual({ id: 'finance/convert', version: '1.0.0' })
      expect(result.output).toEqual({ amount: 25000, rate: 100, from: 'EUR', to: 'RUB' })
      expect(calls.rates - before).toBe(1)
      expect(types(result)).toEqual([
        'run.started',
        'skill.routed',
        'run.analyzed',
        'run.planned',
        'policy.decided',
        'budget.reserved',
        'step.started',
        'tool.called',
        'step.completed',
        'budget.released',
        'run.completed',
      ])
      for (const event of result.trace) expect(runEventSchema.safeParse(event).success).toBe(true)
      expect(result.trace.map((e) => e.seq)).toEqual(result.trace.map((_, i) => i))
      const stored = await os.getRun('acme', result.runId)
      expect(stored?.status).toBe('succeeded')
      expect(stored?.output).toEqual(result.output)
      expect(stored?.trace.map((e) => e.type)).toEqual(types(result))
      expect(await os.getRun('other-tenant', result.runId)).toBeUndefined()
    })

    it('understands Russian', async () => {
      const result = await run('переведи 100 долларов в рубли')
      expect(result.status).toBe('succeeded')
      expect(result.output).toMatchObject({ amount: 9000, from: 'USD', to: 'RUB' })
    })

    it('refuses with NO_MATCH and the near misses when no skill fits, never guessing', async () => {
      const result = await run('what will the weather be on Mars tomorrow')
      expect(result.status).toBe('refused')
      expect(result.error?.code).toBe('NO_MATCH')
      expect(result.skill).toBeNull()
      expect(types(result)).toEqual(['run.started', 'skill.no_match', 'run.completed'])
    })

    it('runs an explicit skill with structured params (they win over the text), bypassing routing', async () => {
      const result = await run('convert some money', {
        skill: 'finance/convert@^1.0.0',
        params: { amount: 2, from: 'CNY', to: 'RUB' },
      })
      expect(result.status).toBe('succeeded')
      expect(result.output).toMatchObject({ amount: 25 })
    })

    it('asks for a missing parameter and continues the same run with the answer', async () => {
      const asked = await run('find a flight to Paris')
      expect(asked.status).toBe('needs_input')
      expect(asked.missing?.map((m) => m.field)).toEqual(['origin'])
      expect(asked.missing?.[0]?.question.length).toBeGreaterThan(5)
      // The request is stored once, in the run's input; its state keeps the plan and the steps.
      const stored = await os.runs.get('acme', asked.runId)
      expect(stored?.input).toMatchObject({ input: 'find a flight to Paris' })
      expect(stored?.state).toMatchObject({ v: 1, steps: [{ status: 'needs_input' }] })
      expect(stored?.state).not.toHaveProperty('request')
      const done = await os.answer({
        tenant: 'acme',
        runId: asked.runId,
        principal: analyst,
        answer: 'from Moscow',
      })
      expect(done.runId).toBe(asked.runId)
      expect(done.status).toBe('succeeded')
      expect(done.output).toEqual({ route: 'Moscow → Paris', flights: 3 })
      await expect(
        os.answer({ tenant: 'acme', runId: asked.runId, principal: analyst, answer: 'again' }),
      ).rejects.toThrow(/not waiting for input/)
    })

    it('refuses when the policy denies, with the explanation', async () => {
      const result = await os.run({
        input: 'convert 10 EUR to RUB',
        tenant: 'acme',
        principal: { id: 'ivan', roles: ['intern'] },
      })
      expect(result.status).toBe('refused')
      expect(result.error?.code).toBe('POLICY_DENIED')
      expect(result.error?.message).toMatch(/interns-no-finance/)
      expect(types(result)).not.toContain('step.started')
    })

    it('refuses before any work when the budget cannot hold the skill', async () => {
      const result = await run('write a deep market research report')
      expect(result.status).toBe('refused')
      expect(result.error?.code).toBe('BUDGET_EXCEEDED')
      expect(types(result)).not.toContain('step.started')
    })

    it('pauses a high-risk run for approval; the requester cannot approve; an approver resumes it', async () => {
      const before = calls.pay
      const paused = await run('pay invoice 42')
      expect(paused.status).toBe('awaiting_approval')
      expect(paused.approval?.id).toMatch(/^apr_/)
      expect(calls.pay).toBe(before)
      const approvalId = paused.approval?.id ?? ''
      await expect(os.approve({ tenant: 'acme', approvalId, principal: analyst })).rejects.toThrow(
        /POLICY|not|approv/i,
      )
      await expect(
        os.approve({ tenant: 'acme', approvalId, principal: { id: 'ann', roles: ['approver'] } }),
      ).rejects.toThrow(/four-eyes/)
      const done = await os.approve({
        tenant: 'acme',
        approvalId,
        principal: { id: 'boss', roles: ['approver'] },
        comment: 'ok',
      })
      expect(done.status).toBe('succeeded')
      expect(done.output).toEqual({ paid: 42, reference: 'PAY-42' })
      expect(calls.pay).toBe(before + 1)
      expect(types(done)).toContain('approval.decided')
      await expect(
        os.approve({ tenant: 'acme', approvalId, principal: { id: 'boss', roles: ['approver'] } }),
      ).rejects.toThrow()
    })

    it('continues a run whose approval was recorded just before a crash, once', async () => {
      const paused = await run('pay invoice 31')
      const approvalId = paused.approval?.id ?? ''
      // The decision reached the store, then the process died before the run moved on.
      await os.runs.decideApproval('acme', approvalId, {
        status: 'approved',
        by: 'boss',
        now: new Date(clock),
      })
      expect((await os.getRun('acme', paused.runId))?.status).toBe('awaiting_approval')
      const done = await os.approve({
        tenant: 'acme',
        approvalId,
        principal: { id: 'boss', roles: ['approver'] },
      })
      expect(done.status).toBe('succeeded')
      expect(done.output).toEqual({ paid: 31, reference: 'PAY-31' })
      await expect(
        os.reject({ tenant: 'acme', approvalId, principal: { id: 'boss', roles: ['approver'] } }),
      ).rejects.toThrow(/cannot be rejected/)
    })

    it('ends a run whose approval is rejected or expires, without running it', async () => {
      const before = calls.pay
      const rejected = await run('pay invoice 7')
      const done = await os.reject({
        tenant: 'acme',
        approvalId: rejected.approval?.id ?? '',
        principal: { id: 'boss', roles: ['approver'] },
        comment: 'wrong supplier',
      })
      expect(done.status).toBe('refused')
      expect(done.error?.message).toMatch(/wrong supplier/)

      const expiring = await run('pay invoice 8')
      clock += 120_000
      expect(await os.expireApprovals()).toBe(1)
      const expired = await os.getRun('acme', expiring.runId)
      expect(expired?.status).toBe('refused')
      expect(expired?.error?.message).toMatch(/expired/)
      expect(calls.pay).toBe(before)
    })

    it('runs independent asks in parallel, and a paused branch does not lose or re-run the others', async () => {
      const ratesBefore = calls.rates
      const result = await run('rate of USD and pay invoice 99')
      expect(result.status).toBe('awaiting_approval')
      expect(result.trace.find((e) => e.type === 'run.planned')).toMatchObject({ mode: 'parallel' })
      expect(calls.rates - ratesBefore).toBe(1)
      const done = await os.approve({
        tenant: 'acme',
        approvalId: result.approval?.id ?? '',
        principal: { id: 'boss', roles: ['approver'] },
      })
      expect(done.status).toBe('succeeded')
      expect(done.output).toEqual({
        'finance/rate': { currency: 'USD', rate: 90 },
        'finance/pay-invoice': { paid: 99, reference: 'PAY-99' },
      })
      expect(calls.rates - ratesBefore).toBe(1)
    })

    it('runs a pipeline: each step gets only the fields it declares from the previous output', async () => {
      const result = await run('rate of USD, then format the rate as a sentence')
      expect(result.status).toBe('succeeded')
      expect(result.trace.find((e) => e.type === 'run.planned')).toMatchObject({
        mode: 'pipeline',
        steps: [
          { id: 's1', skill: 'finance/rate', dependsOn: [] },
          { id: 's2', skill: 'finance/format-rate', dependsOn: ['s1'] },
        ],
      })
      // Each ask of the request gets its answer.
      expect(result.output).toEqual({
        'finance/rate': { currency: 'USD', rate: 90 },
        'finance/format-rate': { text: '1 USD = 90 RUB' },
      })
    })

    it('runs asks joined by "and" as a pipeline when one needs what the other returns', async () => {
      const result = await run('rate of CNY and format the rate as a sentence')
      expect(result.status).toBe('succeeded')
      expect(result.trace.find((e) => e.type === 'run.planned')).toMatchObject({
        mode: 'pipeline',
        steps: [
          { id: 's1', skill: 'finance/rate', dependsOn: [] },
          { id: 's2', skill: 'finance/format-rate', dependsOn: ['s1'] },
        ],
      })
      const analyzed = result.trace.find((e) => e.type === 'run.analyzed')
      expect(analyzed?.type === 'run.analyzed' && analyzed.factors).toContain(
        'finance/format-rate takes currency, rate from finance/rate',
      )
      expect(result.output).toEqual({
        'finance/rate': { currency: 'CNY', rate: 12.5 },
        'finance/format-rate': { text: '1 CNY = 12.5 RUB' },
      })
      // Independent asks stay parallel.
      const both = await run('rate of USD and convert 3 EUR to RUB')
      expect(both.trace.find((e) => e.type === 'run.planned')).toMatchObject({ mode: 'parallel' })
    })

    it('runs a composite skill declared in YAML as a pipeline', async () => {
      const result = await run('rate note for CNY')
      expect(result.status).toBe('succeeded')
      expect(result.skill).toEqual({ id: 'finance/rate-note', version: '1.0.0' })
      expect(result.trace.find((e) => e.type === 'run.planned')).toMatchObject({
        mode: 'pipeline',
        steps: [{ skill: 'finance/rate' }, { skill: 'finance/format-rate' }],
      })
      expect(result.output).toEqual({ text: '1 CNY = 12.5 RUB' })
    })

    it("fills a free-text field with the skill's own extractor", async () => {
      const result = await run('find my notes about oyster grades')
      expect(result.status).toBe('succeeded')
      expect(result.output).toEqual({ topic: 'oyster grades', notes: 2 })
    })

    it('holds a run before each step for a debugger, which may skip it', async () => {
      const seen: string[] = []
      const result = await os.run(
        { input: 'convert 5 EUR to RUB', tenant: 'acme', principal: analyst },
        {
          beforeStep: async (step) => {
            seen.push(`${step.step}:${step.skill.id}:${JSON.stringify(step.params)}`)
          },
        },
      )
      expect(result.status).toBe('succeeded')
      expect(seen).toEqual(['s1:finance/convert:{"amount":5,"from":"EUR","to":"RUB"}'])
      const before = calls.rates
      const skipped = await os.run(
        { input: 'convert 6 EUR to RUB', tenant: 'acme', principal: analyst },
        { beforeStep: () => 'skip' },
      )
      expect(skipped.status).toBe('succeeded')
      expect(skipped.output).toBeUndefined()
      expect(calls.rates).toBe(before)
    })

    it('replays an idempotent request, refuses the key for another payload, and runs concurrent repeats once', async () => {
      const before = calls.rates
      const first = await run('convert 1 EUR to RUB', { idempotencyKey: 'inv-1' })
      const again = await run('convert 1 EUR to RUB', { idempotencyKey: 'inv-1' })
      expect(again.runId).toBe(first.runId)
      expect(again.output).toEqual(first.output)
      expect(calls.rates - before).toBe(1)
      await expect(run('convert 2 EUR to RUB', { idempotencyKey: 'inv-1' })).rejects.toSatisfy(
        (e) => SkillOSError.is(e, 'CONFLICT'),
      )
      const together = await Promise.all(
        Array.from({ length: 5 }, () => run('convert 3 EUR to RUB', { idempotencyKey: 'inv-2' })),
      )
      expect(new Set(together.map((r) => r.runId)).size).toBe(1)
      expect(calls.rates - before).toBe(2)
    })

    it('fails a skill that runs past its timeout with TIMEOUT', async () => {
      const result = await run('build the slow quarterly warehouse report')
      expect(result.status).toBe('failed')
      expect(result.error?.code).toBe('TIMEOUT')
    })

    it('opens the circuit of a failing tool and then fails fast', async () => {
      const codes: string[] = []
      for (let i = 0; i < 7; i++) {
        const result = await run('sync the oyster inventory with the warehouse')
        codes.push(result.error?.code ?? result.status)
      }
      expect(codes.slice(0, 5).every((c) => c === 'UPSTREAM_FAILED')).toBe(true)
      expect(codes.slice(5)).toEqual(['CIRCUIT_OPEN', 'CIRCUIT_OPEN'])
      expect(calls.sync).toBe(5)
      expect(events.some((e) => e.type === 'circuit.changed' && e.state === 'open')).toBe(true)
    })

    it('plans without side effects on a dry run', async () => {
      const before = calls.pay
      const result = await run('pay invoice 5', { dryRun: true })
      expect(result.status).toBe('succeeded')
      expect(result.output).toMatchObject({
        dryRun: true,
        params: { invoice: 5 },
        approvalRequired: true,
      })
      expect(calls.pay).toBe(before)
    })

    it('counts runs, tool calls and breaker states in its Prometheus metrics', async () => {
      const text = await os.metrics.metrics()
      expect(text).toMatch(
        /skillos_runs_total\{status="succeeded",skill="finance\/convert"\} [1-9]/,
      )
      expect(text).toMatch(/skillos_runs_total\{status="refused",skill="none"\} [1-9]/)
      expect(text).toMatch(/skillos_tool_calls_total\{tool="rates.get",outcome="ok"\} [1-9]/)
      expect(text).toMatch(/skillos_circuit_state\{tool="warehouse.sync"\} 1/)
    })

    it('withholds the output when the policy obliges redact_output', async () => {
      const result = await os.run({
        input: 'rate of EUR',
        skill: 'finance/rate',
        params: { currency: 'EUR' },
        tenant: 'acme',
        principal: { id: 'aud', roles: ['auditor'] },
      })
      expect(result.status).toBe('succeeded')
      expect(result.output).toEqual({
        redacted: true,
        reason: 'withheld by policy (redact_output)',
        fields: ['currency', 'rate'],
      })
      expect((await os.getRun('acme', result.runId))?.output).toEqual(result.output)
    })

    it('rejects bad input with a clear code and stores nothing', async () => {
      const bad = async (request: Record<string, unknown>) => {
        try {
          await os.run({ tenant: 'acme', principal: analyst, ...request } as never)
        } catch (error) {
          return error
        }
        return undefined
      }
      expect(SkillOSError.is(await bad({ input: '   ' }), 'VALIDATION_FAILED')).toBe(true)
      expect(
        SkillOSError.is(await bad({ input: 'x'.repeat(10 * 1024 * 1024) }), 'VALIDATION_FAILED'),
      ).toBe(true)
      expect(
        SkillOSError.is(await bad({ input: 'x', tenant: 'Bad Tenant!' }), 'VALIDATION_FAILED'),
      ).toBe(true)
      expect(
        SkillOSError.is(await bad({ input: 'x', skill: 'nope/missing' }), 'SKILL_NOT_FOUND'),
      ).toBe(true)
      expect(
        SkillOSError.is(
          await bad({ input: 'x', skill: 'finance/convert@^^1' }),
          'VALIDATION_FAILED',
        ),
      ).toBe(true)
      expect(SkillOSError.is(await bad({ input: 'x', params: 'no' }), 'VALIDATION_FAILED')).toBe(
        true,
      )
    })
  })
}

const TEST_POLICY = `version: 1
roles:
  auditor: {}
  intern: {}
  analyst: {}
  approver: {}
rules:
  - id: everyone-runs
    effect: allow
    actions: [skill:run, tool:call]
    resources: ['*']
  - id: interns-no-finance
    description: Interns may not run finance skills.
    effect: deny
    actions: [skill:run]
    roles: [intern]
    resources: [finance/*]
  - id: auditors-see-no-output
    description: Auditors may run rate lookups, but never see their output.
    effect: allow
    actions: [skill:run]
    roles: [auditor]
    resources: [finance/rate]
    obligations: [redact_output]
  - id: approvers-decide
    effect: allow
    actions: [approval:decide]
    roles: [approver]
    resources: ['*']
`
