import type { VectorFilter } from './vector-store.js'

/**
 * The ordinals a filter lets through, as a bitset: testing one is a shift and a mask, so the BM25
 * postings loop and the vector scan can check every candidate without a map lookup or a callback.
 */
export class OrdinalSet {
  /**
   * @param words bit `o & 31` of word `o >>> 5` is set when ordinal `o` passes; ordinals past the end pass not
   * @param size how many ordinals pass
   */
  constructor(
    readonly words: Uint32Array,
    readonly size: number,
  ) {}

  has(ordinal: number): boolean {
    return ordinal >= 0 && ((this.words[ordinal >>> 5]! >>> (ordinal & 31)) & 1) === 1
  }
}

interface Attributes {
  tenant: string | undefined
  tags: readonly string[]
}

/**
 * Tenant and tag postings over dense, caller-assigned ordinals (an ordinal names one skill, and is
 * reused once that skill is gone). `select` turns a {@link VectorFilter} into the {@link OrdinalSet} of
 * skills that pass it — the same answer as `matchesFilter` on each skill, in time proportional to the
 * smallest tag's skills (tags given) or to the allowed tenants' own skills plus one word copy per 32
 * ordinals (tenants alone), instead of a check per candidate.
 *
 * @example
 * ```ts
 * const filters = new FilterIndex()
 * const bm25 = new Bm25Index()
 * filters.set(0, undefined, ['finance'])
 * bm25.upsert('finance/convert-currency', analyze('convert currency'), 0)
 * bm25.search(analyze('currency'), 10, filters.select({ tenant: 'acme', tags: ['finance'] }))
 * ```
 */
export class FilterIndex {
  private attributes: (Attributes | undefined)[] = []
  /** Skills without a tenant (every tenant sees them), as a bitset over ordinals. */
  private shared = new Uint32Array(32)
  private sharedCount = 0
  private readonly byTenant = new Map<string, Set<number>>()
  private readonly byTag = new Map<string, Set<number>>()

  /** Set (or replace) the tenant and tags of the skill at `ordinal`. */
  set(ordinal: number, tenant: string | undefined, tags: readonly string[]): void {
    this.delete(ordinal)
    this.attributes[ordinal] = { tenant, tags }
    if (tenant === undefined) {
      const word = ordinal >>> 5
      if (word >= this.shared.length) {
        const grown = new Uint32Array(Math.max(word + 1, this.shared.length * 2))
        grown.set(this.shared)
        this.shared = grown
      }
      this.shared[word]! |= 1 << (ordinal & 31)
      this.sharedCount++
    } else {
      add(this.byTenant, tenant, ordinal)
    }
    for (const tag of tags) add(this.byTag, tag, ordinal)
  }

  /** Forget the skill at `ordinal` (nothing happens when it holds none). */
  delete(ordinal: number): void {
    const current = this.attributes[ordinal]
    if (!current) return
    this.attributes[ordinal] = undefined
    if (current.tenant === undefined) {
      this.shared[ordinal >>> 5]! &= ~(1 << (ordinal & 31))
      this.sharedCount--
    } else {
      drop(this.byTenant, current.tenant, ordinal)
    }
    for (const tag of current.tags) drop(this.byTag, tag, ordinal)
  }

  /**
   * The ordinals that pass `filter`: skills of `filter.tenant` (or of any of `filter.tenants`; both
   * given, of the one tenant when it is listed, else none) plus shared ones, carrying every tag of
   * `filter.tags`, and among `filter.skillIds` when given (`ordinalOf` says which ordinal holds a
   * skill id; required then). Undefined when the filter lets everything through.
   */
  select(
    filter: VectorFilter | undefined,
    ordinalOf?: (skillId: string) => number | undefined,
  ): OrdinalSet | undefined {
    const tenants = allowedTenants(filter)
    const tags = [...new Set(filter?.tags ?? [])]
    const ids = filter?.skillIds
    if (tenants === undefined && tags.length === 0 && ids === undefined) return undefined
    const words = new Uint32Array(Math.max(this.shared.length, (this.attributes.length + 31) >>> 5))
    let size = 0
    if (ids !== undefined) {
      // Listed skills: time proportional to the list, whatever else the filter asks.
      if (!ordinalOf) throw new Error('FilterIndex.select: skillIds need ordinalOf')
      for (const id of ids) {
        const ordinal = ordinalOf(id)
        const held = ordinal === undefined ? undefined : this.attributes[ordinal]
        if (!held) continue
        if (tenants !== undefined && held.tenant !== undefined && !tenants.has(held.tenant))
          continue
        if (!tags.every((tag) => held.tags.includes(tag))) continue
        const word = ordinal! >>> 5
        const bit = 1 << (ordinal! & 31)
        if ((words[word]! & bit) !== 0) continue
        words[word]! |= bit
        size++
      }
      return new OrdinalSet(words, size)
    }
    if (tags.length === 0) {
      // Tenants alone: the shared bitset, plus each tenant's own skills (a skill has one tenant,
      // so the tenants' postings are disjoint and their sizes add up).
      words.set(this.shared)
      size = this.sharedCount
      for (const tenant of tenants!) {
        for (const ordinal of this.byTenant.get(tenant) ?? []) {
          words[ordinal >>> 5]! |= 1 << (ordinal & 31)
          size++
        }
      }
      return new OrdinalSet(words, size)
    }
    const sets: Set<number>[] = []
    for (const tag of tags) {
      const members = this.byTag.get(tag)
      if (!members) return new OrdinalSet(words, 0)
      sets.push(members)
    }
    sets.sort((a, b) => a.size - b.size)
    const [smallest, ...others] = sets
    const shared = this.shared
    const attributes = this.attributes
    candidates: for (const ordinal of smallest!) {
      const word = ordinal >>> 5
      const bit = 1 << (ordinal & 31)
      // A skill that is not shared has a tenant: one set lookup, however many tenants are allowed.
      if (
        tenants !== undefined &&
        (shared[word]! & bit) === 0 &&
        !tenants.has(attributes[ordinal]!.tenant!)
      )
        continue
      for (const members of others) if (!members.has(ordinal)) continue candidates
      words[word]! |= bit
      size++
    }
    return new OrdinalSet(words, size)
  }
}

/**
 * The tenants whose own skills a filter lets through (shared skills always pass), or undefined when
 * it does not restrict tenants. `tenant` and `tenants` together allow their intersection.
 */
function allowedTenants(filter: VectorFilter | undefined): ReadonlySet<string> | undefined {
  const tenant = filter?.tenant
  const tenants = filter?.tenants
  if (tenants === undefined) return tenant === undefined ? undefined : new Set([tenant])
  if (tenant === undefined) return new Set(tenants)
  return new Set(tenants.includes(tenant) ? [tenant] : [])
}

function add(index: Map<string, Set<number>>, key: string, ordinal: number): void {
  let members = index.get(key)
  if (!members) {
    members = new Set()
    index.set(key, members)
  }
  members.add(ordinal)
}

function drop(index: Map<string, Set<number>>, key: string, ordinal: number): void {
  const members = index.get(key)
  if (!members) return
  members.delete(ordinal)
  if (members.size === 0) index.delete(key)
}
