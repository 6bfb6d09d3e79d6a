export {
  createDefaultLogger,
  createRunLogger,
  defaultRunEventLevels,
  type LogLevel,
  type RunEventLevel,
  type RunEventLevels,
  type RunLogger,
  type RunLoggerOptions,
} from './logger.js'
export { createRunMetrics, type RunMetrics, type RunMetricsOptions } from './metrics.js'
export { redactSecrets, secretLogPaths } from './redact.js'
