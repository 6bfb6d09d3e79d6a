import { randomBytes } from 'node:crypto'
import { SkillOSError, type BudgetConfigInput } from '@skillos/contracts'
import { budgetLedger, tenants, type Database, type KeyValueStore } from '@skillos/store'
import { and, eq } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { createBudget, type Budget, type CreateBudgetOptions } from './budget.js'
import type { BudgetExceededError } from './budget-exceeded-error.js'

/** What the suite needs from a test file: one shared database, and a fresh key-value store per call. */
export interface BudgetContractSetup {
  database(): Database
  openKeyValue(prefix: string): Promise<KeyValueStore>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A rejection, returned so a test can look at it (fails when nothing was thrown). */
async function rejection(promise: Promise<unknown>): Promise<SkillOSError> {
  try {
    await promise
  } catch (error) {
    if (SkillOSError.is(error)) return error
    throw error
  }
  throw new Error('expected a rejection')
}

/**
 * The behaviour every (database, key-value store) pair must give the budget: PGlite + in-process
 * always, PostgreSQL + Redis in the integration suite. Tests share the database and isolate by
 * tenant; each budget gets its own key-value prefix.
 */
export function describeBudgetContract(name: string, setup: BudgetContractSetup): void {
  describe(`Budget contract: ${name}`, () => {
    const stores: KeyValueStore[] = []
    const budgets: Budget[] = []

    afterAll(async () => {
      for (const budget of budgets) await budget.close()
      for (const store of stores) {
        await store.clear()
        await store.close()
      }
    })

    async function newTenant(): Promise<string> {
      const id = `t-${randomBytes(5).toString('hex')}`
      await setup.database().db.insert(tenants).values({ id, name: id })
      return id
    }

    async function newStore(): Promise<KeyValueStore> {
      const store = await setup.openKeyValue(`budget-contract:${randomBytes(6).toString('hex')}:`)
      stores.push(store)
      return store
    }

    async function newBudget(
      config: BudgetConfigInput,
      options: Partial<CreateBudgetOptions> = {},
    ): Promise<Budget> {
      const budget = createBudget({
        database: setup.database(),
        kv: options.kv ?? (await newStore()),
        config,
        ...options,
      })
      budgets.push(budget)
      return budget
    }

    async function ledgerRows(tenant: string) {
      return setup
        .database()
        .db.select()
        .from(budgetLedger)
        .where(eq(budgetLedger.tenantId, tenant))
        .orderBy(budgetLedger.at, budgetLedger.id)
    }

    const dailyLimits: BudgetConfigInput = {
      limits: [
        { id: 'tenant-daily', scope: 'tenant', window: 'day', usd: 50 },
        { id: 'user-daily', scope: 'user', window: 'day', usd: 5 },
      ],
    }

    describe('run-time limits per tenant', () => {
      it('win over the configured limit of their scope and window, for that tenant only', async () => {
        const tenant = await newTenant()
        const other = await newTenant()
        const budget = await newBudget(dailyLimits, { tenantLimitsCacheMs: 60_000 })
        expect(await budget.tenantLimits(tenant)).toEqual({ tenant, limits: [], version: 0 })
        const set = await budget.setTenantLimits(
          tenant,
          [{ id: 'user-daily', scope: 'user', window: 'day', usd: 2 }],
          { by: 'admin-1', expectedVersion: 0 },
        )
        expect(set).toMatchObject({ tenant, version: 1, updatedBy: 'admin-1' })
        expect(set.limits).toEqual([
          expect.objectContaining({ id: 'user-daily', tenant, usd: 2, mode: 'hard' }),
        ])
        // $2 a day for this tenant's users instead of $5; the configured $5 still for others.
        await budget.reserve({ tenant, user: 'u1', runId: 'r1', costUsd: 1.5 })
        await expect(
          budget.reserve({ tenant, user: 'u1', runId: 'r2', costUsd: 1 }),
        ).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' })
        await expect(
          budget.reserve({ tenant: other, user: 'u1', runId: 'r3', costUsd: 4 }),
        ).resolves.toBeDefined()
        const report = await budget.report({ tenant, user: 'u1' })
        expect(report.map((r) => [r.limitId, r.limit])).toEqual([
          ['tenant-daily', 50],
          [`${tenant}:user-daily`, 2],
        ])
        // Removing them restores the configured limit at once in this process.
        expect(await budget.setTenantLimits(tenant, [])).toMatchObject({ version: 2, limits: [] })
        await expect(
          budget.reserve({ tenant, user: 'u1', runId: 'r4', costUsd: 1 }),
        ).resolves.toBeDefined()
      })

      it('refuses a bad list, another tenant or a stale version, and changes nothing', async () => {
        const tenant = await newTenant()
        const budget = await newBudget(dailyLimits)
        await budget.setTenantLimits(tenant, [{ scope: 'tenant', window: 'month', usd: 100 }])
        const bad = await budget
          .setTenantLimits(tenant, [
            { scope: 'tenant', window: 'day', usd: 1 },
            { scope: 'tenant', window: 'day' } as never,
          ])
          .catch((error: unknown) => error)
        expect(bad).toMatchObject({ code: 'VALIDATION_FAILED' })
        expect((bad as Error).message).toMatch(/limits\.1\.usd/)
        await expect(
          budget.setTenantLimits(tenant, [
            { scope: 'tenant', window: 'day', usd: 1, tenant: 'zzz' },
          ]),
        ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
        await expect(
          budget.setTenantLimits(tenant, [{ scope: 'tenant', window: 'day', usd: 1 }], {
            expectedVersion: 0,
          }),
        ).rejects.toMatchObject({ code: 'CONFLICT' })
        const stored = await budget.tenantLimits(tenant)
        expect(stored.version).toBe(1)
        expect(stored.limits).toEqual([
          expect.objectContaining({ scope: 'tenant', window: 'month', usd: 100, tenant }),
        ])
      })
    })

    describe('reserve → commit → release', () => {
      it('holds an estimate, charges the actual cost at commit and frees the rest', async () => {
        const tenant = await newTenant()
        const budget = await newBudget(dailyLimits)
        const { reservation, warnings, degradations } = await budget.reserve({
          tenant,
          user: 'u1',
          runId: 'r1',
          model: 'gpt-4o',
          inputTokens: 100_000,
          maxOutputTokens: 50_000,
        })
        // gpt-4o: $2.50 + $10.00 per 1M → 0.1 × 2.50 + 0.05 × 10 = $0.75
        expect(reservation).toMatchObject({
          tenant,
          user: 'u1',
          runId: 'r1',
          model: 'gpt-4o',
          costUsd: 0.75,
          tokens: 150_000,
          limits: ['tenant-daily', 'user-daily'],
        })
        expect(reservation.id.startsWith(`${tenant}:`)).toBe(true)
        expect(warnings).toEqual([])
        expect(degradations).toEqual([])
        const held = await budget.report({ tenant, user: 'u1' })
        expect(held.map((row) => [row.limitId, row.spent, row.reserved, row.remaining])).toEqual([
          ['tenant-daily', 0, 0.75, 49.25],
          ['user-daily', 0, 0.75, 4.25],
        ])

        const committed = await budget.commit(reservation.id, {
          inputTokens: 100_000,
          outputTokens: 20_000,
        })
        expect(committed).toEqual({
          reservationId: reservation.id,
          status: 'committed',
          costUsd: 0.45,
          tokens: 120_000,
          releasedUsd: 0.3,
        })
        const after = await budget.report({ tenant, user: 'u1' })
        expect(after.map((row) => [row.limitId, row.spent, row.reserved, row.remaining])).toEqual([
          ['tenant-daily', 0.45, 0, 49.55],
          ['user-daily', 0.45, 0, 4.55],
        ])
        const [row] = await ledgerRows(tenant)
        expect(row).toMatchObject({
          id: reservation.id,
          chargeKey: reservation.id,
          runId: 'r1',
          principalId: 'u1',
          model: 'gpt-4o',
          kind: 'model',
          tokensIn: 100_000,
          tokensOut: 20_000,
          costMicros: 450_000,
        })
      })

      it('frees the whole reservation on release, once', async () => {
        const tenant = await newTenant()
        const budget = await newBudget(dailyLimits)
        const { reservation } = await budget.reserve({
          tenant,
          user: 'u1',
          runId: 'r1',
          costUsd: 3,
        })
        expect(await budget.release(reservation.id)).toEqual({
          reservationId: reservation.id,
          status: 'released',
          releasedUsd: 3,
        })
        expect(await budget.release(reservation.id)).toMatchObject({ status: 'already-released' })
        const error = await rejection(budget.commit(reservation.id, { costUsd: 1 }))
        expect(error.code).toBe('CONFLICT')
        expect((await budget.report({ tenant, user: 'u1' }))[1]).toMatchObject({
          spent: 0,
          reserved: 0,
          remaining: 5,
        })
        expect(await ledgerRows(tenant)).toEqual([])
      })

      it('charges a commit that is retried once', async () => {
        const tenant = await newTenant()
        const budget = await newBudget(dailyLimits)
        const { reservation } = await budget.reserve({
          tenant,
          user: 'u1',
          runId: 'r1',
          costUsd: 2,
        })
        await budget.commit(reservation.id, { costUsd: 1.5 })
        expect(await budget.commit(reservation.id, { costUsd: 1.5 })).toMatchObject({
          status: 'already-committed',
        })
        expect(await ledgerRows(tenant)).toHaveLength(1)
        expect((await budget.report({ tenant, user: 'u1' }))[1]).toMatchObject({
          spent: 1.5,
          reserved: 0,
        })
      })

      it('commits in another process what this one reserved (the reservation travels with its lease)', async () => {
        const tenant = await newTenant()
        const kv = await newStore()
        const first = await newBudget(dailyLimits, { kv })
        const second = await newBudget(dailyLimits, { kv })
        const { reservation } = await first.reserve({
          tenant,
          user: 'u1',
          skill: 'docs/summarize',
          runId: 'r1',
          model: 'claude-haiku-4-5',
          inputTokens: 10_000,
          maxOutputTokens: 2_000,
        })
        expect(
          await second.commit(reservation.id, { inputTokens: 10_000, outputTokens: 1_000 }),
        ).toMatchObject({
          status: 'committed',
          costUsd: 0.015,
        })
        expect((await ledgerRows(tenant))[0]).toMatchObject({
          skillId: 'docs/summarize',
          model: 'claude-haiku-4-5',
          costMicros: 15_000,
        })
      })

      it('refuses to commit a reservation it does not know', async () => {
        const budget = await newBudget(dailyLimits)
        const tenant = await newTenant()
        expect((await rejection(budget.commit(`${tenant}:nope`))).code).toBe('NOT_FOUND')
        expect((await rejection(budget.commit('not a reservation id'))).code).toBe(
          'VALIDATION_FAILED',
        )
      })
    })

    describe('hard limits', () => {
      it('refuses before crossing a limit, naming scope, limit, spent, reserved and asked', async () => {
        const tenant = await newTenant()
        const budget = await newBudget(dailyLimits)
        const spent = await budget.reserve({ tenant, user: 'u1', runId: 'r1', costUsd: 4.2 })
        await budget.commit(spent.reservation.id, { costUsd: 4.2 })
        await budget.reserve({ tenant, user: 'u1', runId: 'r2', costUsd: 0.5 })

        const error = (await rejection(
          budget.reserve({ tenant, user: 'u1', runId: 'r3', costUsd: 0.4 }),
        )) as BudgetExceededError
        expect(error).toMatchObject({ name: 'BudgetExceededError', code: 'BUDGET_EXCEEDED' })
        expect(error.message).toBe(
          `Budget exceeded for user u1 in tenant ${tenant}: daily limit $5.00, spent $4.20 (+ $0.50 reserved), asked $0.40`,
        )
        expect(error.details).toMatchObject({
          limitId: 'user-daily',
          scope: ['user'],
          tenant,
          user: 'u1',
          window: 'day',
          unit: 'usd',
          limitUsd: 5,
          spentUsd: 4.2,
          reservedUsd: 0.5,
          requestedUsd: 0.4,
        })
        expect(Date.parse(error.details.resetsAt ?? '')).toBeGreaterThan(Date.now())
      })

      it('changes no counter when one scope refuses (all or nothing)', async () => {
        const tenant = await newTenant()
        const budget = await newBudget(dailyLimits)
        await budget.reserve({ tenant, user: 'u1', runId: 'r1', costUsd: 4 })
        await rejection(budget.reserve({ tenant, user: 'u1', runId: 'r2', costUsd: 2 }))
        const report = await budget.report({ tenant, user: 'u1' })
        expect(report.map((row) => [row.limitId, row.reserved])).toEqual([
          ['tenant-daily', 4],
          ['user-daily', 4],
        ])
      })

      it('admits a reservation that lands exactly on the limit, and refuses one micro-dollar more', async () => {
        const tenant = await newTenant()
        const budget = await newBudget(dailyLimits)
        await budget.reserve({ tenant, user: 'u1', runId: 'r1', costUsd: 5 })
        const error = await rejection(
          budget.reserve({ tenant, user: 'u1', runId: 'r2', costUsd: 0.000001 }),
        )
        expect(error.message).toContain('asked $0.000001')
      })

      it('limits tokens per run of a skill: 20k tokens a run', async () => {
        const tenant = await newTenant()
        const budget = await newBudget({
          limits: [{ scope: 'skill', skill: 'research/deep-dive', window: 'run', tokens: 20_000 }],
        })
        const request = {
          tenant,
          user: 'u1',
          skill: 'research/deep-dive',
          model: 'gpt-4o-mini',
          inputTokens: 10_000,
          maxOutputTokens: 5_000,
        }
        await budget.reserve({ ...request, runId: 'r1' })
        const error = await rejection(budget.reserve({ ...request, runId: 'r1' }))
        expect(error.message).toBe(
          `Budget exceeded for skill research/deep-dive in run r1 in tenant ${tenant}: per-run limit 20,000 tokens, spent 0 tokens (+ 15,000 tokens reserved), asked 15,000 tokens`,
        )
        expect(error.details).toMatchObject({ limitTokens: 20_000, requestedTokens: 15_000 })
        await expect(budget.reserve({ ...request, runId: 'r2' })).resolves.toBeDefined()
        await expect(
          budget.reserve({ ...request, skill: 'other/skill', runId: 'r1' }),
        ).resolves.toBeDefined()
      })

      it('gives a named user their own limit in place of the general one', async () => {
        const tenant = await newTenant()
        const budget = await newBudget({
          limits: [
            { scope: 'user', window: 'day', usd: 5 },
            { scope: 'user', user: 'cfo', window: 'day', usd: 50 },
          ],
        })
        await expect(
          budget.reserve({ tenant, user: 'cfo', runId: 'r1', costUsd: 20 }),
        ).resolves.toBeDefined()
        expect(
          (await rejection(budget.reserve({ tenant, user: 'u1', runId: 'r2', costUsd: 20 }))).code,
        ).toBe('BUDGET_EXCEEDED')
      })

      it('starts a new day with a fresh daily counter', async () => {
        const tenant = await newTenant()
        let time = Date.UTC(2031, 0, 1, 23, 0)
        const budget = await newBudget(dailyLimits, { now: () => time })
        const { reservation } = await budget.reserve({
          tenant,
          user: 'u1',
          runId: 'r1',
          costUsd: 5,
        })
        await budget.commit(reservation.id, { costUsd: 5 })
        expect(
          (await rejection(budget.reserve({ tenant, user: 'u1', runId: 'r2', costUsd: 1 }))).code,
        ).toBe('BUDGET_EXCEEDED')
        time = Date.UTC(2031, 0, 2, 0, 1)
        await expect(
          budget.reserve({ tenant, user: 'u1', runId: 'r3', costUsd: 1 }),
        ).resolves.toBeDefined()
        const [, user] = await budget.report({ tenant, user: 'u1' })
        expect(user).toMatchObject({
          reserved: 1,
          spent: 0,
          resetsAt: new Date(Date.UTC(2031, 0, 3)),
        })
      })

      it('admits exactly as many concurrent reservations as fit', async () => {
        const tenant = await newTenant()
        const budget = await newBudget({ limits: [{ scope: 'tenant', window: 'day', usd: 1 }] })
        const results = await Promise.allSettled(
          Array.from({ length: 200 }, (_, i) =>
            budget.reserve({ tenant, user: `u${i % 7}`, runId: `r${i}`, costUsd: 0.02 }),
          ),
        )
        const admitted = results.filter((result) => result.status === 'fulfilled')
        expect(admitted).toHaveLength(50)
        const refused = results.flatMap((result) =>
          result.status === 'rejected' ? [(result.reason as SkillOSError).code] : [],
        )
        expect(new Set(refused)).toEqual(new Set(['BUDGET_EXCEEDED']))
      })
    })

    describe('soft limits and degradations', () => {
      it('admits a reservation past a soft limit and returns a warning', async () => {
        const tenant = await newTenant()
        const budget = await newBudget({
          limits: [{ id: 'user-soft', scope: 'user', window: 'day', usd: 1, mode: 'soft' }],
        })
        expect(
          (await budget.reserve({ tenant, user: 'u1', runId: 'r1', costUsd: 0.9 })).warnings,
        ).toEqual([])
        const { warnings } = await budget.reserve({ tenant, user: 'u1', runId: 'r2', costUsd: 0.3 })
        expect(warnings).toEqual([
          {
            action: 'warn',
            limitId: 'user-soft',
            subject: `user u1 in tenant ${tenant}`,
            window: 'day',
            unit: 'usd',
            used: 1.2,
            limit: 1,
            share: 1.2,
            message: `user u1 in tenant ${tenant} is over its daily soft limit: $1.20 of $1.00 spent or reserved`,
          },
        ])
      })

      it('returns the degradations whose share of a limit is reached, as data', async () => {
        const tenant = await newTenant()
        const budget = await newBudget({
          limits: [{ id: 'tenant-daily', scope: 'tenant', window: 'day', usd: 10 }],
          degradations: [
            {
              id: 'cheaper',
              atShare: 0.5,
              action: 'downgrade-model',
              from: ['gpt-4o'],
              to: 'gpt-4o-mini',
            },
            {
              id: 'shorter',
              limit: 'tenant-daily',
              atShare: 0.8,
              action: 'cap-max-tokens',
              maxOutputTokens: 256,
            },
            { id: 'ask', atShare: 0.95, action: 'require-approval' },
          ],
        })
        const first = await budget.reserve({
          tenant,
          user: 'u1',
          runId: 'r1',
          model: 'gpt-4o',
          costUsd: 4,
        })
        expect(first.degradations).toEqual([])
        const second = await budget.reserve({
          tenant,
          user: 'u1',
          runId: 'r2',
          model: 'gpt-4o',
          costUsd: 4.5,
        })
        expect(second.degradations).toEqual([
          {
            ruleId: 'cheaper',
            action: 'downgrade-model',
            limitId: 'tenant-daily',
            share: 0.85,
            from: 'gpt-4o',
            to: 'gpt-4o-mini',
            message: `tenant ${tenant} has used 85% of its daily limit: switch from gpt-4o to gpt-4o-mini`,
          },
          {
            ruleId: 'shorter',
            action: 'cap-max-tokens',
            limitId: 'tenant-daily',
            share: 0.85,
            maxOutputTokens: 256,
            message: `tenant ${tenant} has used 85% of its daily limit: cap output at 256 tokens`,
          },
        ])
        const third = await budget.reserve({
          tenant,
          user: 'u1',
          runId: 'r3',
          model: 'gpt-4o-mini',
          costUsd: 1,
        })
        expect(third.degradations.map((d) => d.ruleId)).toEqual(['shorter', 'ask'])
      })
    })

    describe('crashed runs', () => {
      it('rolls a reservation back once it expires, so a crashed run stops holding budget', async () => {
        const tenant = await newTenant()
        const budget = await newBudget({ ...dailyLimits, reservationTtlMs: 1_000 })
        const { reservation } = await budget.reserve({
          tenant,
          user: 'u1',
          runId: 'crashed',
          costUsd: 4,
        })
        expect(reservation.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(1_000)
        expect(
          (await rejection(budget.reserve({ tenant, user: 'u1', runId: 'r2', costUsd: 2 }))).code,
        ).toBe('BUDGET_EXCEEDED')
        await sleep(1_200)
        expect((await budget.report({ tenant, user: 'u1' }))[1]).toMatchObject({
          reserved: 0,
          spent: 0,
        })
        await expect(
          budget.reserve({ tenant, user: 'u1', runId: 'r2', costUsd: 2 }),
        ).resolves.toBeDefined()
        // The run was only slow: its late commit is still charged in full.
        expect(await budget.commit(reservation.id, { costUsd: 1 })).toMatchObject({
          status: 'committed-late',
          costUsd: 1,
          releasedUsd: 0,
        })
        expect((await budget.report({ tenant, user: 'u1' }))[1]).toMatchObject({
          spent: 1,
          reserved: 2,
        })
      })
    })

    describe('the durable ledger', () => {
      it('keeps spend across a restart that lost every counter', async () => {
        const tenant = await newTenant()
        const before = await newBudget(dailyLimits)
        const { reservation } = await before.reserve({
          tenant,
          user: 'u1',
          runId: 'r1',
          costUsd: 4.5,
        })
        await before.commit(reservation.id, { costUsd: 4.5 })
        await before.close()

        const after = await newBudget(dailyLimits) // a new, empty key-value store
        expect(
          (await after.report({ tenant, user: 'u1' })).map((row) => [row.limitId, row.spent]),
        ).toEqual([
          ['tenant-daily', 4.5],
          ['user-daily', 4.5],
        ])
        const error = await rejection(
          after.reserve({ tenant, user: 'u1', runId: 'r2', costUsd: 1 }),
        )
        expect(error.message).toContain('spent $4.50 (+ $0.00 reserved), asked $1.00')
      })

      it('writes one ledger row per commit under concurrency, summing to the counters', async () => {
        const tenant = await newTenant()
        const budget = await newBudget({
          limits: [{ id: 'month', scope: 'tenant', window: 'month', usd: 1_000 }],
        })
        await Promise.all(
          Array.from({ length: 300 }, async (_, i) => {
            const { reservation } = await budget.reserve({
              tenant,
              user: `u${i % 5}`,
              runId: `r${i}`,
              model: 'gpt-4o-mini',
              inputTokens: 1_000,
              maxOutputTokens: 1_000,
            })
            await budget.commit(reservation.id, { inputTokens: 1_000, outputTokens: i })
          }),
        )
        const rows = await ledgerRows(tenant)
        expect(rows).toHaveLength(300)
        const total = rows.reduce((sum, row) => sum + row.costMicros, 0)
        const [month] = await budget.report({ tenant })
        expect(month?.spent).toBe(total / 1_000_000)
        expect(month?.reserved).toBe(0)
      })

      it('reports spend per day, user and model from the ledger', async () => {
        const tenant = await newTenant()
        const budget = await newBudget({})
        const spend = async (user: string, model: string, outputTokens: number) => {
          const { reservation } = await budget.reserve({
            tenant,
            user,
            runId: `r-${user}-${outputTokens}`,
            model,
            inputTokens: 0,
            maxOutputTokens: outputTokens,
          })
          await budget.commit(reservation.id, { outputTokens })
        }
        await spend('u1', 'gpt-4o', 100_000) // $1.00
        await spend('u1', 'gpt-4o', 50_000) // $0.50
        await spend('u2', 'gpt-4o-mini', 1_000_000) // $0.60
        await budget.charge({
          tenant,
          user: 'u2',
          runId: 'r9',
          costUsd: 0.25,
          tool: 'maps/geocode',
        })
        const today = new Date().toISOString().slice(0, 10)
        expect(await budget.spend({ tenant, groupBy: ['day', 'user', 'model'] })).toEqual([
          {
            day: today,
            user: 'u1',
            model: 'gpt-4o',
            costUsd: 1.5,
            inputTokens: 0,
            outputTokens: 150_000,
            charges: 2,
          },
          {
            day: today,
            user: 'u2',
            model: 'gpt-4o-mini',
            costUsd: 0.6,
            inputTokens: 0,
            outputTokens: 1_000_000,
            charges: 1,
          },
          {
            day: today,
            user: 'u2',
            model: null,
            costUsd: 0.25,
            inputTokens: 0,
            outputTokens: 0,
            charges: 1,
          },
        ])
        expect(await budget.spend({ tenant, model: null, groupBy: ['kind'] })).toEqual([
          { kind: 'tool', costUsd: 0.25, inputTokens: 0, outputTokens: 0, charges: 1 },
        ])
      })
    })

    describe('paid tool calls', () => {
      it('charges a paid call against the limits, once per chargeId', async () => {
        const tenant = await newTenant()
        const budget = await newBudget(dailyLimits)
        const charged = await budget.charge({
          tenant,
          user: 'u1',
          runId: 'r1',
          costUsd: 0.3,
          tool: 'maps/geocode',
          chargeId: 'call-1',
        })
        expect(charged).toMatchObject({
          status: 'committed',
          costUsd: 0.3,
          releasedUsd: 0,
          warnings: [],
        })
        expect(
          await budget.charge({
            tenant,
            user: 'u1',
            runId: 'r1',
            costUsd: 0.3,
            tool: 'maps/geocode',
            chargeId: 'call-1',
          }),
        ).toMatchObject({ status: 'already-committed' })
        const rows = await ledgerRows(tenant)
        expect(rows).toHaveLength(1)
        expect(rows[0]).toMatchObject({
          kind: 'tool',
          model: null,
          costMicros: 300_000,
          metadata: expect.objectContaining({ tool: 'maps/geocode' }),
        })
        expect((await budget.report({ tenant, user: 'u1' }))[1]).toMatchObject({
          spent: 0.3,
          reserved: 0,
        })
      })

      it('refuses a paid call that would cross a limit, and records nothing', async () => {
        const tenant = await newTenant()
        const budget = await newBudget(dailyLimits)
        const error = await rejection(
          budget.charge({ tenant, user: 'u1', runId: 'r1', costUsd: 6, tool: 'maps/geocode' }),
        )
        expect(error.code).toBe('BUDGET_EXCEEDED')
        expect(await ledgerRows(tenant)).toEqual([])
      })
    })

    describe('bad input changes nothing', () => {
      it.each([
        ['a negative cost', { costUsd: -1 }, 'costUsd'],
        ['fractional tokens', { tokens: 1.5 }, 'tokens'],
        ['a model without token counts', { model: 'gpt-4o' }, 'inputTokens'],
        ['token counts without a model', { inputTokens: 10, maxOutputTokens: 10 }, 'model'],
        ['an unknown field', { costUSD: 1 }, '(root)'],
      ])('refuses a reservation with %s, naming %s', async (_label, extra, field) => {
        const tenant = await newTenant()
        const budget = await newBudget(dailyLimits)
        const error = await rejection(
          budget.reserve({ tenant, user: 'u1', runId: 'r1', ...(extra as object) }),
        )
        expect(error.code).toBe('VALIDATION_FAILED')
        expect(error.details?.issues).toContainEqual(expect.objectContaining({ path: field }))
        expect((await budget.report({ tenant, user: 'u1' }))[1]).toMatchObject({ reserved: 0 })
      })

      it('refuses an unknown model, naming the model and where it was asked', async () => {
        const tenant = await newTenant()
        const budget = await newBudget(dailyLimits)
        const error = await rejection(
          budget.reserve({
            tenant,
            user: 'u1',
            runId: 'r1',
            model: 'gpt-9',
            inputTokens: 1,
            maxOutputTokens: 1,
          }),
        )
        expect(error.message).toMatch(/^Unknown model "gpt-9" in reserve\(\)/)
        expect((await budget.report({ tenant, user: 'u1' }))[1]).toMatchObject({ reserved: 0 })
      })

      it('refuses a tenant that does not exist with NOT_FOUND', async () => {
        const budget = await newBudget(dailyLimits)
        const error = await rejection(
          budget.reserve({ tenant: 'no-such-tenant', user: 'u1', runId: 'r1', costUsd: 1 }),
        )
        expect(error).toMatchObject({ code: 'NOT_FOUND', details: { tenant: 'no-such-tenant' } })
      })

      it('refuses work after close', async () => {
        const tenant = await newTenant()
        const budget = await newBudget(dailyLimits)
        await budget.close()
        expect(
          (await rejection(budget.reserve({ tenant, user: 'u1', runId: 'r1', costUsd: 1 }))).code,
        ).toBe('UNAVAILABLE')
      })
    })

    it('estimates a model call from the price table', async () => {
      const budget = await newBudget({ prices: { 'acme-llm': { input: 1, output: 4 } } })
      expect(
        budget.estimate({ model: 'acme-llm', inputTokens: 500_000, maxOutputTokens: 250_000 }),
      ).toEqual({
        model: 'acme-llm',
        costUsd: 1.5,
        tokens: 750_000,
      })
      expect(
        budget.estimate({
          model: 'gpt-4o-mini-2024-07-18',
          inputTokens: 1_000,
          maxOutputTokens: 500,
        }),
      ).toEqual({
        model: 'gpt-4o-mini',
        costUsd: 0.00045,
        tokens: 1_500,
      })
    })

    it('reads the ledger by tenant only', async () => {
      const [mine, theirs] = [await newTenant(), await newTenant()]
      const budget = await newBudget({})
      await budget.charge({ tenant: theirs, user: 'u1', runId: 'r1', costUsd: 1, tool: 't/x' })
      expect(await budget.spend({ tenant: mine })).toEqual([])
      const rows = await setup
        .database()
        .db.select()
        .from(budgetLedger)
        .where(and(eq(budgetLedger.tenantId, theirs)))
      expect(rows).toHaveLength(1)
    })
  })
}
