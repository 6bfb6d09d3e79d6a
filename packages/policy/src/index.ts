export {
  compilePolicy,
  type CompilePolicyOptions,
  type Policy,
  type PolicyRateLimit,
  type PolicyRuleInfo,
  type PolicySource,
} from './compile-policy.js'
export {
  PolicyDeniedError,
  PolicyLoadError,
  RateLimitedError,
  assertAllowed,
  type PolicyIssue,
  type RateLimitedDetails,
} from './errors.js'
export { loadPolicy, readPolicySources } from './load-policy.js'
export {
  createPolicyEngine,
  type CreatePolicyEngineOptions,
  type PolicyEngine,
  type PolicyLogger,
  type PolicyReloadEvent,
} from './policy-engine.js'
export {
  formatPolicyTestReport,
  runPolicyTests,
  type PolicyExpectation,
  type PolicyTestReport,
  type PolicyTestResult,
  type RunPolicyTestsOptions,
} from './policy-tests.js'
export {
  createRateLimiter,
  type CreateRateLimiterOptions,
  type RateLimiter,
  type RateLimitOutcome,
  type RateLimitRequest,
  type RateLimitResult,
} from './rate-limiter.js'
