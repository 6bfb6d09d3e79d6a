import type { Database } from '@skillos/store'
import { skillIndexEntries } from '@skillos/store'
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { SkillDocument } from './skill-document.js'

export interface PersistedEntry {
  document: SkillDocument
  textHash: string
  vectors: Float32Array[]
}

export function encodeVectors(vectors: readonly Float32Array[], dimensions: number): Uint8Array {
  const flat = new Float32Array(vectors.length * dimensions)
  vectors.forEach((v, i) => flat.set(v, i * dimensions))
  return new Uint8Array(flat.buffer)
}

export function decodeVectors(bytes: Uint8Array, dimensions: number): Float32Array[] {
  // Copy: the driver's buffer may be unaligned or shared.
  const flat = new Float32Array(new Uint8Array(bytes).buffer)
  const out: Float32Array[] = []
  for (let i = 0; i + dimensions <= flat.length; i += dimensions)
    out.push(flat.slice(i, i + dimensions))
  return out
}

/** The index's rows in the store, for one owning tenant and one embedder. */
export function createEntryRepository(database: Database, tenant: string, embedderId: string) {
  const scope = and(
    eq(skillIndexEntries.tenantId, tenant),
    eq(skillIndexEntries.embedderId, embedderId),
  )
  return {
    async load(dimensions: number): Promise<PersistedEntry[]> {
      const rows = await database.db.select().from(skillIndexEntries).where(scope)
      return rows
        .filter((row) => row.dimensions === dimensions)
        .map((row) => ({
          document: row.document as unknown as SkillDocument,
          textHash: row.textHash,
          vectors: decodeVectors(row.vectors, row.dimensions),
        }))
    },
    async save(entries: readonly PersistedEntry[], dimensions: number): Promise<void> {
      if (entries.length === 0) return
      await database.transaction(async (tx) => {
        for (let i = 0; i < entries.length; i += 500) {
          const rows = entries.slice(i, i + 500).map((entry) => ({
            tenantId: tenant,
            skillId: entry.document.id,
            embedderId,
            textHash: entry.textHash,
            dimensions,
            vectors: encodeVectors(entry.vectors, dimensions),
            document: entry.document as unknown as Record<string, unknown>,
            updatedAt: new Date(),
          }))
          await tx
            .insert(skillIndexEntries)
            .values(rows)
            .onConflictDoUpdate({
              target: [
                skillIndexEntries.tenantId,
                skillIndexEntries.embedderId,
                skillIndexEntries.skillId,
              ],
              set: {
                textHash: sql`excluded.text_hash`,
                dimensions: sql`excluded.dimensions`,
                vectors: sql`excluded.vectors`,
                document: sql`excluded.document`,
                updatedAt: sql`excluded.updated_at`,
              },
            })
        }
      })
    },
    async remove(skillIds: readonly string[]): Promise<void> {
      if (skillIds.length === 0) return
      await database.db
        .delete(skillIndexEntries)
        .where(and(scope, inArray(skillIndexEntries.skillId, [...skillIds])))
    },
  }
}
