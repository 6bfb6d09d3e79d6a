import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * A fresh PGlite runs initdb and our migrations: 2–5 s on a small machine. A migrated data folder
 * loaded from a gzip snapshot starts in well under a second, so the first open in a process saves a
 * snapshot and later opens of empty databases start from it. The snapshot is keyed by the PGlite
 * version and every migration's text, kept per user (never in a shared temp folder), written
 * atomically, and dropped if it fails to load. It is only a cache: any failure falls back to initdb.
 */
export interface PgliteTemplateCache {
  load(): Blob | undefined
  save(pg: {
    query(sql: string): Promise<unknown>
    dumpDataDir(compression: 'gzip'): Promise<Blob>
  }): Promise<void>
  discard(): void
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Snapshots already read in this process, by cache file. */
const memo = new Map<string, Blob>()

function pgliteVersion(): string {
  try {
    // The package does not export its package.json: find it beside the resolved entry point.
    const manifest = new URL('../package.json', import.meta.resolve('@electric-sql/pglite'))
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

export function createPgliteTemplateCache(
  migrationsFolder: string,
  tags: readonly string[],
  folder: string,
): PgliteTemplateCache {
  // The format's version first: snapshots saved before the checkpoint above could lack the
  // migrations, so they are not reused (and are cleared when the next snapshot is saved).
  const hash = createHash('sha256').update(`checkpointed:${pgliteVersion()}`)
  for (const tag of tags) hash.update(readFileSync(join(migrationsFolder, `${tag}.sql`)))
  const key = hash.digest('hex').slice(0, 24)
  const file = join(folder, `pglite-template-${key}.tar.gz`)

  const cache: PgliteTemplateCache = {
    load() {
      const cached = memo.get(file)
      if (cached) return cached
      try {
        const bytes = readFileSync(file)
        // PGlite fails on a damaged archive with an error it does not catch itself, so only a
        // snapshot whose checksum matches is handed to it.
        if (readFileSync(`${file}.sha256`, 'utf8') !== sha256(bytes)) {
          cache.discard()
          return undefined
        }
        const blob = new Blob([bytes], { type: 'application/x-gzip' })
        memo.set(file, blob)
        return blob
      } catch {
        return undefined
      }
    },
    async save(pg) {
      try {
        // Commits may still sit in the write-ahead log's buffers (`memory://` runs with
        // `synchronous_commit=off`): a checkpoint writes everything, so the archive holds the
        // migrated schema and not an older one.
        await pg.query('checkpoint')
        const blob = await pg.dumpDataDir('gzip')
        memo.set(file, blob)
        mkdirSync(folder, { recursive: true, mode: 0o700 })
        const bytes = Buffer.from(await blob.arrayBuffer())
        const partial = `${file}.${process.pid}.partial`
        writeFileSync(`${file}.sha256`, sha256(bytes), { mode: 0o600 })
        writeFileSync(partial, bytes, { mode: 0o600 })
        renameSync(partial, file)
        // Snapshots of older schemas are dead weight once the migrations change.
        for (const name of readdirSync(folder)) {
          if (name.startsWith('pglite-template-') && !name.startsWith(`pglite-template-${key}`)) {
            rmSync(join(folder, name), { force: true })
          }
        }
      } catch {
        // A read-only home or a full disk only costs speed.
      }
    },
    discard() {
      memo.delete(file)
      rmSync(file, { force: true })
      rmSync(`${file}.sha256`, { force: true })
    },
  }
  return cache
}
