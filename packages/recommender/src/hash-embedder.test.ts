import { describe, expect, it } from 'vitest'
import { dot } from './embedder.js'
import { createHashEmbedder } from './hash-embedder.js'
import { analyze } from './text.js'

describe('createHashEmbedder', () => {
  it('is deterministic and unit length', async () => {
    const embedder = createHashEmbedder()
    const [a] = await embedder.embed(['Convert currency'])
    const [b] = await createHashEmbedder().embed(['Convert currency'])
    expect(Array.from(a!)).toEqual(Array.from(b!))
    expect(dot(a!, a!)).toBeCloseTo(1, 5)
    expect(embedder.id).toBe('hash-ngram-v1:d512:g3-5')
  })

  it('puts Russian word forms close together and unrelated text far apart', async () => {
    const [a, b, c] = await createHashEmbedder().embed([
      'перевести деньги',
      'перевод денег',
      'погода в Москве',
    ])
    expect(dot(a!, b!)).toBeGreaterThan(0.2)
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!) + 0.2)
  })

  it('folds ё and case, so Ёлка and елка embed alike', async () => {
    const [a, b] = await createHashEmbedder().embed(['Ёлка', 'елка'])
    expect(dot(a!, b!)).toBeCloseTo(1, 5)
  })

  it('gives an empty or symbol-only text the zero vector', async () => {
    const [v] = await createHashEmbedder({ dimensions: 64 }).embed(['%%% ###'])
    expect(Array.from(v!).every((x) => x === 0)).toBe(true)
  })
})

describe('analyze', () => {
  it('stems by script, drops stopwords and splits identifiers', () => {
    expect(analyze('переведи 100 долларов в рубли')).toEqual(['перевед', '100', 'доллар', 'рубл'])
    expect(analyze('The createQrCode flights')).toEqual(['creat', 'qr', 'code', 'flight'])
  })
})
