import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { describeBlobStore } from './blob-store.contract.js'
import { blobKeyOf, integrityOfBlobKey } from './blob-store.js'
import { createDiskBlobStore } from './disk-blob-store.js'

describeBlobStore('local disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skillos-blobs-'))
  return {
    store: createDiskBlobStore(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
})

describe('local disk blob store', () => {
  it('leaves no temporary file behind and files blobs under a two-hex-digit folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skillos-blobs-'))
    try {
      const store = createDiskBlobStore(dir)
      const key = 'ab'.repeat(64)
      await store.put(key, new Uint8Array([1, 2, 3]))
      expect(await readdir(dir)).toEqual(['ab'])
      expect(await readdir(join(dir, 'ab'))).toEqual([key])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('fails loudly, naming the folder, when it cannot write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skillos-blobs-'))
    const file = join(dir, 'not-a-folder')
    await writeFile(file, 'x')
    try {
      const error = await createDiskBlobStore(file)
        .ping()
        .catch((e: unknown) => e)
      expect(SkillOSError.is(error, 'UNAVAILABLE')).toBe(true)
      expect((error as Error).message).toContain(file)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('maps integrity to key and back, and refuses anything but sha512', () => {
    const integrity = `sha512-${Buffer.alloc(64, 7).toString('base64')}`
    expect(integrityOfBlobKey(blobKeyOf(integrity))).toBe(integrity)
    expect(() => blobKeyOf('sha256-abc')).toThrow(/sha512/)
    expect(integrityOfBlobKey('../../etc/passwd')).toBeUndefined()
  })
})
