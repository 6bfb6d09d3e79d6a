import type { PolicyAction } from '@skillos/contracts'
import type { SkillOS } from '@skillos/core'
import type { Identity } from '../auth.js'
import { apiError } from '../problem.js'

/** Policy per route: the PDP decides `action` for the caller; a denial is 403 with the explanation. */
export function authorize(
  os: SkillOS,
  identity: Identity,
  action: PolicyAction,
  resource: string,
  now: number,
): void {
  const decision = os.policy.decide(
    {
      id: identity.principal.id,
      tenant: identity.tenant,
      roles: [...identity.principal.roles],
      attributes: identity.principal.attributes,
    },
    action,
    { id: resource, tenant: identity.tenant },
    { time: new Date(now).toISOString() },
  )
  if (!decision.allowed) throw apiError('POLICY_DENIED', decision.explanation, { action })
}

/** Whether the PDP allows it (no throw). */
export function allows(
  os: SkillOS,
  identity: Identity,
  action: PolicyAction,
  resource: string,
  now: number,
): boolean {
  try {
    authorize(os, identity, action, resource, now)
    return true
  } catch {
    return false
  }
}
