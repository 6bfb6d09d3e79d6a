export {
  openDatabase,
  type Database,
  type Db,
  type MigrationStatus,
  type OpenDatabaseOptions,
  type Transaction,
} from './database.js'
export * from './schema/index.js'
export type {
  CounterReading,
  KeyValueStore,
  LeaseActual,
  LeaseInfo,
  LeaseOptions,
  Lock,
  OpenKeyValueOptions,
  ReserveEntry,
  ReserveOptions,
  ReserveResult,
  SetOptions,
  SettledCounter,
  SettleLeaseOptions,
  SettleLeaseResult,
  SlidingWindowOptions,
  SlidingWindowResult,
} from './key-value.js'
export { createMemoryKeyValue } from './memory-key-value.js'
export { openKeyValue } from './open-key-value.js'
export { createRedisKeyValue } from './redis-key-value.js'
