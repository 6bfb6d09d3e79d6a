export {
  createApiApp,
  type ApiApp,
  type ApiAppControl,
  type ApiEnv,
  type CreateApiAppOptions,
} from './app.js'
export { createAuthenticator, type Authenticator, type Identity } from './auth.js'
export { STATUS_BY_CODE, problemOf } from './problem.js'
export { startApi, type StartApiOptions, type RunningApi } from './server.js'
