import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { UnavailableError } from '@skillos/contracts'
import type { BlobEntry, BlobStore } from './blob-store.js'
import { integrityOfBlobKey } from './blob-store.js'

function checkKey(key: string): string {
  if (integrityOfBlobKey(key) === undefined) throw new Error(`Invalid blob key "${key}"`)
  return key
}

/**
 * A blob store in a local folder: `<root>/<2 hex>/<key>`. A put writes a temporary file in the same
 * folder, fsyncs it, renames it into place and fsyncs the folder, so a crash leaves either no blob or
 * the whole blob — never a partial one under its final name.
 *
 * @example
 * ```ts
 * const blobs = createDiskBlobStore('./.skillos/registry-blobs')
 * await blobs.put(blobKeyOf(packed.integrity), packed.tarball)
 * ```
 */
export function createDiskBlobStore(root: string): BlobStore {
  const base = resolve(root)
  const pathOf = (key: string) => join(base, checkKey(key).slice(0, 2), key)

  async function fsyncDirectory(directory: string): Promise<void> {
    const handle = await open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  }

  return {
    description: `disk ${base}`,
    async put(key, bytes) {
      const target = pathOf(key)
      const folder = join(base, key.slice(0, 2))
      const existing = await stat(target).catch(() => undefined)
      if (existing?.size === bytes.length) return
      await mkdir(folder, { recursive: true })
      const temporary = join(folder, `.${key.slice(0, 16)}.${randomBytes(6).toString('hex')}.tmp`)
      const handle = await open(temporary, 'wx', 0o644)
      try {
        await handle.writeFile(bytes)
        await handle.sync()
      } catch (error) {
        await handle.close()
        await unlink(temporary).catch(() => undefined)
        throw error
      }
      await handle.close()
      try {
        await rename(temporary, target)
      } catch (error) {
        await unlink(temporary).catch(() => undefined)
        throw error
      }
      await fsyncDirectory(folder)
    },
    async get(key) {
      try {
        return await readFile(pathOf(key))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    async delete(key) {
      try {
        await unlink(pathOf(key))
        return true
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
        throw error
      }
    },
    async *list(): AsyncIterable<BlobEntry> {
      const folders = await readdir(base).catch(() => [] as string[])
      for (const folder of folders) {
        if (!/^[0-9a-f]{2}$/.test(folder)) continue
        for (const name of await readdir(join(base, folder)).catch(() => [] as string[])) {
          const path = join(base, folder, name)
          if (name.endsWith('.tmp')) {
            // A temporary file left by a crash mid-put: report it so the sweep can remove it.
            const info = await stat(path).catch(() => undefined)
            if (info && Date.now() - info.mtimeMs > 60 * 60 * 1000) await rm(path, { force: true })
            continue
          }
          if (integrityOfBlobKey(name) === undefined) continue
          const info = await stat(path).catch(() => undefined)
          if (info) yield { key: name, size: info.size, modifiedAt: info.mtime }
        }
      }
    },
    async ping() {
      try {
        await mkdir(base, { recursive: true })
        const probe = join(base, `.ping-${randomBytes(6).toString('hex')}`)
        const handle = await open(probe, 'wx')
        await handle.close()
        await unlink(probe)
      } catch (cause) {
        throw new UnavailableError(
          `The registry blob folder ${base} is not writable`,
          { url: base, service: 'blob store' },
          cause,
        )
      }
    },
  }
}
