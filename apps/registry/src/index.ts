export { createRegistryApp, type RegistryApp, type RegistryAppOptions } from './app.js'
export { startRegistry, type RunningRegistry, type StartRegistryOptions } from './server.js'
export { registryOptionsFromConfig } from './config.js'
export { STATUS_BY_CODE, problemFor } from './problem.js'
