export {
  CONFIG_FILE_NAMES,
  defineConfig,
  findConfigFile,
  loadConfig,
  type LoadConfigOptions,
  type LoadedConfig,
} from './config-file.js'
export { inspectSystem, type ServiceCheck, type SystemReport } from './system-report.js'
