import {
  SkillOSError,
  type BudgetMode,
  type BudgetScope,
  type BudgetWindow,
} from '@skillos/contracts'
import type { BudgetUnit } from './limits.js'
import { formatTokens, formatUsd, microsToUsd } from './money.js'
import { windowAdjective } from './windows.js'

/** What `BudgetExceededError.details` carries: enough to explain the refusal without the message. */
export interface BudgetExceededDetails {
  limitId: string
  scope: BudgetScope[]
  /** `user u1 in tenant acme`. */
  subject: string
  tenant: string
  user?: string
  skill?: string
  runId?: string
  window: BudgetWindow
  mode: BudgetMode
  unit: BudgetUnit
  /** When the window starts again (ISO 8601); absent for lifetime and run windows. */
  resetsAt?: string
  limitUsd?: number
  spentUsd?: number
  reservedUsd?: number
  requestedUsd?: number
  limitTokens?: number
  spentTokens?: number
  reservedTokens?: number
  requestedTokens?: number
  [key: string]: unknown
}

export interface BudgetExceededInput {
  limitId: string
  scope: BudgetScope[]
  subject: {
    tenant: string
    user?: string | undefined
    skill?: string | undefined
    runId?: string | undefined
  }
  subjectText: string
  window: BudgetWindow
  unit: BudgetUnit
  resetsAt: Date | null
  /** In the unit: micro-dollars or tokens. */
  limit: number
  spent: number
  reserved: number
  requested: number
}

/**
 * A reservation was refused before any work was done: it would have crossed a hard limit. The message
 * names the scope, the limit, what is spent and reserved, and what was asked:
 * `Budget exceeded for user u1 in tenant acme: daily limit $5.00, spent $4.20 (+ $0.50 reserved), asked $0.40`.
 *
 * @example
 * ```ts
 * try {
 *   await budget.reserve(request)
 * } catch (error) {
 *   if (SkillOSError.is(error, 'BUDGET_EXCEEDED')) console.log(error.details?.limitUsd)
 * }
 * ```
 */
export class BudgetExceededError extends SkillOSError {
  declare readonly details: BudgetExceededDetails

  constructor(input: BudgetExceededInput) {
    const format = input.unit === 'usd' ? formatUsd : formatTokens
    const message =
      `Budget exceeded for ${input.subjectText}: ${windowAdjective(input.window)} limit ${format(input.limit)}, ` +
      `spent ${format(input.spent)} (+ ${format(input.reserved)} reserved), asked ${format(input.requested)}`
    const amounts =
      input.unit === 'usd'
        ? {
            limitUsd: microsToUsd(input.limit),
            spentUsd: microsToUsd(input.spent),
            reservedUsd: microsToUsd(input.reserved),
            requestedUsd: microsToUsd(input.requested),
          }
        : {
            limitTokens: input.limit,
            spentTokens: input.spent,
            reservedTokens: input.reserved,
            requestedTokens: input.requested,
          }
    const { tenant, user, skill, runId } = input.subject
    const details: BudgetExceededDetails = {
      limitId: input.limitId,
      scope: input.scope.length ? input.scope : ['tenant'],
      subject: input.subjectText,
      tenant,
      ...(user === undefined ? {} : { user }),
      ...(skill === undefined ? {} : { skill }),
      ...(runId === undefined ? {} : { runId }),
      window: input.window,
      mode: 'hard',
      unit: input.unit,
      ...(input.resetsAt ? { resetsAt: input.resetsAt.toISOString() } : {}),
      ...amounts,
    }
    super({ code: 'BUDGET_EXCEEDED', message, details })
    this.name = 'BudgetExceededError'
  }
}
