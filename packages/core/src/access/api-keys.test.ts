import { openDatabase, type Database } from '@skillos/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKeys } from './api-keys.js'

let database: Database
let clock = Date.parse('2026-11-21T10:00:00Z')

beforeAll(async () => {
  database = await openDatabase('memory://')
})
afterAll(async () => {
  await database?.close()
})

describe('API keys', () => {
  it('mints a key shown once, stores only its hash, and verifies it to its tenant and principal', async () => {
    const keys = createApiKeys(database, () => clock)
    const { key, info } = await keys.create('acme', {
      name: 'ci',
      principalId: 'ci-bot',
      roles: ['analyst'],
    })
    expect(key).toMatch(/^sk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/)
    const rows = await database.db.execute('select secret_hash from api_keys' as never)
    expect(JSON.stringify(rows)).not.toContain(key.split('_').slice(2).join('_'))
    expect(await keys.verify(key)).toEqual({
      tenant: 'acme',
      keyId: info.id,
      principal: { id: 'ci-bot', roles: ['analyst'] },
    })
    expect(await keys.list('acme')).toHaveLength(1)
    expect(await keys.list('globex')).toEqual([])
  })

  it('refuses a wrong secret, a revoked key, an expired key and malformed input', async () => {
    const keys = createApiKeys(database, () => clock)
    const { key, info } = await keys.create('acme', {
      name: 'temp',
      principalId: 'tmp',
      expiresAt: new Date(clock + 60_000),
    })
    const wrong = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    expect(await keys.verify(wrong)).toBeUndefined()
    for (const bad of ['', 'sk_', 'Bearer x', key + 'x'])
      expect(await keys.verify(bad)).toBeUndefined()
    clock += 61_000
    expect(await keys.verify(key)).toBeUndefined()
    const other = await keys.create('acme', { name: 'other', principalId: 'o' })
    expect(await keys.revoke('globex', other.info.id)).toBe(false)
    expect(await keys.verify(other.key)).toBeDefined()
    expect(await keys.revoke('acme', other.info.id)).toBe(true)
    expect(await keys.verify(other.key)).toBeUndefined()
    void info
  })

  it('lists a tenant keys oldest first with their prefix, and keeps the first revocation time', async () => {
    const keys = createApiKeys(database, () => clock)
    const { key, info } = await keys.create('initech', { name: 'a', principalId: 'p' })
    clock += 1000
    await keys.create('initech', { name: 'b', principalId: 'p', roles: ['approver'] })
    expect(info.prefix).toBe(key.split('_').slice(0, 2).join('_'))
    const listed = await keys.list('initech')
    expect(listed.map((k) => k.name)).toEqual(['a', 'b'])
    expect(JSON.stringify(listed)).not.toContain(key.split('_').slice(2).join('_'))
    expect(await keys.revoke('initech', info.id)).toBe(true)
    const revokedAt = (await keys.list('initech'))[0]?.revokedAt
    expect(revokedAt?.getTime()).toBe(clock)
    clock += 5000
    expect(await keys.revoke('initech', info.id)).toBe(true)
    expect((await keys.list('initech'))[0]?.revokedAt).toEqual(revokedAt)
  })

  it('refuses an expiry that has passed already, naming the field', async () => {
    const keys = createApiKeys(database, () => clock)
    await expect(
      keys.create('acme', { name: 'late', principalId: 'p', expiresAt: new Date(clock - 1) }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'expiresAt' }] })
  })
})
