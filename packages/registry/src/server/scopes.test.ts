import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMemoryKeyValue, openDatabase, registryEvents, type Database } from '@skillos/store'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDiskBlobStore } from './disk-blob-store.js'
import { createRegistryService, type RegistryService } from './registry-service.js'
import type { Principal } from './types.js'

describe('scopes', () => {
  let database: Database
  let service: RegistryService
  let blobDir: string
  let alice: Principal

  beforeAll(async () => {
    database = await openDatabase('memory://')
    blobDir = await mkdtemp(join(tmpdir(), 'skillos-registry-scopes-'))
    service = await createRegistryService({
      database,
      keyValue: createMemoryKeyValue(),
      blobs: createDiskBlobStore(blobDir),
      tenant: 'scopes-test',
    })
    const { token } = await service.createToken('system', { user: 'alice', role: 'publish' })
    alice = (await service.authenticate(token))!
  })
  afterAll(async () => {
    await service?.close()
    await database?.close()
    await rm(blobDir, { recursive: true, force: true })
  })

  async function updatedEvents(scope: string) {
    return database.db
      .select()
      .from(registryEvents)
      .where(
        and(
          eq(registryEvents.tenantId, 'scopes-test'),
          eq(registryEvents.type, 'scope.updated'),
          eq(registryEvents.subject, scope),
        ),
      )
  }

  it('answers a PUT that changes nothing on an existing scope with the scope as it is', async () => {
    const created = await service.putScope(alice, 'acme', { visibility: 'private' })
    expect(created).toMatchObject({ scope: 'acme', visibility: 'private' })

    const again = await service.putScope(alice, 'acme', {})

    expect(again).toEqual(created)
    expect(await updatedEvents('acme')).toHaveLength(0)
  })

  it('still updates the settings a PUT does send, and records it', async () => {
    await service.putScope(alice, 'globex', { visibility: 'private' })

    const updated = await service.putScope(alice, 'globex', { visibility: 'public' })

    expect(updated.visibility).toBe('public')
    expect(await service.getScope(undefined, 'globex')).toEqual(updated)
    expect((await updatedEvents('globex')).map((event) => event.data)).toEqual([
      { visibility: 'public' },
    ])
  })
})
