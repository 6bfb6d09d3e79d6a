import { SkillOSError } from '@skillos/contracts'
import { openDatabase, tenants, type Database } from '@skillos/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSkillStorage } from './skill-storage.js'

let database: Database
beforeAll(async () => {
  database = await openDatabase('memory://')
  await database.db.insert(tenants).values([
    { id: 'acme', name: 'Acme' },
    { id: 'other', name: 'Other' },
  ])
})
afterAll(async () => {
  await database.close()
})

describe('createSkillStorage', () => {
  it('keeps JSON per tenant and skill, lists by prefix in key order, and deletes', async () => {
    const budget = createSkillStorage(database, 'acme', 'finance/track-budget')
    await budget.set('expenses/u1/2026-11', [{ amount: 12.5, category: 'taxi' }])
    await budget.set('expenses/u1/2026-10', [{ amount: 3, category: 'coffee' }])
    await budget.set('expenses/u2/2026-11', [])
    await budget.set('expenses/u1/2026-11', [{ amount: 20, category: 'taxi' }])
    expect(await budget.get('expenses/u1/2026-11')).toEqual([{ amount: 20, category: 'taxi' }])
    expect((await budget.list('expenses/u1/')).map((e) => e.key)).toEqual([
      'expenses/u1/2026-10',
      'expenses/u1/2026-11',
    ])
    expect(
      await createSkillStorage(database, 'other', 'finance/track-budget').get(
        'expenses/u1/2026-11',
      ),
    ).toBeUndefined()
    expect(await createSkillStorage(database, 'acme', 'finance/other').list()).toEqual([])
    expect(await budget.delete('expenses/u2/2026-11')).toBe(true)
    expect(await budget.delete('expenses/u2/2026-11')).toBe(false)
  })

  it('treats % and _ in a prefix literally and refuses bad keys and values', async () => {
    const storage = createSkillStorage(database, 'acme', 'ops/x')
    await storage.set('a_b', 1)
    await storage.set('axb', 2)
    expect((await storage.list('a_')).map((e) => e.key)).toEqual(['a_b'])
    await expect(storage.set('', 1)).rejects.toSatisfy((e) =>
      SkillOSError.is(e, 'VALIDATION_FAILED'),
    )
    await expect(storage.set('k', undefined)).rejects.toSatisfy((e) =>
      SkillOSError.is(e, 'VALIDATION_FAILED'),
    )
    await expect(storage.set('big', 'x'.repeat(1_100_000))).rejects.toSatisfy((e) =>
      SkillOSError.is(e, 'PAYLOAD_TOO_LARGE'),
    )
  })
})
