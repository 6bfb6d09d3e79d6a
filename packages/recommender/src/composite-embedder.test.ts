import { describe, expect, it } from 'vitest'
import { createCompositeEmbedder } from './composite-embedder.js'
import { dot, type Embedder } from './embedder.js'
import { createHashEmbedder } from './hash-embedder.js'

/** A fixed embedder: every text maps to `table[text]` (zero vector when absent). */
function fixed(id: string, table: Record<string, number[]>, dimensions = 2): Embedder {
  return {
    id,
    dimensions,
    embed: (texts) =>
      Promise.resolve(
        texts.map((t) => Float32Array.from(table[t] ?? new Array<number>(dimensions).fill(0))),
      ),
  }
}

describe('createCompositeEmbedder', () => {
  it('makes the cosine the weighted sum of the parts’ cosines', async () => {
    const a = fixed('a', { x: [1, 0], y: [0, 1] })
    const b = fixed('b', { x: [1, 0], y: [1, 0] })
    const composite = createCompositeEmbedder([
      { embedder: a, weight: 3 },
      { embedder: b, weight: 1 },
    ])
    expect(composite.dimensions).toBe(4)
    expect(composite.id).toBe('composite(a*0.750+b*0.250)')
    const [x, y] = await composite.embed(['x', 'y'])
    expect(dot(x!, x!)).toBeCloseTo(1, 6)
    expect(dot(x!, y!)).toBeCloseTo(0.25, 6) // 0.75 · 0 + 0.25 · 1
  })

  it('lets the other parts carry a text one part returns the zero vector for', async () => {
    const a = fixed('a', { x: [1, 0] })
    const b = fixed('b', { x: [0, 1], z: [0, 1] })
    const composite = createCompositeEmbedder([
      { embedder: a, weight: 0.5 },
      { embedder: b, weight: 0.5 },
    ])
    const [x, z] = await composite.embed(['x', 'z'])
    expect(dot(z!, z!)).toBeCloseTo(1, 6)
    expect(dot(x!, z!)).toBeCloseTo(Math.SQRT1_2, 6)
  })

  it('refuses empty parts and bad weights', () => {
    const hash = createHashEmbedder({ dimensions: 16 })
    expect(() => createCompositeEmbedder([])).toThrow(/composite/)
    expect(() => createCompositeEmbedder([{ embedder: hash, weight: -1 }])).toThrow(/composite/)
    expect(() => createCompositeEmbedder([{ embedder: hash, weight: 0 }])).toThrow(/positive/)
  })
})
