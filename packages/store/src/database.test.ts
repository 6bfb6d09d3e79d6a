import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SkillOSError } from '@skillos/contracts'
import { eq } from 'drizzle-orm'
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
