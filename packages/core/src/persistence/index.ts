export {
  createRunStore,
  type ApprovalDecision,
  type ApprovalRecord,
  type ApprovalStatus,
  type BeginResult,
  type BeginRun,
  type CreateRunStoreOptions,
  type EventsOptions,
  type ListApprovalsOptions,
  type NewApproval,
  type NewStoredEvent,
  type RunChange,
  type RunError,
  type RunRecord,
  type RunStore,
  type StoredEvent,
} from './run-store.js'
export { createSkillStorage } from './skill-storage.js'
