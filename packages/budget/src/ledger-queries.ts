import { budgetLedger, type Database } from '@skillos/store'
import { and, eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm'
import type { BudgetUnit } from './limits.js'

/** Which ledger rows a counter stands for. `undefined` dimensions are not filtered on. */
export interface SpendFilter {
  tenant: string
  user?: string | undefined
  skill?: string | undefined
  runId?: string | undefined
  start: Date | null
  end: Date | null
}

function whereOf(filter: SpendFilter): SQL | undefined {
  return and(
    eq(budgetLedger.tenantId, filter.tenant),
    filter.user === undefined ? undefined : eq(budgetLedger.principalId, filter.user),
    filter.skill === undefined ? undefined : eq(budgetLedger.skillId, filter.skill),
    filter.runId === undefined ? undefined : eq(budgetLedger.runId, filter.runId),
    filter.start === null ? undefined : gte(budgetLedger.at, filter.start),
    filter.end === null ? undefined : lt(budgetLedger.at, filter.end),
  )
}

/** What the ledger says was spent, in micro-dollars or tokens: what a counter is seeded with. */
export async function sumSpend(
  database: Database,
  filter: SpendFilter,
  unit: BudgetUnit,
): Promise<number> {
  const total =
    unit === 'usd'
      ? sql<string>`coalesce(sum(${budgetLedger.costMicros}), 0)`
      : sql<string>`coalesce(sum(${budgetLedger.tokensIn} + ${budgetLedger.tokensOut}), 0)`
  const [row] = await database.db.select({ total }).from(budgetLedger).where(whereOf(filter))
  return Number(row?.total ?? 0)
}

/** Dimensions a spend report can group by. */
export const spendDimensions = ['day', 'user', 'skill', 'model', 'run', 'kind'] as const
export type SpendDimension = (typeof spendDimensions)[number]

export interface SpendRow {
  /** `YYYY-MM-DD` (UTC) when grouped by day. */
  day?: string
  user?: string | null
  skill?: string | null
  model?: string | null
  run?: string | null
  kind?: string
  costUsd: number
  inputTokens: number
  outputTokens: number
  charges: number
}

const COLUMNS = {
  day: sql<string>`to_char(${budgetLedger.at} at time zone 'UTC', 'YYYY-MM-DD')`,
  user: budgetLedger.principalId,
  skill: budgetLedger.skillId,
  model: budgetLedger.model,
  run: budgetLedger.runId,
  kind: budgetLedger.kind,
} as const

/** Spend from the ledger grouped by the given dimensions (sorted by them). */
export async function querySpend(
  database: Database,
  filter: SpendFilter & { model?: string | null | undefined },
  groupBy: readonly SpendDimension[],
): Promise<SpendRow[]> {
  const selected: Record<string, SQL | (typeof COLUMNS)[Exclude<SpendDimension, 'day'>]> = {}
  for (const dimension of groupBy) selected[dimension] = COLUMNS[dimension]
  const where = and(
    whereOf(filter),
    filter.model === undefined
      ? undefined
      : filter.model === null
        ? isNull(budgetLedger.model)
        : eq(budgetLedger.model, filter.model),
  )
  const groups = groupBy.map((dimension) => COLUMNS[dimension])
  const rows = await database.db
    .select({
      ...selected,
      cost: sql<string>`coalesce(sum(${budgetLedger.costMicros}), 0)`,
      inputTokens: sql<string>`coalesce(sum(${budgetLedger.tokensIn}), 0)`,
      outputTokens: sql<string>`coalesce(sum(${budgetLedger.tokensOut}), 0)`,
      charges: sql<string>`count(*)`,
    })
    .from(budgetLedger)
    .where(where)
    .groupBy(...groups)
    .orderBy(...groups)
  return rows.map((row) => {
    const { cost, inputTokens, outputTokens, charges, ...dims } = row as Record<string, unknown>
    return {
      ...(dims as Omit<SpendRow, 'costUsd' | 'inputTokens' | 'outputTokens' | 'charges'>),
      costUsd: Number(cost) / 1_000_000,
      inputTokens: Number(inputTokens),
      outputTokens: Number(outputTokens),
      charges: Number(charges),
    }
  })
}
