import { randomUUID } from 'node:crypto'
import {
  budgetConfigSchema,
  ConfigError,
  parseOrThrow,
  SkillOSError,
  tenantIdSchema,
  toValidationIssues,
  ValidationError,
  type BudgetConfig,
  type BudgetLimitInput,
  type BudgetConfigInput,
  type BudgetDegradation,
  type BudgetMode,
  type BudgetScope,
  type BudgetWindow,
  type ValidationIssue,
} from '@skillos/contracts'
import { tenants, type Database, type KeyValueStore, type LeaseActual } from '@skillos/store'
import { eq } from 'drizzle-orm'
import { BudgetExceededError } from './budget-exceeded-error.js'
import { querySpend, sumSpend, type SpendRow } from './ledger-queries.js'
import { createLedgerWriter, type LedgerWriterOptions } from './ledger-writer.js'
import {
  applicableLimits,
  compileLimits,
  describeSubject,
  hardLimitOf,
  limitValue,
  planCounters,
  type BudgetUnit,
  type CompiledLimit,
  type CounterPlan,
} from './limits.js'
import { formatTokens, formatUsd, microsToUsd, usdToMicros } from './money.js'
import { canonicalModelName, createPriceTable, type PriceTable } from './price-table.js'
import {
  chargeRequestSchema,
  commitRequestSchema,
  estimateRequestSchema,
  reportRequestSchema,
  reserveRequestSchema,
  spendQuerySchema,
  type ChargeRequest,
  type CommitRequest,
  type EstimateRequest,
  type ReportRequest,
  type ReserveRequest,
  type SpendQuery,
} from './requests.js'
import {
  createTenantLimits,
  type SetTenantLimitsOptions,
  type TenantLimits,
} from './tenant-limits.js'
import { windowAdjective } from './windows.js'

export interface CreateBudgetOptions {
  /** Where the ledger lives (PostgreSQL or PGlite). Not closed by `close()`. */
  database: Database
  /** Where the live counters and reservations live (Redis or in-process). Not closed by `close()`. */
  kv: KeyValueStore
  /** The `budget` section of the configuration; validated here. */
  config?: BudgetConfigInput
  /** Clock for window boundaries and ledger times (tests). Reservation expiry uses the store's clock. */
  now?: () => number
  ledger?: LedgerWriterOptions
  /** How long a process trusts that a counter it checked (and seeded from the ledger) still exists; default 60 s. */
  seedRecheckMs?: number
  /** How long a process reuses a tenant's run-time limits before reading them again; default 2 s. */
  tenantLimitsCacheMs?: number
}

/** A held reservation, as `reserve` returns it and the `budget.reserved` event reports it. */
export interface Reservation {
  id: string
  tenant: string
  user: string
  skill?: string
  runId: string
  model?: string
  costUsd: number
  tokens: number
  /** When it is rolled back if neither committed nor released (a crashed run). */
  expiresAt: Date
  /** Ids of the limits it was checked against. */
  limits: string[]
}

/** A soft limit crossed by a reservation that went through (for `budget.warning` events). */
export interface BudgetWarning {
  action: 'warn'
  limitId: string
  subject: string
  window: BudgetWindow
  unit: BudgetUnit
  /** Spent + reserved after this reservation, in the unit (US dollars or tokens). */
  used: number
  limit: number
  share: number
  message: string
}

/** A degradation rule that applies now (the orchestrator acts on it and emits an event). */
export interface BudgetDegradationResult {
  ruleId: string
  action: BudgetDegradation['action']
  /** The limit whose use triggered it, and how full that limit is (this reservation included). */
  limitId: string
  share: number
  /** For `downgrade-model`. */
  from?: string
  to?: string
  /** For `cap-max-tokens`. */
  maxOutputTokens?: number
  message: string
}

export interface ReserveResult {
  reservation: Reservation
  warnings: BudgetWarning[]
  degradations: BudgetDegradationResult[]
}

export interface CommitResult {
  reservationId: string
  /** `committed-late`: after the reservation had expired (still charged in full). */
  status: 'committed' | 'committed-late' | 'already-committed'
  costUsd: number
  tokens: number
  /** What the reservation held beyond the actual cost, now free again. */
  releasedUsd: number
}

export interface ReleaseResult {
  reservationId: string
  status: 'released' | 'expired' | 'already-committed' | 'already-released' | 'unknown'
  releasedUsd: number
}

export interface ChargeResult extends CommitResult {
  warnings: BudgetWarning[]
  degradations: BudgetDegradationResult[]
}

export interface Estimate {
  /** The name the price was found under. */
  model: string
  costUsd: number
  tokens: number
}

/** Where one limit stands for one subject. */
export interface LimitReport {
  limitId: string
  scope: BudgetScope[]
  subject: string
  window: BudgetWindow
  mode: BudgetMode
  unit: BudgetUnit
  /** In the unit: US dollars or tokens. */
  limit: number
  spent: number
  reserved: number
  remaining: number
  /** When the window starts again; `null` for lifetime and run windows. */
  resetsAt: Date | null
}

export interface Budget {
  readonly config: BudgetConfig
  readonly prices: PriceTable
  /** The cost and tokens a model call may use at most. */
  estimate(request: EstimateRequest): Estimate
  /**
   * Hold `costUsd` / `tokens` (or the estimate of `model`) against every limit that applies, all or
   * nothing, before work starts. Throws `BudgetExceededError` when a hard limit would be crossed.
   */
  reserve(request: ReserveRequest): Promise<ReserveResult>
  /** Charge what was really used (resolves once the ledger row is written) and free the rest. */
  commit(reservationId: string, actual?: CommitRequest): Promise<CommitResult>
  /** Free a reservation that will not be used. */
  release(reservationId: string): Promise<ReleaseResult>
  /** Reserve and commit a tool's paid call in one step (refused like a reservation). */
  charge(request: ChargeRequest): Promise<ChargeResult>
  /** Spent, reserved and remaining per limit and window for a tenant (and user / skill / run). */
  report(request: ReportRequest): Promise<LimitReport[]>
  /** The limits an administrator set for one tenant at run time (none: version 0). */
  tenantLimits(tenant: string): Promise<TenantLimits>
  /**
   * Replace a tenant's run-time limits, on top of the configured ones and winning over them in
   * their scope, window and mode; `[]` removes them. Reservations of this process see the change at
   * once, other processes within `tenantLimitsCacheMs`. Validated as a whole: nothing changes on a
   * bad list. `expectedVersion` makes the replacement conditional (`CONFLICT` otherwise).
   */
  setTenantLimits(
    tenant: string,
    limits: readonly BudgetLimitInput[],
    options?: SetTenantLimitsOptions,
  ): Promise<TenantLimits>
  /** Spend from the ledger, grouped by day / user / skill / model / run / kind. */
  spend(query: SpendQuery): Promise<SpendRow[]>
  /** Wait until every ledger row appended so far is written. */
  flush(): Promise<void>
  /** Refuse new work and flush the ledger. Closes neither the database nor the key-value store. */
  close(): Promise<void>
}

/** What a reservation needs at commit time; also stored with its lease, for another process. */
interface ReservationState {
  id: string
  tenant: string
  user: string
  skill?: string | undefined
  runId: string
  model?: string | undefined
  costMicros: number
  tokens: number
  counters: { key: string; unit: BudgetUnit; ttlMs: number }[]
  createdAt: number
  expiresAt: number
}

interface CompiledDegradation {
  id: string
  rule: BudgetDegradation
}

const RESERVATION_ID = /^([a-z0-9][a-z0-9_-]{0,62}):(.+)$/
const CACHE_SWEEP_EVERY = 4_096
const CHARGE_KEEP_MS = 86_400_000

function configError(issues: ValidationIssue[]): ConfigError {
  return new ConfigError(
    `Invalid budget configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  )
}

/** Parse and cross-check the configuration; throws `ConfigError` naming `budget.<path>`. */
function loadConfig(input: BudgetConfigInput | undefined): {
  config: BudgetConfig
  prices: PriceTable
  degradations: CompiledDegradation[]
} {
  const parsed = budgetConfigSchema.safeParse(input ?? {})
  if (!parsed.success) throw configError(toValidationIssues(parsed.error, 'budget'))
  const config = parsed.data
  const prices = createPriceTable(config.prices)
  const issues: ValidationIssue[] = []
  const degradations = config.degradations.map((rule, index) => {
    if (rule.action === 'downgrade-model') {
      if (!prices.has(rule.to))
        issues.push({
          path: `budget.degradations.${index}.to`,
          message: `unknown model "${rule.to}": add its price under budget.prices`,
        })
      rule.from?.forEach((model, at) => {
        if (!prices.has(model))
          issues.push({
            path: `budget.degradations.${index}.from.${at}`,
            message: `unknown model "${model}": add its price under budget.prices`,
          })
      })
    }
    return { id: rule.id ?? `degradations.${index}`, rule }
  })
  if (issues.length > 0) throw configError(issues)
  return { config, prices, degradations }
}

function leaseIdOf(reservationId: string): string {
  const match = RESERVATION_ID.exec(reservationId)
  if (!match) {
    throw new ValidationError(
      `reservationId: "${reservationId}" is not a reservation id of this budget (tenant:id)`,
      [{ path: 'reservationId', message: 'is not a reservation id of this budget' }],
    )
  }
  // The tenant as hash tag: the lease lives in the Redis Cluster slot of the tenant's counters.
  return `{${match[1]}}:${match[2]}`
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits

/**
 * The budget: meters model tokens and paid tool calls, holds reservations against limits per
 * tenant / user / skill / run and window, and records every commit in the ledger.
 *
 * The configuration is validated before anything else (a `ConfigError` names `budget.<path>`), and
 * nothing is opened or written by `createBudget` itself.
 *
 * @example
 * ```ts
 * const budget = createBudget({
 *   database: await openDatabase('memory://'),
 *   kv: await openKeyValue(),
 *   config: { limits: [{ scope: 'user', window: 'day', usd: 5 }] },
 * })
 * const { reservation } = await budget.reserve({
 *   tenant: 'acme', user: 'u1', runId: 'r1',
 *   model: 'gpt-4o-mini', inputTokens: 2_000, maxOutputTokens: 1_000,
 * })
 * await budget.commit(reservation.id, { inputTokens: 1_900, outputTokens: 350 })
 * ```
 */
export function createBudget(options: CreateBudgetOptions): Budget {
  const { config, prices, degradations } = loadConfig(options.config)
  const { database, kv } = options
  const now = options.now ?? Date.now
  const holdMs = config.reservationTtlMs
  const seedRecheckMs = options.seedRecheckMs ?? 60_000
  const limits = compileLimits(config.limits)
  const ledger = createLedgerWriter(database, options.ledger)
  const perTenant = createTenantLimits(database, {
    now,
    ...(options.tenantLimitsCacheMs !== undefined ? { cacheMs: options.tenantLimitsCacheMs } : {}),
    ensureTenant: (tenant) => ensureTenant(tenant),
  })
  /** The configured limits and the tenant's run-time ones (which win in their group). */
  async function limitsFor(tenant: string): Promise<CompiledLimit[]> {
    const extra = await perTenant.compiled(tenant)
    return extra.length === 0 ? limits : [...limits, ...extra]
  }

  const knownTenants = new Set<string>()
  /** Counter key → when this process last saw it exist (or seeded it). */
  const seenCounters = new Map<string, number>()
  const seeding = new Map<string, Promise<void>>()
  /** Reservations this process made and has not settled: commit without a round trip for data. */
  const reservations = new Map<string, ReservationState>()
  let operations = 0
  let closed = false

  function assertOpen(): void {
    if (closed) {
      throw new SkillOSError({ code: 'UNAVAILABLE', message: 'The budget is closed' })
    }
  }

  function sweep(time: number): void {
    operations += 1
    if (operations % CACHE_SWEEP_EVERY !== 0) return
    for (const [id, state] of reservations) {
      if (time > state.expiresAt + holdMs) reservations.delete(id)
    }
    for (const [key, seen] of seenCounters) {
      if (time - seen > seedRecheckMs) seenCounters.delete(key)
    }
  }

  async function ensureTenant(tenant: string): Promise<void> {
    if (knownTenants.has(tenant)) return
    const rows = await database.db
      .select({ id: tenants.id })
      .from(tenants)
      .where(eq(tenants.id, tenant))
      .limit(1)
    if (rows.length === 0) {
      throw new SkillOSError({
        code: 'NOT_FOUND',
        message: `Unknown tenant "${tenant}": create the tenant before budgeting for it`,
        details: { tenant },
      })
    }
    knownTenants.add(tenant)
  }

  /**
   * Before a process first uses a counter (and again every `seedRecheckMs`), make sure it exists; if
   * not (a restart of the in-process store, a Redis without persistence, a new window), start it
   * from what the ledger says was spent in its window, with SET-if-absent so concurrent seeders agree.
   */
  async function ensureSeeded(counters: readonly CounterPlan[], time: number): Promise<void> {
    const due = counters.filter((counter) => {
      if (counter.instance.window === 'run') return false
      const seen = seenCounters.get(counter.key)
      return seen === undefined || time - seen > seedRecheckMs
    })
    if (due.length === 0) return
    await Promise.all(
      due.map((counter) => {
        let pending = seeding.get(counter.key)
        if (pending === undefined) {
          pending = seedCounter(counter, time).finally(() => seeding.delete(counter.key))
          seeding.set(counter.key, pending)
        }
        return pending
      }),
    )
  }

  async function seedCounter(counter: CounterPlan, time: number): Promise<void> {
    if ((await kv.get(counter.key)) === null) {
      // Rows this process committed but has not flushed are in the counter already, not yet in SUM.
      await ledger.drain()
      const spent = await sumSpend(
        database,
        {
          tenant: counter.tenant,
          user: counter.user,
          skill: counter.skill,
          runId: counter.runId,
          start: counter.instance.start,
          end: counter.instance.end,
        },
        counter.unit,
      )
      if (spent > 0) {
        await kv.set(counter.key, String(spent), {
          ifNotExists: true,
          ...(counter.ttlMs > 0 ? { ttlMs: counter.ttlMs } : {}),
        })
      }
    }
    seenCounters.set(counter.key, time)
  }

  function amountOf(counter: { unit: BudgetUnit }, costMicros: number, tokens: number): number {
    return counter.unit === 'usd' ? costMicros : tokens
  }

  function inUnit(unit: BudgetUnit, amount: number): number {
    return unit === 'usd' ? microsToUsd(amount) : amount
  }

  async function exceeded(
    counter: CounterPlan,
    limit: CompiledLimit,
    limitAmount: number,
    requested: number,
  ): Promise<BudgetExceededError> {
    // The refusal carries the counter's total; a second read splits it into spent and reserved.
    const [reading] = await kv.readCounters([counter.key])
    const value = reading?.value ?? 0
    const held = reading?.held ?? 0
    return new BudgetExceededError({
      limitId: limit.id,
      scope: limit.scopes,
      subject: counter,
      subjectText: describeSubject(counter),
      window: limit.window,
      unit: counter.unit,
      resetsAt: counter.instance.end,
      limit: limitAmount,
      spent: Math.max(0, value - held),
      reserved: held,
      requested,
    })
  }

  function warningsOf(
    counters: readonly CounterPlan[],
    totals: readonly number[],
  ): BudgetWarning[] {
    const warnings: BudgetWarning[] = []
    counters.forEach((counter, index) => {
      const total = totals[index] ?? 0
      for (const limit of counter.soft) {
        const value = limitValue(limit, counter.unit)
        if (value === null || total <= value) continue
        const format = counter.unit === 'usd' ? formatUsd : formatTokens
        warnings.push({
          action: 'warn',
          limitId: limit.id,
          subject: describeSubject(counter),
          window: limit.window,
          unit: counter.unit,
          used: inUnit(counter.unit, total),
          limit: inUnit(counter.unit, value),
          share: value === 0 ? Infinity : round(total / value),
          message: `${describeSubject(counter)} is over its ${windowAdjective(limit.window)} soft limit: ${format(total)} of ${format(value)} spent or reserved`,
        })
      }
    })
    return warnings
  }

  function degradationsOf(
    counters: readonly CounterPlan[],
    totals: readonly number[],
    model: string | undefined,
  ): BudgetDegradationResult[] {
    const results: BudgetDegradationResult[] = []
    for (const { id, rule } of degradations) {
      let top: { limit: CompiledLimit; share: number; counter: CounterPlan } | null = null
      for (const [index, counter] of counters.entries()) {
        for (const limit of counter.hard) {
          if (rule.limit !== undefined && rule.limit !== limit.id) continue
          const value = limitValue(limit, counter.unit)
          if (value === null) continue
          const total = totals[index] ?? 0
          const share = value === 0 ? 1 : total / value
          if (share >= rule.atShare && (top === null || share > top.share))
            top = { limit, share, counter }
        }
      }
      if (top === null) continue
      const { limit, share, counter } = top
      const used = `${describeSubject(counter)} has used ${Math.round(share * 100)}% of its ${windowAdjective(limit.window)} limit`
      const base = { ruleId: id, limitId: limit.id, share: round(share) }
      if (rule.action === 'downgrade-model') {
        if (model === undefined) continue
        const current = canonicalModelName(model)
        if (current === canonicalModelName(rule.to)) continue
        if (rule.from && !rule.from.some((from) => canonicalModelName(from) === current)) continue
        results.push({
          ...base,
          action: rule.action,
          from: model,
          to: rule.to,
          message: `${used}: switch from ${model} to ${rule.to}`,
        })
      } else if (rule.action === 'cap-max-tokens') {
        results.push({
          ...base,
          action: rule.action,
          maxOutputTokens: rule.maxOutputTokens,
          message: `${used}: cap output at ${formatTokens(rule.maxOutputTokens)}`,
        })
      } else {
        results.push({ ...base, action: rule.action, message: `${used}: a person must approve` })
      }
    }
    return results
  }

  function reservedAmounts(request: {
    model?: string | undefined
    inputTokens?: number | undefined
    maxOutputTokens?: number | undefined
    costUsd?: number | undefined
    tokens?: number | undefined
  }): { costMicros: number; tokens: number } {
    const counted = (request.inputTokens ?? 0) + (request.maxOutputTokens ?? 0)
    const costMicros =
      request.costUsd !== undefined
        ? usdToMicros(request.costUsd, 'costUsd')
        : request.model !== undefined
          ? prices.cost(
              request.model,
              request.inputTokens ?? 0,
              request.maxOutputTokens ?? 0,
              'reserve()',
            )
          : 0
    return { costMicros, tokens: request.tokens ?? counted }
  }

  async function reserveWithId(
    id: string,
    request: {
      tenant: string
      user: string
      skill?: string | undefined
      runId: string
      model?: string | undefined
    },
    costMicros: number,
    tokens: number,
  ): Promise<ReserveResult> {
    const time = now()
    sweep(time)
    await ensureTenant(request.tenant)
    const applicable = applicableLimits(await limitsFor(request.tenant), request)
    const counters = planCounters(applicable, request, time, holdMs)
    await ensureSeeded(counters, time)
    const state: ReservationState = {
      id,
      tenant: request.tenant,
      user: request.user,
      skill: request.skill,
      runId: request.runId,
      model: request.model,
      costMicros,
      tokens,
      counters: counters.map((counter) => ({
        key: counter.key,
        unit: counter.unit,
        ttlMs: counter.ttlMs,
      })),
      createdAt: time,
      expiresAt: time + holdMs,
    }
    const hardLimits = counters.map(hardLimitOf)
    const result = await kv.reserve(
      counters.map((counter, index) => ({
        key: counter.key,
        amount: amountOf(counter, costMicros, tokens),
        limit: hardLimits[index]?.value ?? Number.MAX_SAFE_INTEGER,
        ...(counter.ttlMs > 0 ? { ttlMs: counter.ttlMs } : {}),
      })),
      { lease: { id: leaseIdOf(id), ttlMs: holdMs, data: JSON.stringify(state) } },
    )
    if (!result.ok) {
      const counter = counters[result.index]
      const hard = hardLimits[result.index]
      if (counter === undefined || hard === null || hard === undefined)
        throw new Error(`the store refused counter ${result.key}, which has no hard limit`)
      throw await exceeded(counter, hard.limit, hard.value, result.requested)
    }
    reservations.set(id, state)
    return {
      reservation: {
        id,
        tenant: state.tenant,
        user: state.user,
        ...(state.skill === undefined ? {} : { skill: state.skill }),
        runId: state.runId,
        ...(state.model === undefined ? {} : { model: state.model }),
        costUsd: microsToUsd(costMicros),
        tokens,
        expiresAt: new Date(state.expiresAt),
        limits: [...new Set(applicable.map((limit) => limit.id))],
      },
      warnings: warningsOf(counters, result.totals),
      degradations: degradationsOf(counters, result.totals, request.model),
    }
  }

  /** The reservation as this process remembers it, or as its lease says (made by another process). */
  async function loadReservation(reservationId: string): Promise<ReservationState | null> {
    const cached = reservations.get(reservationId)
    if (cached) return cached
    const lease = await kv.getLease(leaseIdOf(reservationId))
    if (lease?.data == null) return null
    return JSON.parse(lease.data) as ReservationState
  }

  async function commitReservation(
    reservationId: string,
    actual: CommitRequest | undefined,
    extraMetadata: Record<string, unknown> = {},
    keepMs?: number,
  ): Promise<CommitResult> {
    const input = parseOrThrow(commitRequestSchema, actual ?? {}, { what: 'budget commit' })
    const leaseId = leaseIdOf(reservationId)
    const state = await loadReservation(reservationId)
    if (state === null) {
      throw new SkillOSError({
        code: 'NOT_FOUND',
        message: `No reservation ${reservationId}: it was never made, or expired and was forgotten`,
        details: { reservationId },
      })
    }
    const model = input.model ?? state.model
    const inputTokens = input.inputTokens ?? 0
    const outputTokens = input.outputTokens ?? 0
    const tokens = inputTokens + outputTokens
    const modelCost =
      model !== undefined && tokens > 0
        ? prices.cost(model, inputTokens, outputTokens, 'commit()')
        : 0
    const costMicros = modelCost + usdToMicros(input.costUsd ?? 0, 'costUsd')
    if (!Number.isSafeInteger(costMicros)) {
      throw new ValidationError('costUsd: is too large', [
        { path: 'costUsd', message: 'is too large' },
      ])
    }

    const actuals: LeaseActual[] = state.counters.map((counter) => ({
      key: counter.key,
      amount: amountOf(counter, costMicros, tokens),
      ...(counter.ttlMs > 0 ? { ttlMs: counter.ttlMs } : {}),
    }))
    // Counters first, ledger second: if the process dies between, the limit still holds (the
    // counter has the spend); the ledger would miss one row rather than the counter missing it.
    const settled = await kv.settleLease(leaseId, actuals, {
      outcome: 'committed',
      ...(keepMs === undefined ? {} : { keepMs }),
    })
    if (settled.status === 'already-settled' && settled.outcome === 'released') {
      throw new SkillOSError({
        code: 'CONFLICT',
        message: `Reservation ${reservationId} was released, so it cannot be committed; reserve again`,
        details: { reservationId },
      })
    }
    await ledger.append({
      tenantId: state.tenant,
      id: reservationId,
      runId: state.runId,
      principalId: state.user,
      skillId: state.skill ?? null,
      model: model ?? null,
      kind: input.kind ?? (tokens > 0 ? 'model' : 'tool'),
      tokensIn: inputTokens,
      tokensOut: outputTokens,
      costMicros,
      chargeKey: reservationId,
      metadata: {
        ...input.metadata,
        ...extraMetadata,
        reservedMicros: state.costMicros,
        reservedTokens: state.tokens,
      },
      at: new Date(now()),
    })
    reservations.delete(reservationId)
    return {
      reservationId,
      status:
        settled.status === 'already-settled'
          ? 'already-committed'
          : settled.status === 'settled'
            ? 'committed'
            : 'committed-late',
      costUsd: microsToUsd(costMicros),
      tokens,
      releasedUsd:
        settled.status === 'settled' ? microsToUsd(Math.max(0, state.costMicros - costMicros)) : 0,
    }
  }

  const budget: Budget = {
    config,
    prices,

    estimate(request) {
      const input = parseOrThrow(estimateRequestSchema, request, { what: 'budget estimate' })
      const price = prices.resolve(input.model, 'estimate()')
      return {
        model: price.model,
        costUsd: microsToUsd(
          prices.cost(input.model, input.inputTokens, input.maxOutputTokens, 'estimate()'),
        ),
        tokens: input.inputTokens + input.maxOutputTokens,
      }
    },

    async reserve(request) {
      assertOpen()
      const input = parseOrThrow(reserveRequestSchema, request, { what: 'budget reservation' })
      const { costMicros, tokens } = reservedAmounts(input)
      return reserveWithId(`${input.tenant}:${randomUUID()}`, input, costMicros, tokens)
    },

    async commit(reservationId, actual) {
      assertOpen()
      return commitReservation(reservationId, actual)
    },

    async release(reservationId) {
      assertOpen()
      const leaseId = leaseIdOf(reservationId)
      const state = await loadReservation(reservationId)
      const settled = await kv.settleLease(leaseId, [], { outcome: 'released' })
      reservations.delete(reservationId)
      const held = microsToUsd(state?.costMicros ?? 0)
      switch (settled.status) {
        case 'settled':
          return { reservationId, status: 'released', releasedUsd: held }
        case 'expired':
          return { reservationId, status: 'expired', releasedUsd: held }
        case 'unknown':
          return { reservationId, status: 'unknown', releasedUsd: 0 }
        default:
          return {
            reservationId,
            status: settled.outcome === 'released' ? 'already-released' : 'already-committed',
            releasedUsd: 0,
          }
      }
    },

    async charge(request) {
      assertOpen()
      const input = parseOrThrow(chargeRequestSchema, request, { what: 'budget charge' })
      const id = `${input.tenant}:tool:${input.chargeId ?? randomUUID()}`
      const costMicros = usdToMicros(input.costUsd, 'costUsd')
      let reserved: ReserveResult | null = null
      try {
        reserved = await reserveWithId(id, input, costMicros, 0)
      } catch (error) {
        // The same chargeId again: its lease exists, so commit (idempotently) instead.
        if (!(SkillOSError.is(error, 'CONFLICT') && input.chargeId !== undefined)) throw error
      }
      // A chargeId is remembered by the live counters for a day (and by the ledger for ever), so a
      // retried paid call is charged once.
      const committed = await commitReservation(
        id,
        {
          costUsd: input.costUsd,
          kind: 'tool',
          ...(input.metadata ? { metadata: input.metadata } : {}),
        },
        { tool: input.tool },
        input.chargeId === undefined ? undefined : CHARGE_KEEP_MS,
      )
      return {
        ...committed,
        warnings: reserved?.warnings ?? [],
        degradations: reserved?.degradations ?? [],
      }
    },

    tenantLimits(tenant) {
      assertOpen()
      return perTenant.read(parseOrThrow(tenantIdSchema, tenant, { what: 'tenant' }))
    },

    setTenantLimits(tenant, list, set) {
      assertOpen()
      return perTenant.replace(
        parseOrThrow(tenantIdSchema, tenant, { what: 'tenant', pathPrefix: 'tenant' }),
        list,
        set,
      )
    },

    async report(request) {
      assertOpen()
      const input = parseOrThrow(reportRequestSchema, request, { what: 'budget report request' })
      const time = now()
      const applicable = applicableLimits(await limitsFor(input.tenant), input)
      const counters = planCounters(applicable, input, time, holdMs)
      await ensureSeeded(counters, time)
      const readings = await kv.readCounters(counters.map((counter) => counter.key))
      return counters.flatMap((counter, index) => {
        const value = readings[index]?.value ?? 0
        const held = readings[index]?.held ?? 0
        return [...counter.hard, ...counter.soft].flatMap((limit) => {
          const amount = limitValue(limit, counter.unit)
          if (amount === null) return []
          return [
            {
              limitId: limit.id,
              scope: limit.scopes,
              subject: describeSubject(counter),
              window: limit.window,
              mode: limit.mode,
              unit: counter.unit,
              limit: inUnit(counter.unit, amount),
              spent: inUnit(counter.unit, Math.max(0, value - held)),
              reserved: inUnit(counter.unit, held),
              remaining: inUnit(counter.unit, Math.max(0, amount - value)),
              resetsAt: counter.instance.end,
            },
          ]
        })
      })
    },

    async spend(query) {
      assertOpen()
      const input = parseOrThrow(spendQuerySchema, query, { what: 'budget spend query' })
      await ledger.drain()
      return querySpend(
        database,
        {
          tenant: input.tenant,
          user: input.user,
          skill: input.skill,
          runId: input.runId,
          model: input.model,
          start: input.from ?? null,
          end: input.to ?? null,
        },
        input.groupBy ?? ['day'],
      )
    },

    flush: () => ledger.drain(),

    async close() {
      closed = true
      await ledger.drain()
    },
  }
  return budget
}
