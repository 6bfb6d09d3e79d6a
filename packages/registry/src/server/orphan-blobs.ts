import { registryVersions } from '@skillos/store'
import { integrityOfBlobKey } from './blob-store.js'
import { HOUR } from './checks.js'
import type { ServiceContext } from './context.js'

/**
 * Delete the blobs no live version of the tenant references, when older than `olderThanMs`
 * (default 1 h). A publish writes its blob before its transaction, so a crash can leave one
 * behind; the age margin keeps the sweep away from publishes still in flight.
 */
export async function sweepOrphanBlobs(
  ctx: ServiceContext,
  sweep: { olderThanMs?: number } = {},
): Promise<{ deleted: string[] }> {
  const { db, blobs, where, logger } = ctx
  const olderThan = Date.now() - (sweep.olderThanMs ?? HOUR)
  const deleted: string[] = []
  for await (const entry of blobs.list()) {
    if (entry.modifiedAt.getTime() > olderThan) continue
    const integrity = integrityOfBlobKey(entry.key)
    if (!integrity) continue
    const [used] = await db
      .select({ version: registryVersions.version })
      .from(registryVersions)
      .where(where.liveVersionsWithIntegrity(integrity))
      .limit(1)
    if (used) continue
    if (await blobs.delete(entry.key)) deleted.push(entry.key)
  }
  if (deleted.length > 0) logger?.info({ count: deleted.length }, 'orphan blobs swept')
  return { deleted }
}
