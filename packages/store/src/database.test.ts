import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { SkillOSError } from '@skillos/contracts'
import { eq, sql } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { describeDatabaseContract } from './database.contract.js'
import { openDatabase } from './database.js'
import { tenants } from './schema/index.js'

describeDatabaseContract('PGlite in memory', () => openDatabase('memory://'))

describe('openDatabase', () => {
  const dirs: string[] = []
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'skillos-pglite-'))
    dirs.push(dir)
    return dir
  }
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it('keeps data on disk across a close and a reopen, without re-applying migrations', async () => {
    const dir = join(tempDir(), 'db')
    const first = await openDatabase(`pglite://${dir}`)
    expect(first.kind).toBe('pglite')
    await first.db.insert(tenants).values({ id: 'acme', name: 'Acme' })
    await first.close()

    const second = await openDatabase(`pglite://${dir}`)
    const rows = await second.db.select().from(tenants).where(eq(tenants.id, 'acme'))
    expect(rows.map((r) => r.name)).toEqual(['Acme'])
    const status = await second.migrationStatus()
    expect(status.applied).toBe(status.available)
    await second.close()
  })

  it('keeps a full write-ahead log on disk, and only what a running server needs in memory', async () => {
    const setting = async (database: Awaited<ReturnType<typeof openDatabase>>, name: string) => {
      const result = await database.db.execute(sql.raw(`show ${name}`))
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
        [key: string]: string
      }[]
      return rows[0]?.[name]
    }
    const memory = await openDatabase('memory://')
    const disk = await openDatabase(`pglite://${join(tempDir(), 'db')}`)
    try {
      expect(await setting(memory, 'wal_level')).toBe('minimal')
      expect(await setting(memory, 'full_page_writes')).toBe('off')
      expect(await setting(disk, 'wal_level')).toBe('replica')
      expect(await setting(disk, 'full_page_writes')).toBe('on')
    } finally {
      await memory.close()
      await disk.close()
    }
  })

  it('refuses to open an embedded data directory that is already open', async () => {
    const dir = join(tempDir(), 'db')
    const first = await openDatabase(`pglite://${dir}`)
    try {
      const error = await openDatabase(`pglite://${dir}`).catch((e: unknown) => e)
      expect(SkillOSError.is(error, 'CONFLICT')).toBe(true)
      expect((error as Error).message).toContain(dir)
    } finally {
      await first.close()
    }
  })

  it.each([
    ['mysql://root@localhost/db', 'unknown scheme "mysql:"'],
    ['not a url', 'not a valid URL'],
    ['', 'required'],
    ['pglite://', 'names no data directory'],
  ])('rejects %j with a validation error naming the url field', async (url, reason) => {
    const error = await openDatabase(url).catch((e: unknown) => e)
    expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
    expect((error as Error).message).toContain('url')
    expect((error as Error).message).toContain(reason)
  })

  it('creates nothing on disk for a rejected URL', async () => {
    const dir = tempDir()
    await openDatabase(`sqlite://${dir}/never`).catch(() => undefined)
    const { readdirSync } = await import('node:fs')
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('embedded database snapshots', () => {
  const folders: string[] = []
  const cacheDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'skillos-snapshots-'))
    folders.push(dir)
    return dir
  }
  afterAll(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true })
  })

  it('starts a new database from the migrated snapshot, never with another database’s rows', async () => {
    const cache = cacheDir()
    const first = await openDatabase('memory://', { snapshotCache: cache })
    await first.db.insert(tenants).values({ id: 'first', name: 'First' })
    const { readdirSync } = await import('node:fs')
    expect(readdirSync(cache).filter((f) => f.endsWith('.tar.gz'))).toHaveLength(1)

    // The archive itself holds the migrated schema: a later open needs no migration at all.
    const archive = readdirSync(cache).find((f) => f.endsWith('.tar.gz'))!
    const raw = await PGlite.create({
      loadDataDir: new Blob([readFileSync(join(cache, archive))], { type: 'application/x-gzip' }),
    })
    const applied = await raw.query<{ n: number }>(
      'select count(*)::int as n from drizzle.__drizzle_migrations',
    )
    await raw.close()
    expect(applied.rows[0]?.n).toBe((await first.migrationStatus()).available)

    const second = await openDatabase('memory://', { snapshotCache: cache })
    expect(await second.db.select().from(tenants)).toEqual([])
    const status = await second.migrationStatus()
    expect(status.applied).toBe(status.available)
    await second.db.insert(tenants).values({ id: 'second', name: 'Second' })
    expect((await first.db.select().from(tenants)).map((t) => t.id)).toEqual(['first'])
    await Promise.all([first.close(), second.close()])
  })

  it('falls back to a fresh database when the cached snapshot is corrupt, and replaces it', async () => {
    const { readdirSync, readFileSync, statSync, writeFileSync } = await import('node:fs')
    const good = cacheDir()
    await (await openDatabase('memory://', { snapshotCache: good })).close()
    const name = readdirSync(good).find((f) => f.endsWith('.tar.gz'))
    // A damaged archive beside the checksum of the good one, as a torn copy would leave it.
    const corrupt = cacheDir()
    writeFileSync(join(corrupt, `${name!}.sha256`), readFileSync(join(good, `${name!}.sha256`)))
    writeFileSync(join(corrupt, name!), 'not a tarball')

    const database = await openDatabase('memory://', { snapshotCache: corrupt })
    await database.db.insert(tenants).values({ id: 'acme', name: 'Acme' })
    expect((await database.db.select().from(tenants)).map((t) => t.id)).toEqual(['acme'])
    await database.close()
    expect(statSync(join(corrupt, name!)).size).toBeGreaterThan(100_000)
  })

  it('opens an existing data folder as it is, never from the snapshot', async () => {
    const cache = cacheDir()
    const dir = join(cacheDir(), 'db')
    const first = await openDatabase(`pglite://${dir}`, { snapshotCache: cache })
    await first.db.insert(tenants).values({ id: 'kept', name: 'Kept' })
    await first.close()
    const again = await openDatabase(`pglite://${dir}`, { snapshotCache: cache })
    expect((await again.db.select().from(tenants)).map((t) => t.id)).toEqual(['kept'])
    await again.close()
  })
})
