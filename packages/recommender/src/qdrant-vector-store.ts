import { createHash } from 'node:crypto'
import { QdrantClient } from '@qdrant/js-client-rest'
import { maskUrl, UnavailableError, ValidationError } from '@skillos/contracts'
import type { VectorFilter, VectorHit, VectorRecord, VectorStore } from './vector-store.js'

export interface QdrantVectorStoreOptions {
  /** e.g. `http://127.0.0.1:6333`. */
  url: string
  apiKey?: string
  /** Collection name (default `skillos_skills`); created with cosine distance when missing. */
  collection?: string
  dimensions: number
}

type Filter = { must: unknown[] }

/** A deterministic point id (Qdrant takes UUIDs or integers): sha256 of skill id + ordinal as a UUID. */
function pointId(skillId: string, ordinal: number): string {
  const hex = createHash('sha256').update(`${skillId}\u0000${ordinal}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

function toFilter(filter: VectorFilter | undefined): Filter | undefined {
  const must: unknown[] = []
  if (filter?.tenant !== undefined) {
    must.push({
      should: [{ key: 'tenant', match: { value: filter.tenant } }, { is_empty: { key: 'tenant' } }],
    })
  }
  if (filter?.tenants !== undefined) {
    // No tenant listed: shared skills only (a `match.any` of nothing is not a filter to rely on).
    must.push(
      filter.tenants.length === 0
        ? { is_empty: { key: 'tenant' } }
        : {
            should: [
              { key: 'tenant', match: { any: [...filter.tenants] } },
              { is_empty: { key: 'tenant' } },
            ],
          },
    )
  }
  if (filter?.skillIds !== undefined)
    must.push({ key: 'skill_id', match: { any: [...filter.skillIds] } })
  for (const tag of filter?.tags ?? []) must.push({ key: 'tags', match: { value: tag } })
  return must.length > 0 ? { must } : undefined
}

/**
 * Skill vectors in a Qdrant collection (`@qdrant/js-client-rest`, the `query` API). One point per
 * vector with payload `{ skill_id, tenant, tags }`; results are grouped per skill. A server that
 * cannot be reached fails with `UNAVAILABLE` naming the URL.
 */
export async function createQdrantVectorStore(
  options: QdrantVectorStoreOptions,
): Promise<VectorStore> {
  if (!Number.isInteger(options.dimensions) || options.dimensions <= 0) {
    throw new ValidationError('Invalid Qdrant options', [
      { path: 'dimensions', message: 'must be a positive integer' },
    ])
  }
  const collection = options.collection ?? 'skillos_skills'
  const target = maskUrl(options.url)
  const client = new QdrantClient({
    url: options.url,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    checkCompatibility: false,
  })

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (cause) {
      throw new UnavailableError(
        `Qdrant at ${target} failed to ${what}`,
        { url: target, service: 'qdrant' },
        cause,
      )
    }
  }

  const { exists } = await call('answer', () => client.collectionExists(collection))
  if (!exists) {
    await call('create the collection', () =>
      client.createCollection(collection, {
        vectors: { size: options.dimensions, distance: 'Cosine' },
      }),
    )
  }

  async function removeSkills(skillIds: readonly string[]): Promise<void> {
    if (skillIds.length === 0) return
    await call('delete points', () =>
      client.delete(collection, {
        wait: true,
        filter: { must: [{ key: 'skill_id', match: { any: [...skillIds] } }] },
      }),
    )
  }

  return {
    kind: 'qdrant',
    async upsert(records: readonly VectorRecord[]) {
      await removeSkills([...new Set(records.map((r) => r.skillId))])
      const ordinals = new Map<string, number>()
      const points = records.map((record) => {
        const ordinal = ordinals.get(record.skillId) ?? 0
        ordinals.set(record.skillId, ordinal + 1)
        return {
          id: pointId(record.skillId, ordinal),
          vector: Array.from(record.vector),
          payload: {
            skill_id: record.skillId,
            tenant: record.tenant ?? null,
            tags: [...record.tags],
          },
        }
      })
      for (let i = 0; i < points.length; i += 256) {
        await call('upsert points', () =>
          client.upsert(collection, { wait: true, points: points.slice(i, i + 256) }),
        )
      }
    },
    remove: removeSkills,
    async query(vector, { limit, filter }): Promise<VectorHit[]> {
      // No skill listed: nothing can pass (and an empty `match.any` is not a filter to rely on).
      if (filter?.skillIds?.length === 0) return []
      const result = await call('query', () =>
        client.queryGroups(collection, {
          query: Array.from(vector),
          group_by: 'skill_id',
          group_size: 1,
          limit,
          ...(toFilter(filter) ? { filter: toFilter(filter) } : {}),
        }),
      )
      return result.groups.map((group) => ({
        skillId: String(group.id),
        score: group.hits[0]?.score ?? 0,
      }))
    },
    async close() {},
  }
}
