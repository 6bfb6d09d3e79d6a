/**
 * The policy SkillOS uses when no policy files exist (zero-config). Still deny-by-default for
 * everything it does not name: anyone may run skills and call the tools a skill declares; high and
 * critical risk skills carry the `require_approval` obligation; only `approver` (or `admin`) may
 * decide approvals, and the requester never approves their own run (enforced by the orchestrator).
 * Replace it with files under `./policies` (see @skillos/policy).
 */
export const DEFAULT_POLICY_YAML = `version: 1
description: SkillOS built-in default policy (no policy files were found).
roles:
  approver: {}
  admin:
    inherits: [approver]
rules:
  - id: default-run-skills
    description: Any principal may run skills.
    effect: allow
    actions: [skill:run]
    resources: ['*']
  - id: default-approve-risky-skills
    description: High and critical risk skills run only after an approval.
    effect: allow
    actions: [skill:run]
    resources: ['*']
    when:
      - resource.risk in [high, critical]
    obligations: [require_approval]
  - id: default-call-declared-tools
    description: A skill may call the tools its manifest declares.
    effect: allow
    actions: [tool:call]
    resources: ['*']
  - id: default-approvers-decide
    description: Approvers decide approvals.
    effect: allow
    actions: [approval:decide]
    roles: [approver]
    resources: ['*']
  - id: default-admins-manage
    description: Admins manage budgets, webhooks and API keys of their tenant.
    effect: allow
    actions: [budget:manage, webhook:manage, apikey:manage]
    roles: [admin]
    resources: ['*']
`
