import type { BudgetLimit, BudgetMode, BudgetScope, BudgetWindow } from '@skillos/contracts'
import { MICROS_PER_USD } from './money.js'
import { counterTtlMs, windowInstance, type WindowInstance } from './windows.js'

/** What a counter counts: micro-dollars or tokens (input + output). */
export type BudgetUnit = 'usd' | 'tokens'

/** Who is spending: every reservation names its tenant, user and run; the skill when there is one. */
export interface BudgetSubject {
  tenant: string
  user: string
  skill?: string | undefined
  runId: string
}

/** A configured limit, ready to match requests. */
export interface CompiledLimit {
  id: string
  /** Config path (`budget.limits.2`), for messages. */
  path: string
  /** Dimensions besides the tenant, in a fixed order. */
  scopes: BudgetScope[]
  window: BudgetWindow
  mode: BudgetMode
  usdMicros: number | null
  tokens: number | null
  tenant?: string | undefined
  user?: string | undefined
  skill?: string | undefined
  /** How many of tenant / user / skill it narrows to. */
  specificity: number
  /** Limits of one group compete: the most specific that matches wins. */
  group: string
}

const SCOPE_ORDER: readonly BudgetScope[] = ['tenant', 'user', 'skill', 'run']

function generatedId(limit: BudgetLimit, scopes: BudgetScope[]): string {
  const narrowed = (['tenant', 'user', 'skill'] as const)
    .filter((field) => limit[field] !== undefined)
    .map((field) => `${field}=${limit[field]}`)
  return [scopes.join('+'), limit.window, limit.mode === 'soft' ? 'soft' : '', ...narrowed]
    .filter(Boolean)
    .join(':')
}

/** Turn the configured limits into matchable ones (ids made unique). */
export function compileLimits(limits: readonly BudgetLimit[]): CompiledLimit[] {
  const used = new Set(limits.flatMap((limit) => (limit.id ? [limit.id] : [])))
  return limits.map((limit, index) => {
    const listed = Array.isArray(limit.scope) ? limit.scope : [limit.scope]
    const scopes = SCOPE_ORDER.filter((scope) => listed.includes(scope))
    let id = limit.id ?? generatedId(limit, scopes)
    if (limit.id === undefined && used.has(id)) id = `${id}#${index}`
    used.add(id)
    return {
      id,
      path: `budget.limits.${index}`,
      scopes,
      window: limit.window,
      mode: limit.mode,
      usdMicros: limit.usd === undefined ? null : Math.round(limit.usd * MICROS_PER_USD),
      tokens: limit.tokens ?? null,
      tenant: limit.tenant,
      user: limit.user,
      skill: limit.skill,
      specificity: [limit.tenant, limit.user, limit.skill].filter((v) => v !== undefined).length,
      group: `${scopes.join('+')}|${limit.window}|${limit.mode}`,
    }
  })
}

/**
 * The limits that apply to `subject`: those whose narrowing matches and whose scope the subject can
 * fill (a skill-scoped limit needs a skill); in each group only the most specific ones.
 */
export function applicableLimits(
  limits: readonly CompiledLimit[],
  subject: Partial<BudgetSubject> & { tenant: string },
): CompiledLimit[] {
  const best = new Map<string, number>()
  const matching = limits.filter((limit) => {
    if (limit.tenant !== undefined && limit.tenant !== subject.tenant) return false
    if (limit.user !== undefined && limit.user !== subject.user) return false
    if (limit.skill !== undefined && limit.skill !== subject.skill) return false
    if (limit.scopes.includes('user') && subject.user === undefined) return false
    if (limit.scopes.includes('skill') && subject.skill === undefined) return false
    if (limit.window === 'run' && subject.runId === undefined) return false
    best.set(limit.group, Math.max(best.get(limit.group) ?? 0, limit.specificity))
    return true
  })
  return matching.filter((limit) => limit.specificity === best.get(limit.group))
}

/** One counter a reservation moves: a (subject, window instance, unit) and the limits on it. */
export interface CounterPlan {
  key: string
  unit: BudgetUnit
  instance: WindowInstance
  ttlMs: number
  /** The dimensions the counter is for, as stored in the ledger (for seeding and reports). */
  tenant: string
  user?: string | undefined
  skill?: string | undefined
  runId?: string | undefined
  hard: CompiledLimit[]
  soft: CompiledLimit[]
}

/** The limit's value in the counter's unit (`null` when the limit does not count that unit). */
export function limitValue(limit: CompiledLimit, unit: BudgetUnit): number | null {
  return unit === 'usd' ? limit.usdMicros : limit.tokens
}

/** The tightest hard limit on a counter; `Number.MAX_SAFE_INTEGER` when only soft limits watch it. */
export function hardLimitOf(counter: CounterPlan): { limit: CompiledLimit; value: number } | null {
  let found: { limit: CompiledLimit; value: number } | null = null
  for (const limit of counter.hard) {
    const value = limitValue(limit, counter.unit)
    if (value !== null && (found === null || value < found.value)) found = { limit, value }
  }
  return found
}

const encode = (value: string) => encodeURIComponent(value)

/**
 * The counters `limits` need for `subject` at `now`, one per (dimensions, window instance, unit):
 * several limits on the same counter share it. Keys carry the tenant as a Redis hash tag, so every
 * counter of one reservation lives in one Redis Cluster slot.
 */
export function planCounters(
  limits: readonly CompiledLimit[],
  subject: Partial<BudgetSubject> & { tenant: string },
  now: number,
  holdMs: number,
): CounterPlan[] {
  const counters = new Map<string, CounterPlan>()
  for (const limit of limits) {
    const instance = windowInstance(limit.window, now, subject.runId ?? '')
    const dims = [
      limit.scopes.includes('user') ? `u=${encode(subject.user ?? '')}` : '',
      limit.scopes.includes('skill') ? `s=${encode(subject.skill ?? '')}` : '',
    ].filter(Boolean)
    for (const unit of ['usd', 'tokens'] as const) {
      if (limitValue(limit, unit) === null) continue
      const key = `budget:{${subject.tenant}}:${dims.join(',') || '-'}:${limit.window}:${encode(instance.id)}:${unit}`
      let counter = counters.get(key)
      if (counter === undefined) {
        counter = {
          key,
          unit,
          instance,
          ttlMs: counterTtlMs(instance, now, holdMs),
          tenant: subject.tenant,
          user: limit.scopes.includes('user') ? subject.user : undefined,
          skill: limit.scopes.includes('skill') ? subject.skill : undefined,
          runId: limit.window === 'run' ? subject.runId : undefined,
          hard: [],
          soft: [],
        }
        counters.set(key, counter)
      }
      ;(limit.mode === 'hard' ? counter.hard : counter.soft).push(limit)
    }
  }
  return [...counters.values()]
}

/** `user u1 in tenant acme`, `skill research/deep-dive of user u1 in tenant acme`, `tenant acme`. */
export function describeSubject(counter: {
  tenant: string
  user?: string | undefined
  skill?: string | undefined
  runId?: string | undefined
}): string {
  const parts: string[] = []
  if (counter.skill !== undefined) parts.push(`skill ${counter.skill}`)
  if (counter.user !== undefined) parts.push(`${parts.length ? 'of ' : ''}user ${counter.user}`)
  if (counter.runId !== undefined) parts.push(`${parts.length ? 'in ' : ''}run ${counter.runId}`)
  parts.push(`${parts.length ? 'in ' : ''}tenant ${counter.tenant}`)
  return parts.join(' ')
}
