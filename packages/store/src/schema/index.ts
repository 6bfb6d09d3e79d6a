export { approvals, approvalStatuses } from './approvals.js'
export { budgetLedger, budgetTenantLimits } from './budget.js'
export { runEventBatches, runs, type StoredRunEvent } from './runs.js'
export { skillVersions, skills } from './skills.js'
export { tenants } from './tenants.js'
export { usageEvents } from './usage.js'
export { skillIndexEntries } from './skill-index.js'
export { skillState } from './skill-state.js'
export {
  registryDistTags,
  registryEvents,
  registryPackages,
  registryScopeMembers,
  registryScopes,
  registryTokens,
  registryVersions,
} from './registry.js'
export {
  apiKeys,
  runQueue,
  webhookDeliveries,
  webhookDeliveryStatuses,
  webhookStatuses,
  webhookSubscriptions,
} from './api.js'
