export {
  CONFIG_FILE_NAMES,
  defineConfig,
  findConfigFile,
  loadConfig,
  type LoadConfigOptions,
  type LoadedConfig,
} from './config-file.js'
export { inspectSystem, type ServiceCheck, type SystemReport } from './system-report.js'
export { createSkillOS, type PrincipalInput, type SkillOS, type SkillOSOptions } from './skillos.js'
export { DEFAULT_POLICY_YAML } from './default-policy.js'
export { createEmbedderFromConfig } from './skill-index-from-config.js'
export type { Embedder } from '@skillos/recommender'
export {
  analyzeRequest,
  splitIntents,
  riskLevelOf,
  type Analysis,
  type IntentSplit,
} from './run/analyze.js'
export type { RunEventListener } from './run/stream.js'
export type { PolicyDecider, RunHooks, StepLog } from './run/engine.js'
export {
  createToolRuntime,
  defineTool,
  type ToolImplementation,
  type ToolRuntime,
} from './tools/index.js'
export {
  createAnthropicProvider,
  createModelProvider,
  createOpenAIProvider,
  type ModelProvider,
} from './model/index.js'
export * from './extract/index.js'
export { createRunStore, type RunStore, type RunRecord } from './persistence/index.js'
export * from './observe/index.js'
export { formatProblem, type SkillProblem } from '@skillos/registry'
export {
  createRunQueue,
  type CreateRunQueueOptions,
  type ExecuteQueuedRun,
  type RunQueue,
} from './queue/run-queue.js'
export { createRunQueueStore, type QueuedRun, type RunQueueStore } from './queue/run-queue-store.js'
export type { CancelResult, SubmitResult } from './queue/async-runs.js'
export type { PendingApproval } from './persistence/pending-approvals.js'
export type { ResolveHost } from './webhooks/destination.js'
export {
  createWebhooks,
  type CreateWebhooksOptions,
  type WebhookDelivery,
  type WebhookSubscription,
  type Webhooks,
} from './webhooks/webhooks.js'
export {
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
  type VerifyWebhookOptions,
} from './webhooks/signature.js'
export {
  createApiKeys,
  type ApiKeyIdentity,
  type ApiKeyInfo,
  type ApiKeys,
} from './access/api-keys.js'
