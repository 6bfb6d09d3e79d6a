import { SkillOSError } from '@skillos/contracts'
import { eq, inArray, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeDatabaseContract } from './database.contract.js'
import { openDatabase, type Database } from './database.js'
import { tenants } from './schema/index.js'

// The default (a worker thread) runs the contract in database.test.ts; this is the other mode.
describeDatabaseContract('PGlite in memory, in the caller’s thread', () =>
  openDatabase('memory://', { workerThread: false }),
)

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]
}

describe('embedded PGlite in a worker thread', () => {
  let database: Database
  beforeAll(async () => {
    database = await openDatabase('memory://')
  })
  afterAll(async () => {
    await database?.close()
  })

  /** Which of these tenant ids are stored. */
  async function storedAmong(...ids: string[]): Promise<string[]> {
    const rows = await database.db
      .select({ id: tenants.id })
      .from(tenants)
      .where(inArray(tenants.id, ids))
    return rows.map((row) => row.id)
  }

  it('leaves the event loop free while a statement runs', async () => {
    let ticks = 0
    const timer = setInterval(() => (ticks += 1), 1)
    const started = performance.now()
    try {
      const result = await database.db.execute(
        sql`select count(*)::int as n from generate_series(1, 2000000)`,
      )
      expect(rowsOf<{ n: number }>(result)[0]?.n).toBe(2_000_000)
    } finally {
      clearInterval(timer)
    }
    const elapsed = performance.now() - started
    // In the caller's thread the timer could not fire at all until the statement ended.
    expect(elapsed).toBeGreaterThan(20)
    expect(ticks).toBeGreaterThan(Math.min(10, elapsed / 10))
  })

  it('passes json parameters whole, in any script, also in a transaction, and refuses bad JSON', async () => {
    const text = JSON.stringify({
      city: 'Москва',
      dish: 'устрицы 🦪',
      note: 'naïve "quoted" \\ ok',
    })
    const read = (db: Pick<Database['db'], 'execute'>, value: unknown) =>
      db.execute(sql`select (${value}::json)->>'city' as city, (${value}::json)->>'dish' as dish,
        (${value}::json)->>'note' as note, length((${value}::json)::text) as length`)
    const expected = { city: 'Москва', dish: 'устрицы 🦪', note: 'naïve "quoted" \\ ok' }
    expect(rowsOf(await read(database.db, text))[0]).toEqual({
      ...expected,
      // PostgreSQL counts code points: the oyster is one, two UTF-16 units.
      length: [...text].length,
    })
    await database.transaction(async (tx) => {
      expect(rowsOf(await read(tx, text))[0]).toMatchObject(expected)
    })
    // Much more than one batch of runs sends, none of it ASCII.
    const long = JSON.stringify(
      Array.from({ length: 20_000 }, (_, i) => ({ i, text: 'привет 🦪' })),
    )
    const counted = await database.db.execute(
      sql`select count(*)::int as n, sum((e->>'i')::int)::bigint as total,
        bool_and(e->>'text' = 'привет 🦪') as same from json_array_elements(${long}::json) e`,
    )
    expect(rowsOf(counted)[0]).toEqual({ n: 20_000, total: 199_990_000, same: true })
    const invalid = await database.db.execute(sql`select ${'{"open": '}::json`).catch((e) => e)
    expect(invalid).toBeInstanceOf(Error)
    expect(String((invalid as Error).message)).toMatch(/json/i)
  })

  it('passes text[] parameters element by element: any script, NULL, empty, and other values', async () => {
    const items = ['Москва 🦪', '', null, 'a "quoted" \\ {x,y} NULL', '{"k":[1,2]}', 'NULL']
    const read = (value: unknown) =>
      database.db.execute(sql`select ${sql.param(value)}::text[] as items,
        cardinality(${sql.param(value)}::text[]) as n`)
    expect(rowsOf(await read(items))[0]).toEqual({ items, n: items.length })
    expect(rowsOf(await read([]))[0]).toEqual({ items: [], n: 0 })
    // Not strings: PGlite's own text format still takes them.
    expect(rowsOf(await read([1, 2.5, true]))[0]).toEqual({ items: ['1', '2.5', 'true'], n: 3 })
    // Many rows' worth, none of it ASCII, unnested as a statement of finished runs reads them.
    const many = Array.from({ length: 5_000 }, (_, i) => `${i}: привет 🦪`)
    const unnested = await database.db.execute(
      sql`select count(*)::int as n, bool_and(t like '%: привет 🦪') as same,
        max(length(t)) as longest from unnest(${sql.param(many)}::text[]) as t`,
    )
    expect(rowsOf(unnested)[0]).toEqual({
      n: 5_000,
      same: true,
      longest: '4999: привет 🦪'.length - 1,
    })
  })

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await database.transaction(async (tx) => {
      await tx.insert(tenants).values({ id: 'kept', name: 'Kept' })
    })
    const failure = new Error('changed my mind')
    await expect(
      database.transaction(async (tx) => {
        await tx.insert(tenants).values({ id: 'dropped', name: 'Dropped' })
        throw failure
      }),
    ).rejects.toBe(failure)
    expect(await storedAmong('kept', 'dropped')).toEqual(['kept'])
  })

  it('holds the session for a transaction: a statement sent meanwhile sees only its outcome', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const inside = database.transaction(async (tx) => {
      await tx.insert(tenants).values({ id: 'held', name: 'Before' })
      await gate
      await tx.update(tenants).set({ name: 'After' }).where(eq(tenants.id, 'held'))
    })
    // Sent while the transaction is open: it runs after the commit, never between its statements.
    await new Promise((resolve) => setTimeout(resolve, 20))
    const outside = database.db
      .select({ name: tenants.name })
      .from(tenants)
      .where(eq(tenants.id, 'held'))
    release()
    await inside
    expect(await outside).toEqual([{ name: 'After' }])
  })

  it('keeps savepoints: a nested transaction that throws undoes only its own changes', async () => {
    await database.transaction(async (tx) => {
      await tx.insert(tenants).values({ id: 'outer', name: 'Outer' })
      await tx
        .transaction(async (nested) => {
          await nested.insert(tenants).values({ id: 'inner', name: 'Inner' })
          throw new Error('undo the inner one')
        })
        .catch(() => undefined)
    })
    expect(await storedAmong('outer', 'inner')).toEqual(['outer'])
  })

  it('reports a refused statement with the server’s SQLSTATE and constraint', async () => {
    await database.db.insert(tenants).values({ id: 'twice', name: 'Once' })
    const error = await database.db
      .insert(tenants)
      .values({ id: 'twice', name: 'Twice' })
      .catch((e: unknown) => e)
    let cause: unknown = error
    while (cause instanceof Error && (cause as { code?: unknown }).code === undefined)
      cause = cause.cause
    expect(cause).toBeInstanceOf(Error)
    expect((cause as { code?: string }).code).toBe('23505')
    expect((cause as { constraint?: string }).constraint).toBe('tenants_pkey')
    // The session is still usable after a refusal.
    await expect(database.ping()).resolves.toBeUndefined()
  })

  it('finishes what was sent before close, refuses what comes after, and closes once', async () => {
    const closing = await openDatabase('memory://')
    // `.then` sends it now (a drizzle query runs when it is awaited).
    const before = closing.db.execute(sql`select 1 as one`).then((result) => result)
    const [first, second] = [closing.close(), closing.close()]
    const after = closing.db.execute(sql`select 2 as two`).catch((e: unknown) => e)
    expect(rowsOf<{ one: number }>(await before)).toEqual([{ one: 1 }])
    const refused = await after
    expect(refused).toBeInstanceOf(Error)
    expect(String((refused as Error).cause ?? refused)).toContain('closed')
    await Promise.all([first, second])
  })

  it('lets a transaction opened before close finish, then closes', async () => {
    const closing = await openDatabase('memory://')
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let entered!: () => void
    const inside = new Promise<void>((resolve) => (entered = resolve))
    const tx = closing.transaction(async (t) => {
      entered()
      await gate
      await t.insert(tenants).values({ id: 'late', name: 'Late' })
      return (await t.select().from(tenants).where(eq(tenants.id, 'late'))).length
    })
    await inside
    const closed = closing.close()
    release()
    expect(await tx).toBe(1)
    await closed
  })

  it('answers every call after close with an error instead of hanging', async () => {
    const closing = await openDatabase('memory://')
    await closing.close()
    const error = await closing.ping().catch((e: unknown) => e)
    expect(SkillOSError.is(error, 'UNAVAILABLE')).toBe(true)
    expect((error as Error).message).toContain('memory://')
  })
})
