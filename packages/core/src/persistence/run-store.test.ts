import { openDatabase, type Database } from '@skillos/store'
import { afterAll, beforeAll } from 'vitest'
import { describeRunStoreContract } from './run-store.contract.js'

let database: Database

beforeAll(async () => {
  database = await openDatabase('memory://')
})

afterAll(async () => {
  await database?.close()
})

describeRunStoreContract('PGlite', { database: () => database })
