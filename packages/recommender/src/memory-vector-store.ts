import { ValidationError } from '@skillos/contracts'
import { dot } from './embedder.js'
import { FilterIndex } from './filter-index.js'
import { TopK } from './top-k.js'
import type { VectorHit, VectorRecord, VectorStore } from './vector-store.js'

export interface MemoryVectorStoreOptions {
  dimensions: number
  /**
   * From this many vectors on, queries use an inverted-file index (k-means coarse quantiser, probe the
   * nearest lists) instead of scanning every vector (default 2 048). `Infinity` keeps it exact.
   */
  approximateFrom?: number
  /** Lists probed per query in approximate mode (default 12). More is slower and closer to exact. */
  probes?: number
  /**
   * `float32` (default) keeps vectors as given; `int8` keeps each as 8-bit integers with one scale
   * (a quarter of the memory; cosines off by about 0.002, `vectorsOf` returns the dequantised vectors).
   */
  precision?: 'float32' | 'int8'
  /** Inverted lists in approximate mode: √n × this (default 1). */
  listsPerRoot?: number
}

interface SkillEntry {
  ordinal: number
  slots: number[]
}

/** Dimensions the coarse quantiser looks at: hashed features are spread evenly, so a prefix is a smaller projection. */
const COARSE_DIMENSIONS = 64
const TRAIN_SAMPLE = 8_192
const KMEANS_ITERATIONS = 6

/**
 * The in-process vector store: vectors in one growable `Float32Array`, exact brute-force search
 * while small, an IVF index (trained lazily at the first query after the count has doubled) once
 * `approximateFrom` vectors are stored.
 */
export function createMemoryVectorStore(options: MemoryVectorStoreOptions): VectorStore & {
  readonly size: number
  readonly mode: 'exact' | 'approximate'
} {
  const dims = options.dimensions
  if (!Number.isInteger(dims) || dims <= 0) {
    throw new ValidationError('Invalid vector store options', [
      { path: 'dimensions', message: 'must be a positive integer' },
    ])
  }
  const approximateFrom = options.approximateFrom ?? 2_048
  const probes = options.probes ?? 12
  const listsPerRoot = options.listsPerRoot ?? 1
  const int8 = options.precision === 'int8'
  let matrix: Float32Array | Int8Array = int8
    ? new Int8Array(dims * 1024)
    : new Float32Array(dims * 1024)
  /** Per-slot scale of the int8 codes (unused for float32). */
  let scales = new Float64Array(int8 ? 1024 : 0)
  let slotOrdinal = new Int32Array(1024).fill(-1)
  const freeSlots: number[] = []
  let slotCount = 0
  let live = 0
  const skills = new Map<string, SkillEntry>()
  const ordinalSkill: (string | undefined)[] = []
  const freeOrdinals: number[] = []
  /** Tenant and tags of each skill ordinal: a query's filter becomes a bitset checked before scoring. */
  const filters = new FilterIndex()
  let best = new Float32Array(1024)

  // IVF state: centroids (coarse, normalised), list membership, and the size it was trained at.
  let centroids: Float32Array | null = null
  let centroidCount = 0
  let lists: number[][] = []
  let slotList = new Int32Array(1024).fill(-1)
  let trainedAt = 0

  function ensureSlotCapacity(n: number): void {
    if (n <= slotOrdinal.length) return
    const capacity = Math.max(n, slotOrdinal.length * 2)
    const nextMatrix = int8 ? new Int8Array(capacity * dims) : new Float32Array(capacity * dims)
    nextMatrix.set(matrix)
    matrix = nextMatrix
    if (int8) {
      const nextScales = new Float64Array(capacity)
      nextScales.set(scales)
      scales = nextScales
    }
    const nextOrdinal = new Int32Array(capacity).fill(-1)
    nextOrdinal.set(slotOrdinal)
    slotOrdinal = nextOrdinal
    const nextList = new Int32Array(capacity).fill(-1)
    nextList.set(slotList)
    slotList = nextList
  }

  function coarse(vector: Float32Array | Int8Array, offset: number): Float32Array {
    const c = new Float32Array(COARSE_DIMENSIONS)
    let sum = 0
    for (let i = 0; i < COARSE_DIMENSIONS && i < dims; i++) {
      c[i] = vector[offset + i]!
      sum += c[i]! * c[i]!
    }
    if (sum > 0) for (let i = 0; i < c.length; i++) c[i]! /= Math.sqrt(sum)
    return c
  }

  function nearestCentroid(c: Float32Array): number {
    let bestIndex = 0
    let bestScore = -Infinity
    for (let k = 0; k < centroidCount; k++) {
      const s = dot(c, centroids!, k * COARSE_DIMENSIONS)
      if (s > bestScore) {
        bestScore = s
        bestIndex = k
      }
    }
    return bestIndex
  }

  function assign(slot: number): void {
    const list = nearestCentroid(coarse(matrix, slot * dims))
    slotList[slot] = list
    lists[list]!.push(slot)
  }

  function train(): void {
    const liveSlots: number[] = []
    for (let s = 0; s < slotCount; s++) if (slotOrdinal[s]! >= 0) liveSlots.push(s)
    centroidCount = Math.max(16, Math.round(listsPerRoot * Math.sqrt(liveSlots.length)))
    // A deterministic sample: every n-th live vector.
    const step = Math.max(1, Math.floor(liveSlots.length / TRAIN_SAMPLE))
    const sample: Float32Array[] = []
    for (let i = 0; i < liveSlots.length; i += step)
      sample.push(coarse(matrix, liveSlots[i]! * dims))
    centroids = new Float32Array(centroidCount * COARSE_DIMENSIONS)
    for (let k = 0; k < centroidCount; k++) {
      centroids.set(sample[Math.floor((k * sample.length) / centroidCount)]!, k * COARSE_DIMENSIONS)
    }
    const assignment = new Int32Array(sample.length)
    for (let iteration = 0; iteration < KMEANS_ITERATIONS; iteration++) {
      for (let i = 0; i < sample.length; i++) assignment[i] = nearestCentroid(sample[i]!)
      const sums = new Float32Array(centroidCount * COARSE_DIMENSIONS)
      for (let i = 0; i < sample.length; i++) {
        const base = assignment[i]! * COARSE_DIMENSIONS
        const v = sample[i]!
        for (let d = 0; d < COARSE_DIMENSIONS; d++) sums[base + d]! += v[d]!
      }
      for (let k = 0; k < centroidCount; k++) {
        let norm = 0
        for (let d = 0; d < COARSE_DIMENSIONS; d++) norm += sums[k * COARSE_DIMENSIONS + d]! ** 2
        if (norm === 0) continue // an empty cluster keeps its old centre
        const scale = 1 / Math.sqrt(norm)
        for (let d = 0; d < COARSE_DIMENSIONS; d++) {
          centroids[k * COARSE_DIMENSIONS + d] = sums[k * COARSE_DIMENSIONS + d]! * scale
        }
      }
    }
    lists = Array.from({ length: centroidCount }, () => [])
    slotList.fill(-1)
    for (const slot of liveSlots) assign(slot)
    trainedAt = liveSlots.length
    packLists()
  }

  /**
   * Renumber the live slots list by list, so that each inverted list's vectors lie next to each other
   * in `matrix`: a probe then reads memory sequentially instead of jumping across the whole matrix
   * (at 400k vectors, cache misses — not arithmetic — were most of the scoring time). Dead slots are dropped.
   */
  function packLists(): void {
    const renumber = new Int32Array(slotCount).fill(-1)
    const capacity = slotOrdinal.length
    const nextMatrix = int8 ? new Int8Array(capacity * dims) : new Float32Array(capacity * dims)
    const nextScales = new Float64Array(int8 ? capacity : 0)
    const nextOrdinal = new Int32Array(capacity).fill(-1)
    const nextList = new Int32Array(capacity).fill(-1)
    let next = 0
    for (let k = 0; k < centroidCount; k++) {
      const members = lists[k]!
      for (let i = 0; i < members.length; i++) {
        const slot = members[i]!
        renumber[slot] = next
        nextMatrix.set(matrix.subarray(slot * dims, (slot + 1) * dims), next * dims)
        if (int8) nextScales[next] = scales[slot]!
        nextOrdinal[next] = slotOrdinal[slot]!
        nextList[next] = k
        members[i] = next
        next++
      }
    }
    for (const entry of skills.values()) {
      for (let i = 0; i < entry.slots.length; i++) entry.slots[i] = renumber[entry.slots[i]!]!
    }
    matrix = nextMatrix
    scales = nextScales
    slotOrdinal = nextOrdinal
    slotList = nextList
    slotCount = next
    freeSlots.length = 0
  }

  // The query's non-zero coordinates: hashed n-gram queries touch about a fifth of the dimensions,
  // so a sparse dot product does a fifth of the work. Buffers are reused across queries.
  const sparseIndex = new Int32Array(dims)
  const sparseValue = new Float64Array(dims)
  let sparseCount = -1

  /** Prepare `vector` for `similarity`: sparse when at most half of its coordinates are non-zero. */
  function prepare(vector: Float32Array): void {
    let n = 0
    for (let d = 0; d < dims; d++) {
      const v = vector[d]!
      if (v !== 0) {
        sparseIndex[n] = d
        sparseValue[n] = v
        n++
      }
    }
    sparseCount = n <= dims >> 1 ? n : -1
  }

  /** Cosine of the prepared `vector` with the stored vector in `slot`. */
  function similarity(vector: Float32Array, slot: number): number {
    const offset = slot * dims
    const n = sparseCount
    if (n >= 0) {
      let s0 = 0
      let s1 = 0
      let k = 0
      for (; k + 1 < n; k += 2) {
        s0 += sparseValue[k]! * matrix[offset + sparseIndex[k]!]!
        s1 += sparseValue[k + 1]! * matrix[offset + sparseIndex[k + 1]!]!
      }
      if (k < n) s0 += sparseValue[k]! * matrix[offset + sparseIndex[k]!]!
      return int8 ? (s0 + s1) * scales[slot]! : s0 + s1
    }
    if (!int8) return dot(vector, matrix as Float32Array, offset)
    const codes = matrix as Int8Array
    let s0 = 0
    let s1 = 0
    let s2 = 0
    let s3 = 0
    let d = 0
    for (; d + 3 < dims; d += 4) {
      s0 += vector[d]! * codes[offset + d]!
      s1 += vector[d + 1]! * codes[offset + d + 1]!
      s2 += vector[d + 2]! * codes[offset + d + 2]!
      s3 += vector[d + 3]! * codes[offset + d + 3]!
    }
    for (; d < dims; d++) s0 += vector[d]! * codes[offset + d]!
    return (s0 + s1 + s2 + s3) * scales[slot]!
  }

  function write(slot: number, vector: Float32Array): void {
    if (!int8) {
      matrix.set(vector, slot * dims)
      return
    }
    let max = 0
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(vector[d]!))
    const scale = max > 0 ? max / 127 : 0
    scales[slot] = scale
    const offset = slot * dims
    for (let d = 0; d < dims; d++)
      matrix[offset + d] = scale > 0 ? Math.round(vector[d]! / scale) : 0
  }

  function read(slot: number): Float32Array {
    const out = new Float32Array(dims)
    for (let d = 0; d < dims; d++) out[d] = matrix[slot * dims + d]! * (int8 ? scales[slot]! : 1)
    return out
  }

  function removeSkill(skillId: string): void {
    const entry = skills.get(skillId)
    if (!entry) return
    for (const slot of entry.slots) {
      slotOrdinal[slot] = -1
      const list = slotList[slot]!
      if (list >= 0) {
        const members = lists[list]!
        const at = members.indexOf(slot)
        if (at >= 0) members.splice(at, 1)
        slotList[slot] = -1
      }
      freeSlots.push(slot)
      live--
    }
    ordinalSkill[entry.ordinal] = undefined
    filters.delete(entry.ordinal)
    freeOrdinals.push(entry.ordinal)
    skills.delete(skillId)
  }

  function approximate(): boolean {
    return live >= approximateFrom
  }

  return {
    kind: 'memory',
    get size() {
      return live
    },
    get mode() {
      return approximate() ? 'approximate' : 'exact'
    },
    upsert(records) {
      const grouped = new Map<string, VectorRecord[]>()
      for (const record of records) {
        if (record.vector.length !== dims) {
          return Promise.reject(
            new ValidationError('Vector has the wrong length', [
              {
                path: 'vector',
                message: `has ${record.vector.length} dimensions, the store holds ${dims}`,
              },
            ]),
          )
        }
        const group = grouped.get(record.skillId) ?? []
        group.push(record)
        grouped.set(record.skillId, group)
      }
      for (const [skillId, group] of grouped) {
        removeSkill(skillId)
        const ordinal = freeOrdinals.pop() ?? ordinalSkill.length
        ordinalSkill[ordinal] = skillId
        const first = group[0]!
        const entry: SkillEntry = { ordinal, slots: [] }
        filters.set(ordinal, first.tenant, first.tags)
        for (const record of group) {
          const slot = freeSlots.pop() ?? slotCount++
          ensureSlotCapacity(slot + 1)
          write(slot, record.vector)
          slotOrdinal[slot] = ordinal
          entry.slots.push(slot)
          live++
          if (centroids) assign(slot)
        }
        skills.set(skillId, entry)
      }
      if (best.length < ordinalSkill.length) best = new Float32Array(ordinalSkill.length * 2)
      return Promise.resolve()
    },
    remove(skillIds) {
      for (const id of skillIds) removeSkill(id)
      return Promise.resolve()
    },
    query(vector, { limit, filter }) {
      if (vector.length !== dims) return Promise.resolve([])
      // Filtered before scoring: a skill the filter excludes costs a bit test, not a dot product.
      // The lists probed and the order skills are ranked in are those of an unfiltered query, so
      // the hits are exactly the unfiltered ones that pass the filter.
      const passing = filters.select(filter, (id) => skills.get(id)?.ordinal)
      if (passing?.size === 0) return Promise.resolve([])
      const allowed = passing?.words
      const ordinals = ordinalSkill.length
      best.fill(-Infinity, 0, ordinals)
      prepare(vector)
      const visit = (slot: number) => {
        const ordinal = slotOrdinal[slot]!
        if (ordinal < 0) return
        // Out-of-range words read as undefined, which `>>>` turns into 0: not allowed.
        if (allowed && ((allowed[ordinal >>> 5]! >>> (ordinal & 31)) & 1) === 0) return
        const s = similarity(vector, slot)
        if (s > best[ordinal]!) best[ordinal] = s
      }
      if (approximate()) {
        if (!centroids || live > trainedAt * 2 || live < trainedAt / 2) train()
        const c = coarse(vector, 0)
        const nearest = new TopK<number>(probes)
        for (let k = 0; k < centroidCount; k++)
          nearest.push(k, dot(c, centroids!, k * COARSE_DIMENSIONS))
        for (const { item } of nearest.sorted()) for (const slot of lists[item]!) visit(slot)
      } else {
        for (let slot = 0; slot < slotCount; slot++) visit(slot)
      }
      const top = new TopK<number>(limit)
      for (let ordinal = 0; ordinal < ordinals; ordinal++) {
        const s = best[ordinal]!
        if (s === -Infinity || s <= top.threshold) continue
        top.push(ordinal, s)
      }
      const hits: VectorHit[] = top
        .sorted()
        .map(({ item, score }) => ({ skillId: ordinalSkill[item]!, score }))
      return Promise.resolve(hits)
    },
    scores(vector, skillIds) {
      const out = new Map<string, number>()
      if (vector.length === dims) prepare(vector)
      for (const id of skillIds) {
        const entry = skills.get(id)
        if (!entry || vector.length !== dims) continue
        let s = -Infinity
        for (const slot of entry.slots) s = Math.max(s, similarity(vector, slot))
        out.set(id, s)
      }
      return Promise.resolve(out)
    },
    vectorsOf(skillId) {
      return skills.get(skillId)?.slots.map(read)
    },
    close() {
      return Promise.resolve()
    },
  }
}
