/** One vector of a skill: a skill has one for its whole document and one per example request. */
export interface VectorRecord {
  skillId: string
  vector: Float32Array
  /** Owning tenant; absent for a skill every tenant sees. */
  tenant?: string | undefined
  tags: readonly string[]
}

/**
 * Which skills a query may return: a tenant's own plus shared ones; with `tenants`, the skills of any
 * of those tenants plus shared ones (`[]`: shared only); every listed tag present; with `skillIds`,
 * only those skills. Every condition given applies (a skill index refuses `tenant` with `tenants`).
 */
export interface VectorFilter {
  tenant?: string | undefined
  tenants?: readonly string[] | undefined
  tags?: readonly string[] | undefined
  skillIds?: readonly string[] | undefined
}

export interface VectorHit {
  skillId: string
  /** Cosine similarity of the best vector of the skill (vectors are unit length). */
  score: number
}

/**
 * Where skill vectors live and how the nearest are found. Implemented in-process (exact, or IVF once
 * large), on pgvector and on Qdrant. Every method is scoped by skill id; `upsert` replaces all
 * vectors of each skill it names.
 */
export interface VectorStore {
  /** `memory`, `pgvector`, `qdrant`. */
  readonly kind: string
  upsert(records: readonly VectorRecord[]): Promise<void>
  remove(skillIds: readonly string[]): Promise<void>
  /** The best `limit` skills for `vector`, best vector per skill, highest first. */
  query(
    vector: Float32Array,
    options: { limit: number; filter?: VectorFilter },
  ): Promise<VectorHit[]>
  /**
   * Exact similarities for the given skills (best vector per skill). Optional: a store without it
   * leaves the caller to treat skills it did not return as scoring no higher than the last hit.
   */
  scores?(vector: Float32Array, skillIds: readonly string[]): Promise<Map<string, number>>
  /** The stored vectors of one skill, when the store can give them back (lets an index re-tag a skill without embedding it again). */
  vectorsOf?(skillId: string): Float32Array[] | undefined
  close(): Promise<void>
}

/** Whether a skill with `tenant` and `tags` (and id `skillId`, for a `skillIds` filter) passes `filter`. */
export function matchesFilter(
  tenant: string | undefined,
  tags: readonly string[],
  filter: VectorFilter | undefined,
  skillId?: string,
): boolean {
  if (!filter) return true
  if (
    filter.skillIds !== undefined &&
    (skillId === undefined || !filter.skillIds.includes(skillId))
  )
    return false
  if (filter.tenant !== undefined && tenant !== undefined && tenant !== filter.tenant) return false
  if (filter.tenants !== undefined && tenant !== undefined && !filter.tenants.includes(tenant))
    return false
  if (filter.tags) for (const tag of filter.tags) if (!tags.includes(tag)) return false
  return true
}
