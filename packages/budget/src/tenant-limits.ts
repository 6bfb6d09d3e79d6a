import {
  SkillOSError,
  ValidationError,
  budgetLimitSchema,
  parseOrThrow,
  type BudgetLimit,
  type BudgetLimitInput,
} from '@skillos/contracts'
import { budgetTenantLimits, type Database } from '@skillos/store'
import { and, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { compileLimits, type CompiledLimit } from './limits.js'

/** A tenant's run-time limits as stored: what `PUT /v1/budgets/limits` replaced last. */
export interface TenantLimits {
  tenant: string
  limits: BudgetLimit[]
  /** 0 when none were ever set; each replacement adds one. */
  version: number
  updatedBy?: string
  updatedAt?: string
}

export interface SetTenantLimitsOptions {
  /** Who replaced them (an administrator's principal id), for the record. */
  by?: string
  /** Replace only if the stored version is this one (0: none set yet); else `CONFLICT`. */
  expectedVersion?: number
}

const limitsSchema = z.array(budgetLimitSchema).max(200)

/**
 * The limits administrators set per tenant at run time, stored in `budget_tenant_limits` and read
 * through a short per-process cache (`cacheMs`, default 2 s: another instance sees a change within
 * that time; this one at once). Each limit is narrowed to its tenant, and wins over a configured
 * limit of the same scope, window and mode — the configuration is the default, an administrator's
 * setting is the exception.
 */
export function createTenantLimits(
  database: Database,
  options: { now: () => number; cacheMs?: number; ensureTenant: (tenant: string) => Promise<void> },
) {
  const cacheMs = options.cacheMs ?? 2000
  const cache = new Map<string, { at: number; compiled: Promise<CompiledLimit[]> }>()

  async function read(tenant: string): Promise<TenantLimits> {
    const [row] = await database.db
      .select()
      .from(budgetTenantLimits)
      .where(eq(budgetTenantLimits.tenantId, tenant))
    if (!row) return { tenant, limits: [], version: 0 }
    return {
      tenant,
      limits: limitsSchema.parse(row.limits),
      version: row.version,
      ...(row.updatedBy ? { updatedBy: row.updatedBy } : {}),
      updatedAt: row.updatedAt.toISOString(),
    }
  }

  function compile(tenant: string, limits: readonly BudgetLimit[]): CompiledLimit[] {
    return compileLimits(limits).map((limit, index) => ({
      ...limit,
      id: `${tenant}:${limit.id}`,
      path: `tenant ${tenant} limits.${index}`,
      // Beats a configured limit narrowed as far, in the same group (see applicableLimits).
      specificity: limit.specificity + 0.5,
    }))
  }

  return {
    read,

    /** The compiled run-time limits of a tenant (cached). */
    compiled(tenant: string): Promise<CompiledLimit[]> {
      const time = options.now()
      const hit = cache.get(tenant)
      if (hit && time - hit.at < cacheMs) return hit.compiled
      const compiled = read(tenant).then((stored) => compile(tenant, stored.limits))
      cache.set(tenant, { at: time, compiled })
      compiled.catch(() => cache.delete(tenant))
      return compiled
    },

    /**
     * Replace a tenant's run-time limits (an empty list removes them). Every limit is validated and
     * narrowed to the tenant; one naming another tenant is refused. Nothing changes on a bad list.
     */
    async replace(
      tenant: string,
      input: readonly BudgetLimitInput[],
      set: SetTenantLimitsOptions = {},
    ): Promise<TenantLimits> {
      const limits = parseOrThrow(limitsSchema, input, {
        what: 'budget limits',
        pathPrefix: 'limits',
      })
      limits.forEach((limit, index) => {
        if (limit.tenant !== undefined && limit.tenant !== tenant)
          throw new ValidationError(
            `Invalid budget limits: limits.${index}.tenant: names tenant "${limit.tenant}"; limits set for a tenant apply to that tenant only`,
            [{ path: `limits.${index}.tenant`, message: 'must be absent or this tenant' }],
          )
      })
      const narrowed = limits.map((limit) => ({ ...limit, tenant }))
      await options.ensureTenant(tenant)
      const at = new Date(options.now())
      const written = await database.db.transaction(async (tx) => {
        const [current] = await tx
          .select({ version: budgetTenantLimits.version })
          .from(budgetTenantLimits)
          .where(eq(budgetTenantLimits.tenantId, tenant))
          .for('update')
        const version = current?.version ?? 0
        if (set.expectedVersion !== undefined && set.expectedVersion !== version)
          throw new SkillOSError({
            code: 'CONFLICT',
            message: `The limits of tenant "${tenant}" changed meanwhile (version ${version}, expected ${set.expectedVersion}); read them again and retry`,
            details: { version },
          })
        const values = {
          limits: narrowed as unknown as Record<string, unknown>[],
          updatedBy: set.by ?? null,
          updatedAt: at,
        }
        const [row] = current
          ? await tx
              .update(budgetTenantLimits)
              .set({ ...values, version: sql`${budgetTenantLimits.version} + 1` })
              .where(
                and(
                  eq(budgetTenantLimits.tenantId, tenant),
                  eq(budgetTenantLimits.version, version),
                ),
              )
              .returning()
          : await tx
              .insert(budgetTenantLimits)
              .values({ tenantId: tenant, ...values })
              .onConflictDoNothing()
              .returning()
        if (!row)
          throw new SkillOSError({
            code: 'CONFLICT',
            message: `The limits of tenant "${tenant}" were set by someone else at the same moment; read them again and retry`,
          })
        return row
      })
      cache.delete(tenant)
      return {
        tenant,
        limits: narrowed,
        version: written.version,
        ...(set.by ? { updatedBy: set.by } : {}),
        updatedAt: at.toISOString(),
      }
    },
  }
}
