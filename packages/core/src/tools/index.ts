export { defineTool, type ToolCallContext, type ToolImplementation } from './define-tool.js'
export type { CircuitBreakerOptions, CircuitStateName } from './tool-circuits.js'
export { isTransientError } from './tool-errors.js'
export {
  createToolRuntime,
  type BoundTools,
  type BoundToolsRequest,
  type ToolRuntime,
  type ToolRuntimeDefaults,
  type ToolPolicy,
  type ToolRuntimeOptions,
} from './tool-runtime.js'
