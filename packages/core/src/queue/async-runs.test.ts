import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SkillOSError, type RunEvent, type RunResult } from '@skillos/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSkillOS, type SkillOS } from '../skillos.js'
import { defineTool } from '../tools/index.js'
import { createRunQueue } from './run-queue.js'
import { createRunQueueStore } from './run-queue-store.js'

let base: string
let os: SkillOS
/** Every event the orchestrator hands to its listeners (what webhooks see). */
const heard: RunEvent[] = []
/** Transfers the `bank.send` tool made. */
const sent: number[] = []

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'skillos-async-'))
  const skill = (id: string, manifest: string, handler: string) =>
    mkdir(join(base, id), { recursive: true }).then(async () => {
      await writeFile(join(base, id, 'skill.yaml'), `id: ${id}\nversion: 1.0.0\n${manifest}`)
      await writeFile(join(base, id, 'index.ts'), handler)
    })
  await skill(
    'util/echo',
    'name: Echo\ndescription: Repeat a text back\nexamples: [echo hello]\ninput:\n  type: object\n  properties: { text: { type: string } }\n  required: [text]\n',
    'export default { handler: ({ text }) => ({ echo: text }) }\n',
  )
  await skill(
    'ops/wire-money',
    'name: Wire money\ndescription: Send a bank transfer\nexamples: [wire money]\nrisk: high\nsideEffects: payment\napproval: { mode: on-risk, approvers: [approver] }\ninput:\n  type: object\n  properties: { amount: { type: number } }\n  required: [amount]\n',
    'export default { handler: ({ amount }) => ({ sent: amount }) }\n',
  )
  // Waits `ms` without watching its signal, then sends: only a stopped step keeps the money home.
  await skill(
    'ops/slow-wire',
    'name: Slow wire\ndescription: Send a bank transfer after a long check\nexamples: [slow wire]\nrisk: high\nsideEffects: payment\ntools: [bank.send]\napproval: { mode: on-risk, approvers: [approver] }\ninput:\n  type: object\n  properties: { amount: { type: number }, ms: { type: number } }\n  required: [amount, ms]\n',
    "export default { async handler({ amount, ms }, ctx) { await new Promise((resolve) => setTimeout(resolve, ms)); return ctx.tools['bank.send']({ amount }) } }\n",
  )
  await skill(
    'util/slow-note',
    'name: Slow note\ndescription: Write a note after a while\nexamples: [slow note]\ntools: [bank.send]\ninput:\n  type: object\n  properties: { amount: { type: number }, ms: { type: number } }\n  required: [amount, ms]\n',
    "export default { async handler({ amount, ms }, ctx) { await new Promise((resolve) => setTimeout(resolve, ms)); return ctx.tools['bank.send']({ amount }) } }\n",
  )
  os = await createSkillOS({
    skills: [base],
    database: 'memory://',
    tools: {
      'bank.send': defineTool({
        handler: ({ amount }: { amount: number }) => {
          sent.push(amount)
          return { sent: amount }
        },
      }),
    },
  })
  os.on((event) => heard.push(event))
})
afterAll(async () => {
  await os?.close()
  await rm(base, { recursive: true, force: true })
})

const ann = { id: 'ann', roles: ['analyst'] }
const bob = { id: 'bob', roles: ['approver'] }
const types = (run: RunResult | undefined) => run?.trace.map((e) => e.type) ?? []
const heardOf = (runId: string, type: RunEvent['type']) =>
  heard.filter((e) => e.runId === runId && e.type === type)
/** Resolves once a step of `runId` has started (its handler is running). */
const stepStarted = (runId: string) =>
  new Promise<void>((resolve) => {
    const off = os.on((event) => {
      if (event.runId === runId && event.type === 'step.started') {
        off()
        resolve()
      }
    })
  })
const echo = (text: string, extra: Record<string, unknown> = {}) => ({
  tenant: 'acme',
  principal: ann,
  skill: 'util/echo',
  params: { text },
  ...extra,
})

describe('submit and execute', () => {
  it('accepts a run as queued under an id, and executes it under the same id', async () => {
    const submitted = await os.submit(echo('later'))
    expect(submitted.accepted).toBe(true)
    expect(submitted.run.status).toBe('queued')
    expect((await os.getRun('acme', submitted.run.runId))?.status).toBe('queued')
    const result = await os.execute('acme', submitted.run.runId)
    expect(result?.runId).toBe(submitted.run.runId)
    expect(result?.status).toBe('succeeded')
    expect(result?.output).toEqual({ echo: 'later' })
    // Executing a finished run again does nothing.
    const again = await os.execute('acme', submitted.run.runId)
    expect(again?.trace.length).toBe(result?.trace.length)
  })

  it('does not find another tenant run, and refuses a bad request before storing anything', async () => {
    const submitted = await os.submit(echo('mine'))
    expect(await os.execute('globex', submitted.run.runId)).toBeUndefined()
    await expect(os.submit({ tenant: 'acme', principal: ann, input: '' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    await expect(os.submit({ ...echo('x'), skill: 'nope/none' })).rejects.toMatchObject({
      code: 'SKILL_NOT_FOUND',
    })
  })

  it('honours the idempotency key: same request → the same run, another → CONFLICT', async () => {
    const first = await os.submit(echo('once', { idempotencyKey: 'k-1' }))
    const again = await os.submit(echo('once', { idempotencyKey: 'k-1' }))
    expect(again.accepted).toBe(false)
    expect(again.run.runId).toBe(first.run.runId)
    const error = await os.submit(echo('other', { idempotencyKey: 'k-1' })).catch((e: unknown) => e)
    expect(SkillOSError.is(error, 'CONFLICT')).toBe(true)
  })
})

describe('cancel', () => {
  it('cancels a queued run and takes it off the queue', async () => {
    const store = createRunQueueStore(os.database)
    const submitted = await os.submit(echo('never'))
    const depth = await store.depth()
    const cancelled = await os.cancel({
      tenant: 'acme',
      runId: submitted.run.runId,
      principal: ann,
    })
    expect(cancelled.outcome).toBe('cancelled')
    expect(cancelled.run.status).toBe('cancelled')
    expect(cancelled.run.error?.code).toBe('CANCELLED')
    expect(await store.depth()).toBe(depth - 1)
    expect((await os.execute('acme', submitted.run.runId))?.status).toBe('cancelled')
    // One event says so, in the trace and to the listeners (webhooks).
    expect(cancelled.run.trace).toEqual([
      expect.objectContaining({ type: 'run.cancelled', seq: 0, by: 'ann', from: 'queued' }),
    ])
    expect(types(await os.getRun('acme', submitted.run.runId))).toEqual(['run.cancelled'])
    expect(heardOf(submitted.run.runId, 'run.cancelled')).toEqual([
      expect.objectContaining({ by: 'ann', from: 'queued', tenant: 'acme' }),
    ])
  })

  it('refuses another principal (403), another tenant (404) and a finished run (409)', async () => {
    const submitted = await os.submit(echo('guarded'))
    const runId = submitted.run.runId
    await expect(
      os.cancel({ tenant: 'acme', runId, principal: { id: 'bob' } }),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' })
    await expect(os.cancel({ tenant: 'globex', runId, principal: ann })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await os.execute('acme', runId)
    await expect(os.cancel({ tenant: 'acme', runId, principal: ann })).rejects.toMatchObject({
      code: 'CONFLICT',
    })
  })

  it('cancels a run waiting for approval: its approval is closed, so nobody can approve it after', async () => {
    const run = await os.run({
      tenant: 'acme',
      principal: ann,
      skill: 'ops/wire-money',
      params: { amount: 5 },
    })
    expect(run.status).toBe('awaiting_approval')
    const pending = await os.pendingApprovals({
      tenant: 'acme',
      principal: { id: 'bob', roles: ['approver'] },
    })
    expect(pending.map((a) => a.id)).toContain(run.approval?.id)
    expect(await os.pendingApprovals({ tenant: 'acme', principal: ann })).toEqual([])
    await os.cancel({ tenant: 'acme', runId: run.runId, principal: ann })
    await expect(
      os.approve({
        tenant: 'acme',
        approvalId: run.approval!.id,
        principal: { id: 'bob', roles: ['approver'] },
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' })
    const stored = await os.getRun('acme', run.runId)
    expect(stored?.status).toBe('cancelled')
    // The trace goes on after the approval request with one run.cancelled, numbered next.
    expect(stored?.trace.at(-1)).toMatchObject({
      type: 'run.cancelled',
      seq: run.trace.length,
      by: 'ann',
      from: 'awaiting_approval',
    })
    expect(types(stored).filter((t) => t === 'run.cancelled' || t === 'run.completed')).toEqual([
      'run.cancelled',
    ])
    expect(heardOf(run.runId, 'run.cancelled')).toHaveLength(1)
  })

  it('stops an executing run before its next step when asked', async () => {
    const submitted = await os.submit(echo('stop me'))
    // The flag is what a cancel of a running run writes; the step hook honours it.
    await os.kv.set(`run-cancel:${submitted.run.runId}`, 'ann')
    const result = await os.execute('acme', submitted.run.runId)
    expect(result?.status).toBe('cancelled')
    expect(result?.error).toMatchObject({ code: 'CANCELLED', details: { by: 'ann' } })
    // Cancelled like a queued run: one run.cancelled ends the trace, no run.completed.
    expect(types(result).filter((t) => t === 'run.cancelled' || t === 'run.completed')).toEqual([
      'run.cancelled',
    ])
    expect(result?.trace.at(-1)).toMatchObject({ by: 'ann', from: 'running' })
    expect(heardOf(submitted.run.runId, 'run.cancelled')).toHaveLength(1)
    expect(heardOf(submitted.run.runId, 'run.completed')).toHaveLength(0)
  })

  it('stops a run resumed by an approval in the middle of its handler', async () => {
    const run = await os.run({
      tenant: 'acme',
      principal: ann,
      skill: 'ops/slow-wire',
      params: { amount: 501, ms: 1500 },
    })
    expect(run.status).toBe('awaiting_approval')
    const started = stepStarted(run.runId)
    const approving = os.approve({ tenant: 'acme', approvalId: run.approval!.id, principal: bob })
    await started
    // Executing again, so it is `running` (not waiting) while its handler works.
    expect((await os.getRun('acme', run.runId))?.status).toBe('running')
    const cancelled = await os.cancel({ tenant: 'acme', runId: run.runId, principal: ann })
    expect(cancelled.outcome).toBe('requested')
    const result = await approving
    expect(result.status).toBe('cancelled')
    expect(result.error).toMatchObject({ code: 'CANCELLED', details: { by: 'ann' } })
    expect(result.trace.at(-1)).toMatchObject({ type: 'run.cancelled', by: 'ann', from: 'running' })
    expect(types(result)).not.toContain('run.completed')
    expect((await os.getRun('acme', run.runId))?.status).toBe('cancelled')
    // The handler finishes its wait later; its transfer is refused, the run being over.
    await new Promise((resolve) => setTimeout(resolve, 1700))
    expect(sent).not.toContain(501)
  })

  it('stops a run resumed by an answer in the middle of its handler', async () => {
    const run = await os.run({
      tenant: 'acme',
      principal: ann,
      skill: 'util/slow-note',
      params: { amount: 502 },
      input: 'slow note',
    })
    expect(run.status).toBe('needs_input')
    const started = stepStarted(run.runId)
    const answering = os.answer({
      tenant: 'acme',
      runId: run.runId,
      principal: ann,
      answer: { ms: 1500 },
    })
    await started
    expect((await os.cancel({ tenant: 'acme', runId: run.runId, principal: ann })).outcome).toBe(
      'requested',
    )
    const result = await answering
    expect(result.status).toBe('cancelled')
    expect(result.trace.at(-1)).toMatchObject({ type: 'run.cancelled', from: 'running' })
  })

  it('stops a step when the cancel was made on another instance (the flag, found by a poll)', async () => {
    const submitted = await os.submit({
      tenant: 'acme',
      principal: ann,
      skill: 'util/slow-note',
      params: { amount: 503, ms: 5000 },
    })
    const runId = submitted.run.runId
    const started = stepStarted(runId)
    const executing = os.execute('acme', runId)
    await started
    // Another instance's cancel: only the shared flag, no local abort.
    await os.kv.set(`run-cancel:${runId}`, 'carol')
    const result = await executing
    expect(result?.status).toBe('cancelled')
    expect(result?.trace.at(-1)).toMatchObject({ type: 'run.cancelled', by: 'carol' })
    expect(sent).not.toContain(503)
  })
})

describe('the durable queue', () => {
  it('executes runs accepted before the worker started (a restart), each once', async () => {
    const ids = [(await os.submit(echo('r1'))).run.runId, (await os.submit(echo('r2'))).run.runId]
    const executed: string[] = []
    const queue = createRunQueue({
      database: os.database,
      execute: async (tenant, runId) => {
        executed.push(runId)
        return os.execute(tenant, runId)
      },
      pollMs: 20,
    })
    await queue.start()
    for (let i = 0; i < 200 && !ids.every((id) => executed.includes(id)); i += 1)
      await new Promise((resolve) => setTimeout(resolve, 20))
    await queue.stop()
    for (const id of ids) expect((await os.getRun('acme', id))?.status).toBe('succeeded')
    expect(executed.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort())
    expect(await queue.store.depth()).toBe(0)
  })

  it('lets only one worker claim a run while its lease holds', async () => {
    const store = createRunQueueStore(os.database)
    const { run } = await os.submit(echo('contended'))
    const now = new Date()
    expect(await store.claim('acme', run.runId, 'w1', 60_000, now)).toBe(true)
    expect(await store.claim('acme', run.runId, 'w2', 60_000, now)).toBe(false)
    expect(await store.claim('globex', run.runId, 'w2', 60_000, now)).toBe(false)
    // After the lease, another worker may take it over (the first one died).
    expect(
      await store.claim('acme', run.runId, 'w2', 60_000, new Date(now.getTime() + 61_000)),
    ).toBe(true)
    await store.complete('acme', run.runId)
  })
})
