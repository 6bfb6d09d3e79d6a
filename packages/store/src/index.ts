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
  KeyValueStore,
  Lock,
  OpenKeyValueOptions,
  ReserveEntry,
  ReserveResult,
  SetOptions,
  SlidingWindowOptions,
  SlidingWindowResult,
} from './key-value.js'
export { createMemoryKeyValue } from './memory-key-value.js'
export { openKeyValue } from './open-key-value.js'
export { createRedisKeyValue } from './redis-key-value.js'
