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
