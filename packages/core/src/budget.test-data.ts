import { createBudget, type Budget, type CreateBudgetOptions } from '@skillos/budget'
import { openDatabase, openKeyValue, tenants } from '@skillos/store'

/** A real budget on in-memory PGlite + the in-process key-value store, with tenant `acme`. */
export async function openTestBudget(
  config: CreateBudgetOptions['config'],
): Promise<{ budget: Budget; close(): Promise<void> }> {
  const database = await openDatabase('memory://')
  const kv = await openKeyValue()
  await database.db.insert(tenants).values({ id: 'acme', name: 'Acme' })
  const budget = createBudget({ database, kv, ...(config ? { config } : {}) })
  return {
    budget,
    async close() {
      await budget.close()
      await kv.close()
      await database.close()
    },
  }
}
