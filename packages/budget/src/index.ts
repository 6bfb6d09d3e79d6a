export {
  createBudget,
  type Budget,
  type BudgetDegradationResult,
  type BudgetWarning,
  type ChargeResult,
  type CommitResult,
  type CreateBudgetOptions,
  type Estimate,
  type LimitReport,
  type ReleaseResult,
  type Reservation,
  type ReserveResult,
} from './budget.js'
export { BudgetExceededError, type BudgetExceededDetails } from './budget-exceeded-error.js'
export type { SetTenantLimitsOptions, TenantLimits } from './tenant-limits.js'
export { spendDimensions, type SpendDimension, type SpendRow } from './ledger-queries.js'
export type { LedgerWriterOptions } from './ledger-writer.js'
export type { BudgetUnit } from './limits.js'
export { formatUsd, MICROS_PER_USD, microsToUsd, usdToMicros } from './money.js'
export {
  BUILT_IN_PRICES,
  BUILT_IN_PRICES_AS_OF,
  canonicalModelName,
  createPriceTable,
  type PriceTable,
  type ResolvedPrice,
} from './price-table.js'
export type {
  ChargeRequest,
  CommitRequest,
  EstimateRequest,
  ReportRequest,
  ReserveRequest,
  SpendQuery,
} from './requests.js'
export { windowInstance, type WindowInstance } from './windows.js'
