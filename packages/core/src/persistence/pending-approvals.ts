import type { Principal, RiskLevel, SideEffectClass } from '@skillos/contracts'
import type { PolicyDecider } from '../run/engine.js'
import type { ApprovalRecord, RunStore } from './run-store.js'

/** A pending approval with the skill it is for. */
export interface PendingApproval extends ApprovalRecord {
  skill?: { id: string; version?: string }
}

/**
 * The pending, unexpired approvals of a tenant that `principal` may decide: the policy allows them
 * `approval:decide` on the skill, they hold one of the approver roles (when any are named), and they
 * did not request the run (four eyes). The same checks `approve` makes, so the list shows nothing
 * the caller would be refused.
 */
export async function listDecidableApprovals(
  store: RunStore,
  policy: PolicyDecider,
  tenant: string,
  principal: Principal,
  options: { now?: Date; limit?: number } = {},
): Promise<PendingApproval[]> {
  const now = options.now ?? new Date()
  const pending = await store.listApprovals(tenant, {
    status: 'pending',
    limit: options.limit ?? 100,
  })
  const result: PendingApproval[] = []
  const runs = new Map<string, Awaited<ReturnType<RunStore['get']>>>()
  for (const approval of pending) {
    if (approval.expiresAt <= now) continue
    if (approval.requestedBy === principal.id) continue
    if (
      approval.approvers.length > 0 &&
      !approval.approvers.some((r) => principal.roles.includes(r))
    )
      continue
    if (!runs.has(approval.runId)) runs.set(approval.runId, await store.get(tenant, approval.runId))
    const run = runs.get(approval.runId)
    if (!run) continue
    const skillId = run.skillId ?? '*'
    const decision = policy.decide(
      { id: principal.id, tenant, roles: [...principal.roles], attributes: principal.attributes },
      'approval:decide',
      {
        id: skillId,
        tenant,
        risk: approval.risk as RiskLevel,
        sideEffects: approval.sideEffects as SideEffectClass,
      },
      { time: now.toISOString() },
    )
    if (!decision.allowed) continue
    result.push({
      ...approval,
      ...(run.skillId
        ? { skill: { id: run.skillId, ...(run.skillVersion ? { version: run.skillVersion } : {}) } }
        : {}),
    })
  }
  return result
}
