import { randomBytes } from 'node:crypto'
import { SkillOSError, type Usage } from '@skillos/contracts'
import { approvals, runs, type Database } from '@skillos/store'
import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import {
  createRunStore,
  type BeginRun,
  type NewApproval,
  type RunStore,
  type StoredEvent,
} from './run-store.js'

/** What a test file gives the suite: one migrated database shared by its tests. */
export interface RunStoreContractSetup {
  database(): Database
}

const DAY_MS = 86_400_000
const T0 = new Date('2031-03-01T12:00:00.000Z')
const USAGE: Usage = { tokens: { input: 120, output: 45 }, costUsd: 0.012345, ms: 830 }

/** A rejection as a SkillOSError (fails the test when nothing, or something else, was thrown). */
async function rejection(promise: Promise<unknown>): Promise<SkillOSError> {
  try {
    await promise
  } catch (error) {
    if (SkillOSError.is(error)) return error
    throw error
  }
  throw new Error('expected a rejection')
}

const newTenant = () => `t-${randomBytes(5).toString('hex')}`
const newId = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`

/** A clock the test moves by hand. */
function manualClock(start: Date = T0) {
  let current = start.getTime()
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms
    },
  }
}

function request(overrides: Partial<BeginRun> = {}): BeginRun {
  return {
    id: newId('run'),
    principalId: 'u1',
    input: { text: 'convert 250 EUR to RUB' },
    requestHash: 'hash-a',
    idempotencyTtlMs: DAY_MS,
    ...overrides,
  }
}

function event(
  seq: number,
  type = 'step.started',
  data: Record<string, unknown> = {},
): StoredEvent {
  return { seq, type, at: new Date(T0.getTime() + seq), data: { seq, ...data } }
}

function approval(overrides: Partial<NewApproval> = {}): NewApproval {
  return {
    id: newId('appr'),
    step: 's1',
    reason: 'sends money',
    risk: 'high',
    sideEffects: 'payment',
    approvers: ['finance-lead'],
    requestedBy: 'u1',
    expiresAt: new Date(T0.getTime() + 3_600_000),
    ...overrides,
  }
}

/**
 * The run store's contract, run on every database it supports: PGlite always, PostgreSQL when
 * `SKILLOS_TEST_DATABASE_URL` is set. Tests share one database and isolate themselves by tenant.
 */
export function describeRunStoreContract(name: string, setup: RunStoreContractSetup): void {
  describe(`RunStore contract: ${name}`, () => {
    function newStore(now?: () => Date): RunStore {
      return createRunStore(setup.database(), now ? { now } : {})
    }

    /** A started run of a fresh tenant, and a store whose clock the test controls. */
    async function startedRun(overrides: Partial<BeginRun> = {}) {
      const clock = manualClock()
      const store = newStore(clock.now)
      const tenant = newTenant()
      const begun = await store.begin(tenant, request(overrides))
      expect(begun.kind).toBe('started')
      return { store, clock, tenant, run: begun.run }
    }

    describe('schema', () => {
      it('applies every migration, including run state, versions and approvals', async () => {
        const database = setup.database()
        const status = await database.migrationStatus()
        expect(status.applied).toBe(status.available)
        // 0002 adds run state, versions and approvals; later migrations may follow.
        expect((status.latest ?? '') >= '0002_run_state_approvals').toBe(true)
        const columns = await database.db
          .select({ state: runs.state, parentRunId: runs.parentRunId, version: runs.version })
          .from(runs)
          .limit(0)
        expect(columns).toEqual([])
        const pending = await database.db
          .select({ count: sql<number>`count(*)::int` })
          .from(approvals)
          .where(eq(approvals.tenantId, newTenant()))
        expect(pending).toEqual([{ count: 0 }])
      })
    })

    describe('begin', () => {
      it('starts a run without a key as running, version 0, creating the tenant', async () => {
        const store = newStore(manualClock().now)
        const tenant = newTenant()
        const begun = await store.begin(
          tenant,
          request({ id: 'run-1', skillId: 'finance/convert-currency', mode: 'single' }),
        )
        expect(begun.kind).toBe('started')
        expect(begun.run).toMatchObject({
          tenant,
          id: 'run-1',
          status: 'running',
          principalId: 'u1',
          skillId: 'finance/convert-currency',
          mode: 'single',
          requestHash: 'hash-a',
          input: { text: 'convert 250 EUR to RUB' },
          version: 0,
          usage: { tokens: { input: 0, output: 0 }, costUsd: 0, ms: 0 },
          createdAt: T0,
          updatedAt: T0,
        })
        expect(begun.run.idempotencyKey).toBeUndefined()
        expect(begun.run.completedAt).toBeUndefined()
        expect(await store.get(tenant, 'run-1')).toEqual(begun.run)
        const second = await store.begin(tenant, request({ id: 'run-2' }))
        expect(second.kind).toBe('started')
      })

      it('refuses a run id that exists already with CONFLICT', async () => {
        const { store, tenant, run } = await startedRun()
        const error = await rejection(store.begin(tenant, request({ id: run.id })))
        expect(error.code).toBe('CONFLICT')
        expect(error.message).toContain(run.id)
        const keyed = await rejection(
          store.begin(tenant, request({ id: run.id, idempotencyKey: 'fresh-key' })),
        )
        expect(keyed.code).toBe('CONFLICT')
      })

      it('refuses a tenant id that is not a slug', async () => {
        const error = await rejection(newStore().begin('Not A Slug', request()))
        expect(error.code).toBe('VALIDATION_FAILED')
        expect(error.message).toContain('Not A Slug')
      })

      it('answers the same key and payload while the run is going with in_progress', async () => {
        const { store, tenant, run } = await startedRun({ idempotencyKey: 'k1' })
        const again = await store.begin(tenant, request({ idempotencyKey: 'k1' }))
        expect(again.kind).toBe('in_progress')
        expect(again.run.id).toBe(run.id)

        await store.save(tenant, run.id, { expectedVersion: 0, status: 'awaiting_approval' })
        const waiting = await store.begin(tenant, request({ idempotencyKey: 'k1' }))
        expect(waiting).toMatchObject({ kind: 'in_progress', run: { id: run.id, version: 1 } })
      })

      it('replays a finished run for the same key and payload, with its output', async () => {
        const { store, tenant, run } = await startedRun({ idempotencyKey: 'k1' })
        await store.save(tenant, run.id, {
          expectedVersion: 0,
          status: 'succeeded',
          output: { amount: 24_750.5, currency: 'RUB' },
          usage: USAGE,
        })
        const again = await store.begin(tenant, request({ idempotencyKey: 'k1' }))
        expect(again.kind).toBe('replay')
        expect(again.run).toMatchObject({
          id: run.id,
          status: 'succeeded',
          output: { amount: 24_750.5, currency: 'RUB' },
          usage: USAGE,
        })
      })

      it('replays a stored failure for the same key and payload', async () => {
        const { store, tenant, run } = await startedRun({ idempotencyKey: 'k1' })
        const error = { code: 'UPSTREAM_FAILED', message: 'rates service down', details: { a: 1 } }
        await store.save(tenant, run.id, { expectedVersion: 0, status: 'failed', error })
        const again = await store.begin(tenant, request({ idempotencyKey: 'k1' }))
        expect(again.kind).toBe('replay')
        expect(again.run.status).toBe('failed')
        expect(again.run.error).toEqual(error)
      })

      it('answers the same key with another payload with conflict, naming the first run', async () => {
        const { store, tenant, run } = await startedRun({ idempotencyKey: 'k1' })
        const other = await store.begin(
          tenant,
          request({ idempotencyKey: 'k1', requestHash: 'hash-b' }),
        )
        expect(other.kind).toBe('conflict')
        expect(other.run.id).toBe(run.id)
        expect(other.run.requestHash).toBe('hash-a')
      })

      it('needs a request hash with a key, and none without one', async () => {
        const store = newStore()
        const tenant = newTenant()
        const { requestHash: _hash, ...unhashed } = request()
        const keyed = await rejection(store.begin(tenant, { ...unhashed, idempotencyKey: 'k1' }))
        expect(keyed.code).toBe('VALIDATION_FAILED')
        expect(keyed.message).toMatch(/^requestHash: required with an idempotencyKey/)
        const plain = await store.begin(tenant, unhashed)
        expect(plain.kind).toBe('started')
        expect(plain.run.requestHash).toBeUndefined()
        expect((await store.get(tenant, plain.run.id))?.requestHash).toBeUndefined()
        // The key was not taken by the refused begin.
        const later = await store.begin(tenant, request({ idempotencyKey: 'k1' }))
        expect(later.kind).toBe('started')
      })

      it('releases an expired key and starts the request fresh', async () => {
        const { store, clock, tenant, run } = await startedRun({
          idempotencyKey: 'k1',
          idempotencyTtlMs: 60_000,
        })
        await store.save(tenant, run.id, { expectedVersion: 0, status: 'succeeded', output: 1 })
        clock.advance(59_000)
        expect((await store.begin(tenant, request({ idempotencyKey: 'k1' }))).kind).toBe('replay')

        clock.advance(2_000)
        const fresh = await store.begin(
          tenant,
          request({ idempotencyKey: 'k1', requestHash: 'hash-b' }),
        )
        expect(fresh.kind).toBe('started')
        expect(fresh.run.id).not.toBe(run.id)
        expect(fresh.run.idempotencyKey).toBe('k1')
        const old = await store.get(tenant, run.id)
        expect(old?.idempotencyKey).toBeUndefined()
        expect(old?.output).toBe(1)
      })

      it('starts exactly one of ten concurrent requests with one key', async () => {
        const store = newStore()
        const tenant = newTenant()
        await store.ensureTenant(tenant)
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.begin(tenant, request({ id: `run-${i}`, idempotencyKey: 'same' })),
          ),
        )
        const started = results.filter((r) => r.kind === 'started')
        expect(started).toHaveLength(1)
        expect(results.filter((r) => r.kind === 'in_progress')).toHaveLength(9)
        expect(new Set(results.map((r) => r.run.id))).toEqual(new Set([started[0]?.run.id]))
        const rows = await setup
          .database()
          .db.select({ id: runs.id })
          .from(runs)
          .where(eq(runs.tenantId, tenant))
        expect(rows).toHaveLength(1)
      })

      it('keeps idempotency keys per tenant', async () => {
        const store = newStore()
        const a = await store.begin(newTenant(), request({ idempotencyKey: 'shared' }))
        const b = await store.begin(newTenant(), request({ idempotencyKey: 'shared' }))
        expect([a.kind, b.kind]).toEqual(['started', 'started'])
      })
    })

    describe('save', () => {
      it('writes the change and its events, bumps the version and stamps completion', async () => {
        const { store, clock, tenant, run } = await startedRun()
        clock.advance(1_000)
        const waiting = await store.save(
          tenant,
          run.id,
          {
            expectedVersion: 0,
            status: 'needs_input',
            skillId: 'finance/convert-currency',
            skillVersion: '1.2.0',
            mode: 'pipeline',
            state: { v: 1, steps: [{ id: 's1', status: 'needs_input' }] },
          },
          [event(0, 'run.started'), event(1, 'input.requested')],
        )
        expect(waiting).toMatchObject({
          status: 'needs_input',
          skillVersion: '1.2.0',
          mode: 'pipeline',
          state: { v: 1, steps: [{ id: 's1', status: 'needs_input' }] },
          version: 1,
          createdAt: T0,
          updatedAt: new Date(T0.getTime() + 1_000),
        })
        expect(waiting.completedAt).toBeUndefined()

        clock.advance(1_000)
        const done = await store.save(
          tenant,
          run.id,
          {
            expectedVersion: 1,
            status: 'succeeded',
            output: { ok: true },
            usage: USAGE,
            state: null,
          },
          [event(2, 'run.completed', { status: 'succeeded' })],
        )
        expect(done).toMatchObject({ status: 'succeeded', output: { ok: true }, version: 2 })
        expect(done.state).toBeUndefined()
        expect(done.usage).toEqual(USAGE)
        expect(done.completedAt).toEqual(new Date(T0.getTime() + 2_000))
        expect(await store.get(tenant, run.id)).toEqual(done)
        expect((await store.events(tenant, run.id)).map((e) => e.seq)).toEqual([0, 1, 2])
      })

      it('writes nothing when the version is stale, and says so with CONFLICT', async () => {
        const { store, tenant, run } = await startedRun()
        await store.save(tenant, run.id, { expectedVersion: 0, status: 'needs_input' }, [event(0)])
        const before = await store.get(tenant, run.id)

        const error = await rejection(
          store.save(tenant, run.id, { expectedVersion: 0, status: 'succeeded', output: 'late' }, [
            event(1),
          ]),
        )
        expect(error.code).toBe('CONFLICT')
        expect(error.details).toMatchObject({ expectedVersion: 0, actualVersion: 1 })
        const staleApproval = await rejection(
          store.save(tenant, run.id, { expectedVersion: 0, approvals: [approval()] }),
        )
        expect(staleApproval.code).toBe('CONFLICT')

        expect(await store.get(tenant, run.id)).toEqual(before)
        expect((await store.events(tenant, run.id)).map((e) => e.seq)).toEqual([0])
        expect(await store.listApprovals(tenant, { runId: run.id })).toEqual([])
      })

      it.each([
        ['with events only', false],
        ['with events and approvals', true],
      ])(
        'rolls the whole change back when an event it adds is stored already (%s)',
        async (_, withApproval) => {
          const { store, tenant, run } = await startedRun()
          await store.save(tenant, run.id, { expectedVersion: 0 }, [event(0), event(1)])
          const before = await store.get(tenant, run.id)

          const error = await rejection(
            store.save(
              tenant,
              run.id,
              {
                expectedVersion: 1,
                status: 'succeeded',
                ...(withApproval ? { approvals: [approval()] } : {}),
              },
              [event(2), event(1, 'step.completed')],
            ),
          )
          expect(error.code).toBe('CONFLICT')
          expect(await store.get(tenant, run.id)).toEqual(before)
          const stored = await store.events(tenant, run.id)
          expect(stored.map((e) => [e.seq, e.type])).toEqual([
            [0, 'step.started'],
            [1, 'step.started'],
          ])
          expect(await store.listApprovals(tenant)).toEqual([])
        },
      )

      it('refuses a save that gives one event seq twice or a negative seq, writing nothing', async () => {
        const { store, tenant, run } = await startedRun()
        const twice = await rejection(
          store.save(tenant, run.id, { expectedVersion: 0, status: 'succeeded' }, [
            event(0),
            event(1),
            event(0, 'again'),
          ]),
        )
        expect(twice.code).toBe('VALIDATION_FAILED')
        expect(twice.message).toBe('events: seq 0 is given twice; nothing was written')
        const negative = await rejection(
          store.save(tenant, run.id, { expectedVersion: 0 }, [event(-1)]),
        )
        expect(negative.message).toBe(
          'events[0].seq: must be a whole number ≥ 0, got -1; nothing was written',
        )
        expect(await store.get(tenant, run.id)).toMatchObject({ status: 'running', version: 0 })
        expect(await store.events(tenant, run.id)).toEqual([])
      })

      it('stores an event time given as ISO text as it stores a Date', async () => {
        const { store, tenant, run } = await startedRun()
        const at = '2026-11-21T09:30:00.125Z'
        await store.save(tenant, run.id, { expectedVersion: 0, status: 'succeeded' }, [
          { seq: 0, type: 'step.started', at, data: { step: 's1' } },
          event(1, 'step.completed'),
        ])
        const stored = await store.events(tenant, run.id)
        expect(stored.map((e) => [e.seq, e.at.toISOString(), e.data])).toEqual([
          [0, at, { step: 's1' }],
          [1, new Date(T0.getTime() + 1).toISOString(), { seq: 1 }],
        ])
      })

      it('refuses an event time that is not a valid Date or ISO UTC text, writing nothing', async () => {
        const { store, tenant, run } = await startedRun()
        for (const [at, shown] of [
          ['yesterday', '"yesterday"'],
          ['2026-11-21 09:30:00', '"2026-11-21 09:30:00"'],
          ['2026-13-45T09:30:00.000Z', '"2026-13-45T09:30:00.000Z"'],
          [new Date(Number.NaN), 'null'],
        ] as const) {
          const error = await rejection(
            store.save(tenant, run.id, { expectedVersion: 0, status: 'succeeded' }, [
              event(0),
              { seq: 1, type: 'step.completed', at, data: {} },
            ]),
          )
          expect(error.code).toBe('VALIDATION_FAILED')
          expect(error.message).toBe(
            `events[1].at: must be a valid Date or ISO 8601 UTC text like 2026-11-21T09:30:00.000Z, got ${shown}; nothing was written`,
          )
        }
        expect(await store.get(tenant, run.id)).toMatchObject({ status: 'running', version: 0 })
        expect(await store.events(tenant, run.id)).toEqual([])
      })

      it('fails with NOT_FOUND for a run that does not exist', async () => {
        const { store, tenant } = await startedRun()
        const error = await rejection(store.save(tenant, 'nope', { expectedVersion: 0 }))
        expect(error.code).toBe('NOT_FOUND')
      })
    })

    describe('group commit', () => {
      it('writes 50 concurrent begins and saves durably and correctly, each answered', async () => {
        const store = newStore(manualClock().now)
        const tenant = newTenant()
        await store.ensureTenant(tenant)
        const ids = Array.from({ length: 50 }, (_, i) => `run-${i}`)
        const begun = await Promise.all(
          ids.map((id, i) =>
            store.begin(tenant, request({ id, input: { n: i }, idempotencyKey: `key-${i}` })),
          ),
        )
        expect(begun.map((b) => [b.kind, b.run.id, b.run.version])).toEqual(
          ids.map((id) => ['started', id, 0]),
        )
        expect(begun[7]?.run).toEqual(await store.get(tenant, 'run-7'))

        const saved = await Promise.all(
          ids.map((id, i) =>
            store.save(
              tenant,
              id,
              {
                expectedVersion: 0,
                status: i % 2 === 0 ? 'succeeded' : 'needs_input',
                output: i % 2 === 0 ? { doubled: 2 * i } : undefined,
                state: { i },
                usage: USAGE,
              },
              [event(0, 'run.started', { i }), event(1, 'run.completed', { i })],
            ),
          ),
        )
        for (const [i, run] of saved.entries()) {
          expect(run).toMatchObject({ id: ids[i], version: 1, state: { i }, usage: USAGE })
          expect(run.status).toBe(i % 2 === 0 ? 'succeeded' : 'needs_input')
          expect(run.output).toEqual(i % 2 === 0 ? { doubled: 2 * i } : undefined)
          expect(run.completedAt).toEqual(i % 2 === 0 ? T0 : undefined)
          expect(run.input).toEqual({ n: i })
        }
        // Read back from the database, not from the answers: every write is there.
        for (const [i, id] of ids.entries()) {
          expect(await store.get(tenant, id)).toEqual(saved[i])
          expect((await store.events(tenant, id)).map((e) => [e.seq, e.data])).toEqual([
            [0, { seq: 0, i }],
            [1, { seq: 1, i }],
          ])
        }
        // The keys hold: the same requests again are replays or in progress.
        const again = await Promise.all(
          ids.map((id, i) =>
            store.begin(tenant, request({ input: { n: i }, idempotencyKey: `key-${i}` })),
          ),
        )
        expect(again.map((b) => b.kind)).toEqual(
          ids.map((_, i) => (i % 2 === 0 ? 'replay' : 'in_progress')),
        )
        expect(again.map((b) => b.run.id)).toEqual(ids)
      })

      it('fails only the stale save of a batch; its neighbours are written', async () => {
        const store = newStore(manualClock().now)
        const tenant = newTenant()
        const ids = ['a', 'b', 'c', 'd'].map((x) => `run-${x}`)
        await Promise.all(ids.map((id) => store.begin(tenant, request({ id }))))
        await store.save(tenant, 'run-c', { expectedVersion: 0, status: 'needs_input' })

        const outcomes = await Promise.allSettled(
          ids.map((id) =>
            store.save(tenant, id, { expectedVersion: 0, status: 'succeeded', output: id }, [
              event(5),
            ]),
          ),
        )
        expect(outcomes.map((o) => o.status)).toEqual([
          'fulfilled',
          'fulfilled',
          'rejected',
          'fulfilled',
        ])
        const stale = outcomes[2]
        expect(stale?.status === 'rejected' && SkillOSError.is(stale.reason, 'CONFLICT')).toBe(true)
        expect(
          stale?.status === 'rejected' && (stale.reason as SkillOSError).details,
        ).toMatchObject({ expectedVersion: 0, actualVersion: 1 })
        expect(await store.get(tenant, 'run-c')).toMatchObject({
          status: 'needs_input',
          version: 1,
        })
        expect(await store.events(tenant, 'run-c')).toEqual([])
        for (const id of ['run-a', 'run-b', 'run-d']) {
          expect(await store.get(tenant, id)).toMatchObject({
            status: 'succeeded',
            output: id,
            version: 1,
          })
          expect((await store.events(tenant, id)).map((e) => e.seq)).toEqual([5])
        }
      })

      it('lets one of two concurrent saves of one run win, the other failing with CONFLICT', async () => {
        const { store, tenant, run } = await startedRun()
        const outcomes = await Promise.allSettled([
          store.save(tenant, run.id, { expectedVersion: 0, output: 'first' }, [event(0)]),
          store.save(tenant, run.id, { expectedVersion: 0, output: 'second' }, [event(0)]),
        ])
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected'])
        expect(await store.get(tenant, run.id)).toMatchObject({ output: 'first', version: 1 })
      })

      it('falls back to one write at a time when a batch fails, keeping the good writes', async () => {
        const store = newStore(manualClock().now)
        const tenant = newTenant()
        const ids = ['a', 'b', 'c'].map((x) => `run-${x}`)
        await Promise.all(ids.map((id) => store.begin(tenant, request({ id }))))
        await store.save(tenant, 'run-b', { expectedVersion: 0 }, [event(0)])

        // run-b's usage breaks a check constraint: the batch statement fails as a whole.
        const negative = { tokens: { input: -1, output: 0 }, costUsd: 0, ms: 0 }
        const outcomes = await Promise.allSettled([
          store.save(tenant, 'run-a', { expectedVersion: 0, status: 'succeeded' }, [event(0)]),
          store.save(
            tenant,
            'run-b',
            { expectedVersion: 1, status: 'succeeded', usage: negative },
            [event(1)],
          ),
          store.save(tenant, 'run-c', { expectedVersion: 0, status: 'failed' }, [event(0)]),
        ])
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
        const bad = outcomes[1]
        // The database's check violation (SQLSTATE 23514), as the driver reported it.
        const reason =
          bad?.status === 'rejected' ? (bad.reason as { cause?: { code?: string } }) : {}
        expect(reason.cause?.code).toBe('23514')
        expect(await store.get(tenant, 'run-a')).toMatchObject({ status: 'succeeded', version: 1 })
        expect(await store.get(tenant, 'run-b')).toMatchObject({ status: 'running', version: 1 })
        expect((await store.events(tenant, 'run-b')).map((e) => [e.seq, e.type])).toEqual([
          [0, 'step.started'],
        ])
        expect(await store.get(tenant, 'run-c')).toMatchObject({ status: 'failed', version: 1 })

        // Begins too: a run id taken already fails alone, the others in its batch start.
        const begun = await Promise.allSettled([
          store.begin(tenant, request({ id: 'run-new-1' })),
          store.begin(tenant, request({ id: 'run-a' })),
          store.begin(tenant, request({ id: 'run-new-2', idempotencyKey: 'k' })),
        ])
        expect(begun.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
        expect((await store.get(tenant, 'run-new-2'))?.idempotencyKey).toBe('k')
        expect((await store.get(tenant, 'run-a'))?.status).toBe('succeeded')
      })

      it('keeps a batch of several tenants apart', async () => {
        const store = newStore(manualClock().now)
        const [a, b] = [newTenant(), newTenant()]
        await Promise.all([
          store.begin(a, request({ id: 'same', input: 'a' })),
          store.begin(b, request({ id: 'same', input: 'b' })),
        ])
        const saved = await Promise.all([
          store.save(a, 'same', { expectedVersion: 0, output: 'for a' }, [event(0, 'a')]),
          store.save(b, 'same', { expectedVersion: 0, output: 'for b' }, [event(0, 'b')]),
        ])
        expect(saved.map((r) => [r.tenant, r.input, r.output])).toEqual([
          [a, 'a', 'for a'],
          [b, 'b', 'for b'],
        ])
        expect((await store.events(a, 'same')).map((e) => e.type)).toEqual(['a'])
        expect((await store.events(b, 'same')).map((e) => e.type)).toEqual(['b'])
      })
    })

    describe('deferred runs', () => {
      it('stores nothing until the first save, which inserts the run with its events', async () => {
        const clock = manualClock()
        const store = newStore(clock.now)
        const tenant = newTenant()
        const begun = await store.begin(tenant, request({ id: 'run-d', deferred: true }))
        expect(begun).toMatchObject({ kind: 'started', run: { status: 'running', version: 0 } })
        // A crash here would leave nothing behind: the run is not in the database yet.
        expect(await store.get(tenant, 'run-d')).toBeUndefined()
        expect(await store.events(tenant, 'run-d')).toEqual([])

        clock.advance(500)
        const done = await store.save(
          tenant,
          'run-d',
          {
            expectedVersion: 0,
            status: 'succeeded',
            skillId: 'finance/convert-currency',
            skillVersion: '1.2.0',
            mode: 'single',
            output: { amount: 24_750 },
            usage: USAGE,
            state: { v: 1, steps: [{ id: 's1', status: 'succeeded' }] },
          },
          [event(0, 'run.started'), event(1, 'run.completed', { status: 'succeeded' })],
        )
        expect(done).toMatchObject({
          tenant,
          id: 'run-d',
          status: 'succeeded',
          skillVersion: '1.2.0',
          output: { amount: 24_750 },
          usage: USAGE,
          version: 1,
          createdAt: T0,
          updatedAt: new Date(T0.getTime() + 500),
          completedAt: new Date(T0.getTime() + 500),
        })
        // What the one INSERT stored is what an UPDATE would have left.
        expect(await store.get(tenant, 'run-d')).toEqual(done)
        expect(await store.events(tenant, 'run-d')).toEqual([
          event(0, 'run.started'),
          event(1, 'run.completed', { status: 'succeeded' }),
        ])
        const next = await store.save(tenant, 'run-d', { expectedVersion: 1, status: 'cancelled' })
        expect(next.version).toBe(2)
      })

      it('writes a deferred run as running on persist; its save is then an update', async () => {
        const store = newStore(manualClock().now)
        const tenant = newTenant()
        await store.begin(tenant, request({ id: 'run-p', deferred: true }))
        await Promise.all([store.persist(tenant, 'run-p'), store.persist(tenant, 'run-p')])
        expect(await store.get(tenant, 'run-p')).toMatchObject({ status: 'running', version: 0 })
        await store.persist(tenant, 'run-p') // written already: nothing to do
        const done = await store.save(tenant, 'run-p', { expectedVersion: 0, status: 'failed' }, [
          event(0),
        ])
        expect(done).toMatchObject({ status: 'failed', version: 1 })
        expect(await store.events(tenant, 'run-p')).toHaveLength(1)
      })

      it('claims an idempotency key at once even when asked to defer', async () => {
        const store = newStore(manualClock().now)
        const tenant = newTenant()
        const first = await store.begin(tenant, request({ idempotencyKey: 'k-1', deferred: true }))
        expect(await store.get(tenant, first.run.id)).toMatchObject({ status: 'running' })
        const again = await store.begin(tenant, request({ idempotencyKey: 'k-1', deferred: true }))
        expect(again.kind).toBe('in_progress')
      })

      it('refuses a stale first save and keeps the run; a taken id is a CONFLICT', async () => {
        const store = newStore(manualClock().now)
        const tenant = newTenant()
        await store.begin(tenant, request({ id: 'run-s', deferred: true }))
        const stale = await rejection(
          store.save(tenant, 'run-s', { expectedVersion: 3, status: 'succeeded' }),
        )
        expect(stale.code).toBe('CONFLICT')
        expect(stale.details).toMatchObject({ expectedVersion: 3, actualVersion: 0 })
        const saved = await store.save(tenant, 'run-s', { expectedVersion: 0, status: 'succeeded' })
        expect(saved.version).toBe(1)

        await store.begin(tenant, request({ id: 'run-taken' }))
        await store.begin(tenant, request({ id: 'run-taken', deferred: true }))
        const taken = await rejection(
          store.save(tenant, 'run-taken', { expectedVersion: 0, status: 'succeeded' }, [event(0)]),
        )
        expect(taken.code).toBe('CONFLICT')
        // The run that held the id is untouched, and no event was attached to it.
        expect(await store.get(tenant, 'run-taken')).toMatchObject({ status: 'running' })
        expect(await store.events(tenant, 'run-taken')).toEqual([])
      })

      it('stores a deferred run that pauses for approval with its approvals', async () => {
        const store = newStore(manualClock().now)
        const tenant = newTenant()
        await store.begin(tenant, request({ id: 'run-a', deferred: true }))
        const paused = await store.save(
          tenant,
          'run-a',
          { expectedVersion: 0, status: 'awaiting_approval', approvals: [approval({ id: 'a-1' })] },
          [event(0, 'approval.requested')],
        )
        expect(paused).toMatchObject({ status: 'awaiting_approval', version: 1 })
        expect((await store.listApprovals(tenant, { runId: 'run-a' })).map((a) => a.id)).toEqual([
          'a-1',
        ])
      })

      it('inserts 40 concurrent ended runs in batches, each readable after', async () => {
        const store = newStore(manualClock().now)
        const tenant = newTenant()
        const ids = Array.from({ length: 40 }, (_, i) => `run-${i}`)
        for (const id of ids) await store.begin(tenant, request({ id, deferred: true }))
        const saved = await Promise.all(
          ids.map((id, i) =>
            store.save(tenant, id, { expectedVersion: 0, status: 'succeeded', output: { i } }, [
              event(0),
              event(1, 'run.completed'),
            ]),
          ),
        )
        expect(saved.map((run) => run.output)).toEqual(ids.map((_, i) => ({ i })))
        for (const [i, id] of ids.entries()) {
          expect(await store.get(tenant, id)).toMatchObject({ output: { i }, version: 1 })
          expect(await store.events(tenant, id)).toHaveLength(2)
        }
      })

      it('stores ended runs’ text exactly: Cyrillic, emoji, quotes, backslashes, empty and null', async () => {
        const store = newStore(manualClock().now)
        const tenant = newTenant()
        const text = 'переведи 250 € → ₽ 🦪 "quoted" \\back\\slash\\ {not: json} \n\t end'
        // A text column with what JSON and arrays must escape.
        const principal = 'Анна "ann" \\ {x,y} 🦪'
        const runs = [
          { id: 'run-text', input: { text }, output: { text, empty: '', list: [text, null] } },
          { id: 'run-empty', input: { text: '' }, output: '' },
          { id: 'run-null', input: { text: 'x' }, output: null },
        ]
        for (const run of runs) {
          await store.begin(
            tenant,
            request({ id: run.id, input: run.input, principalId: principal, deferred: true }),
          )
        }
        // Saved together, so one statement carries them all.
        await Promise.all(
          runs.map((run) =>
            store.save(
              tenant,
              run.id,
              {
                expectedVersion: 0,
                status: run.output === null ? 'failed' : 'succeeded',
                skillId: `skill/${run.id}`,
                ...(run.output === null
                  ? { error: { code: 'INTERNAL', message: text } }
                  : { output: run.output }),
                state: { v: 1, note: text },
              },
              [event(0, 'run.started', { text }), event(1, 'run.completed', { text: '' })],
            ),
          ),
        )
        // A store of its own reads what the database holds.
        const reader = newStore()
        for (const run of runs) {
          const stored = await reader.get(tenant, run.id)
          expect(stored).toMatchObject({
            input: run.input,
            principalId: principal,
            skillId: `skill/${run.id}`,
            state: { v: 1, note: text },
          })
          if (run.output === null) {
            expect(stored?.output ?? null).toBeNull()
            expect(stored?.error).toEqual({ code: 'INTERNAL', message: text })
          } else {
            expect(stored?.output).toEqual(run.output)
          }
          expect(await reader.events(tenant, run.id)).toEqual([
            event(0, 'run.started', { text }),
            event(1, 'run.completed', { text: '' }),
          ])
        }
      })
    })

    describe('buffered durability', () => {
      it('answers an ended run before its commit; every read still sees it', async () => {
        const tenant = newTenant()
        const store = createRunStore(setup.database(), { durability: 'buffered' })
        await store.begin(tenant, request({ id: 'run-b', deferred: true }))
        const output = { list: [1, 2] }
        const answered = await store.save(
          tenant,
          'run-b',
          { expectedVersion: 0, status: 'succeeded', output },
          [event(0, 'run.completed')],
        )
        // Changing the caller's objects after the answer changes nothing stored.
        output.list.push(3)
        expect(answered).toMatchObject({
          status: 'succeeded',
          version: 1,
          output: { list: [1, 2] },
        })
        // Another store on the same database reads only what has been committed...
        const other = createRunStore(setup.database())
        await store.flush()
        expect(await other.get(tenant, 'run-b')).toMatchObject({ output: { list: [1, 2] } })
        // ...and this store's reads wait for what it acknowledged before them.
        await store.begin(tenant, request({ id: 'run-c', deferred: true }))
        await store.save(tenant, 'run-c', { expectedVersion: 0, status: 'failed' }, [event(0)])
        expect(await store.get(tenant, 'run-c')).toMatchObject({ status: 'failed', version: 1 })
        expect(await store.events(tenant, 'run-c')).toHaveLength(1)
      })

      it('holds a save back while the backlog is full, until older writes commit', async () => {
        const tenant = newTenant()
        const store = createRunStore(setup.database(), {
          durability: 'buffered',
          maxBufferedWrites: 1,
        })
        const other = createRunStore(setup.database())
        for (const id of ['run-1', 'run-2']) {
          await store.begin(tenant, request({ id, deferred: true }))
        }
        await store.save(tenant, 'run-1', { expectedVersion: 0, status: 'succeeded' })
        // The backlog holds run-1: run-2's answer waits for that commit, so any reader sees run-1.
        await store.save(tenant, 'run-2', { expectedVersion: 0, status: 'succeeded' })
        expect(await other.get(tenant, 'run-1')).toMatchObject({ status: 'succeeded', version: 1 })
        await store.flush()
        expect(await other.get(tenant, 'run-2')).toMatchObject({ status: 'succeeded', version: 1 })
      })

      it('refuses a backlog bound that is not a whole number of runs, naming it', () => {
        for (const bad of [0, -1, 2.5, Number.NaN]) {
          let error: unknown
          try {
            createRunStore(setup.database(), { durability: 'buffered', maxBufferedWrites: bad })
          } catch (caught) {
            error = caught
          }
          expect(SkillOSError.is(error, 'VALIDATION_FAILED'), String(bad)).toBe(true)
          expect((error as Error).message).toContain('maxBufferedWrites')
        }
      })

      it('reports a buffered write that fails, through the handler or from flush', async () => {
        const tenant = newTenant()
        const reported: string[] = []
        const store = createRunStore(setup.database(), {
          durability: 'buffered',
          onBufferedWriteError: (error, run) =>
            reported.push(`${run.runId}: ${(error as SkillOSError).code}`),
        })
        await store.begin(tenant, request({ id: 'run-x' }))
        await store.begin(tenant, request({ id: 'run-x', deferred: true }))
        await store.save(tenant, 'run-x', { expectedVersion: 0, status: 'succeeded' })
        await store.flush()
        expect(reported).toEqual(['run-x: CONFLICT'])

        const silent = createRunStore(setup.database(), { durability: 'buffered' })
        await silent.begin(tenant, request({ id: 'run-x', deferred: true }))
        await silent.save(tenant, 'run-x', { expectedVersion: 0, status: 'succeeded' })
        expect((await rejection(silent.flush())).code).toBe('CONFLICT')
        await silent.flush() // reported once
      })
    })

    describe('events', () => {
      it('returns a run’s events in seq order, page by page', async () => {
        const { store, tenant, run } = await startedRun()
        // A save's events may come in any order; each save adds after the last one stored.
        await store.save(
          tenant,
          run.id,
          { expectedVersion: 0 },
          [2, 0, 1].map((s) => event(s)),
        )
        await store.save(
          tenant,
          run.id,
          { expectedVersion: 1 },
          [3, 5, 4].map((s) => event(s)),
        )

        const all = await store.events(tenant, run.id)
        expect(all.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5])
        expect(all[3]).toEqual(event(3))

        const first = await store.events(tenant, run.id, { limit: 4 })
        expect(first.map((e) => e.seq)).toEqual([0, 1, 2, 3])
        const next = await store.events(tenant, run.id, { afterSeq: 3, limit: 4 })
        expect(next.map((e) => e.seq)).toEqual([4, 5])
        expect(await store.events(tenant, run.id, { afterSeq: 5 })).toEqual([])
        expect(await store.events(tenant, 'unknown-run')).toEqual([])
      })
    })

    describe('approvals', () => {
      it('creates approvals with the run change and lists them', async () => {
        const { store, tenant, run } = await startedRun()
        const first = approval({ id: 'a1', requestedAt: new Date(T0.getTime() + 1) })
        const second = approval({
          id: 'a2',
          step: undefined,
          requestedAt: new Date(T0.getTime() + 2),
        })
        const saved = await store.save(
          tenant,
          run.id,
          { expectedVersion: 0, status: 'awaiting_approval', approvals: [second, first] },
          [event(0, 'approval.requested', { approvalId: 'a1' })],
        )
        expect(saved.status).toBe('awaiting_approval')

        const listed = await store.listApprovals(tenant, { runId: run.id })
        expect(listed.map((a) => a.id)).toEqual(['a1', 'a2'])
        expect(listed[0]).toEqual({
          tenant,
          id: 'a1',
          runId: run.id,
          step: 's1',
          status: 'pending',
          reason: 'sends money',
          risk: 'high',
          sideEffects: 'payment',
          approvers: ['finance-lead'],
          requestedBy: 'u1',
          requestedAt: new Date(T0.getTime() + 1),
          expiresAt: first.expiresAt,
        })
        expect(listed[1]?.step).toBeUndefined()
        expect(await store.getApproval(tenant, 'a2')).toEqual(listed[1])
        expect(await store.listApprovals(tenant, { status: 'approved' })).toEqual([])
        expect(await store.listApprovals(tenant, { limit: 1 })).toHaveLength(1)
      })

      it('approves a pending approval once; a second decision fails with CONFLICT', async () => {
        const { store, clock, tenant, run } = await startedRun()
        const created = await store.createApproval(tenant, { ...approval(), runId: run.id })
        expect(created.status).toBe('pending')
        expect(created.requestedAt).toEqual(T0)
        clock.advance(60_000)

        const decided = await store.decideApproval(tenant, created.id, {
          status: 'approved',
          by: 'lead-1',
          comment: 'ok',
        })
        expect(decided).toMatchObject({
          status: 'approved',
          decidedBy: 'lead-1',
          decidedAt: new Date(T0.getTime() + 60_000),
          comment: 'ok',
        })
        expect(await store.getApproval(tenant, created.id)).toEqual(decided)

        const again = await rejection(
          store.decideApproval(tenant, created.id, { status: 'rejected', by: 'lead-2' }),
        )
        expect(again.code).toBe('CONFLICT')
        expect(again.message).toContain('was approved')
        expect(again.details).toMatchObject({ status: 'approved', decidedBy: 'lead-1' })
        expect(await store.getApproval(tenant, created.id)).toEqual(decided)
      })

      it('rejects with who and why', async () => {
        const { store, tenant, run } = await startedRun()
        const created = await store.createApproval(tenant, { ...approval(), runId: run.id })
        const rejected = await store.decideApproval(tenant, created.id, {
          status: 'rejected',
          by: 'lead-2',
          comment: 'too much',
        })
        expect(rejected).toMatchObject({
          status: 'rejected',
          decidedBy: 'lead-2',
          comment: 'too much',
        })
      })

      it('lets exactly one of two concurrent decisions win', async () => {
        const { store, tenant, run } = await startedRun()
        const created = await store.createApproval(tenant, { ...approval(), runId: run.id })
        const outcomes = await Promise.allSettled([
          store.decideApproval(tenant, created.id, { status: 'approved', by: 'a' }),
          store.decideApproval(tenant, created.id, { status: 'rejected', by: 'b' }),
        ])
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
        const failed = outcomes.find((o) => o.status === 'rejected')
        expect(SkillOSError.is(failed?.reason, 'CONFLICT')).toBe(true)
      })

      it('marks an approval past its expiry expired instead of deciding it', async () => {
        const { store, clock, tenant, run } = await startedRun()
        const created = await store.createApproval(tenant, {
          ...approval({ expiresAt: new Date(T0.getTime() + 1_000) }),
          runId: run.id,
        })
        clock.advance(1_000)
        const error = await rejection(
          store.decideApproval(tenant, created.id, { status: 'approved', by: 'lead-1' }),
        )
        expect(error.code).toBe('CONFLICT')
        expect(error.message).toContain('expired')
        expect(error.details).toMatchObject({ status: 'expired' })
        expect(await store.getApproval(tenant, created.id)).toMatchObject({
          status: 'expired',
          decidedAt: new Date(T0.getTime() + 1_000),
        })
        expect((await store.getApproval(tenant, created.id))?.decidedBy).toBeUndefined()
      })

      it('fails with NOT_FOUND for an unknown approval, or one for an unknown run', async () => {
        const { store, tenant } = await startedRun()
        const error = await rejection(
          store.decideApproval(tenant, 'nope', { status: 'approved', by: 'x' }),
        )
        expect(error.code).toBe('NOT_FOUND')
        const orphan = await rejection(
          store.createApproval(tenant, { ...approval(), runId: 'no-such-run' }),
        )
        expect(orphan.code).toBe('NOT_FOUND')
      })

      it('expires the past-due pending approvals of a tenant and returns them', async () => {
        const { store, tenant, run } = await startedRun()
        const soon = new Date(T0.getTime() + 1_000)
        const later = new Date(T0.getTime() + 10_000)
        await store.save(tenant, run.id, {
          expectedVersion: 0,
          status: 'awaiting_approval',
          approvals: [
            approval({ id: 'due-1', expiresAt: soon }),
            approval({ id: 'due-2', expiresAt: soon }),
            approval({ id: 'not-yet', expiresAt: later }),
            approval({ id: 'decided', expiresAt: soon }),
          ],
        })
        await store.decideApproval(tenant, 'decided', { status: 'approved', by: 'lead', now: T0 })

        const sweepAt = new Date(T0.getTime() + 5_000)
        const expired = await store.expireApprovals(tenant, sweepAt)
        expect(expired.map((a) => a.id).sort()).toEqual(['due-1', 'due-2'])
        expect(expired.every((a) => a.status === 'expired')).toBe(true)
        expect(expired[0]?.decidedAt).toEqual(sweepAt)
        expect(await store.expireApprovals(tenant, sweepAt)).toEqual([])
        expect((await store.getApproval(tenant, 'not-yet'))?.status).toBe('pending')
        expect((await store.getApproval(tenant, 'decided'))?.status).toBe('approved')
      })

      it('sweeps every tenant when the background job passes no tenant', async () => {
        const store = newStore()
        const dueAt = new Date('2031-06-01T00:00:00.000Z')
        const tenants = [newTenant(), newTenant()]
        for (const tenant of tenants) {
          const begun = await store.begin(tenant, request())
          await store.createApproval(tenant, {
            ...approval({ id: 'sweep-me', expiresAt: dueAt }),
            runId: begun.run.id,
          })
        }
        const expired = await store.expireApprovals(undefined, new Date(dueAt.getTime() + 1))
        const ours = expired.filter((a) => tenants.includes(a.tenant))
        expect(ours.map((a) => a.tenant).sort()).toEqual([...tenants].sort())
        expect(ours.every((a) => a.id === 'sweep-me' && a.status === 'expired')).toBe(true)
      })
    })

    describe('tenant isolation', () => {
      it('shows another tenant’s runs, events and approvals as not found', async () => {
        const { store, tenant: a, run } = await startedRun({ idempotencyKey: 'k1' })
        await store.save(
          a,
          run.id,
          {
            expectedVersion: 0,
            status: 'awaiting_approval',
            approvals: [approval({ id: 'appr-a' })],
          },
          [event(0)],
        )
        const b = newTenant()
        await store.ensureTenant(b)

        expect(await store.get(b, run.id)).toBeUndefined()
        expect(await store.events(b, run.id)).toEqual([])
        expect(await store.getApproval(b, 'appr-a')).toBeUndefined()
        expect(await store.listApprovals(b)).toEqual([])
        expect(await store.listApprovals(b, { runId: run.id })).toEqual([])

        const save = await rejection(
          store.save(b, run.id, { expectedVersion: 1, status: 'cancelled' }, [event(1)]),
        )
        expect(save.code).toBe('NOT_FOUND')
        const decide = await rejection(
          store.decideApproval(b, 'appr-a', { status: 'approved', by: 'intruder' }),
        )
        expect(decide.code).toBe('NOT_FOUND')
        const attach = await rejection(store.createApproval(b, { ...approval(), runId: run.id }))
        expect(attach.code).toBe('NOT_FOUND')
        expect(await store.expireApprovals(b, new Date(T0.getTime() + 365 * DAY_MS))).toEqual([])
        expect((await store.begin(b, request({ idempotencyKey: 'k1' }))).kind).toBe('started')

        // Tenant A's rows are untouched.
        expect(await store.get(a, run.id)).toMatchObject({
          status: 'awaiting_approval',
          version: 1,
        })
        expect((await store.getApproval(a, 'appr-a'))?.status).toBe('pending')
        expect(await store.events(a, run.id)).toHaveLength(1)
        const rows = await setup
          .database()
          .db.select({ id: approvals.id })
          .from(approvals)
          .where(eq(approvals.tenantId, b))
        expect(rows).toEqual([])
      })

      it('requires a tenant on every call', async () => {
        const store = newStore()
        const error = await rejection(store.get('', 'run-1'))
        expect(error.code).toBe('VALIDATION_FAILED')
      })
    })
  })
}
