import { readFileSync } from 'node:fs'
import { join } from 'node:path'

interface Journal {
  entries: { idx: number; tag: string }[]
}

/** Tags of the migrations shipped in `folder` (drizzle-kit's `meta/_journal.json`), oldest first. */
export function readMigrationJournal(folder: string): string[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as Journal
  return journal.entries.toSorted((a, b) => a.idx - b.idx).map((e) => e.tag)
}
