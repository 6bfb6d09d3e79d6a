import { describe, expect, it } from 'vitest'
import { dot, normalizeVector } from './embedder.js'
import { createHashEmbedder } from './hash-embedder.js'
import { analyze, isStopword, splitWords } from './text.js'

/** The embedder as first written, with a `Map` of counts: vectors stored by it must still match. */
function referenceEmbed(text: string, dimensions = 512, minGram = 3, maxGram = 5): Float32Array {
  const counts = new Map<number, number>()
  const add = (h: number) => counts.set(h, (counts.get(h) ?? 0) + 1)
  for (const word of splitWords(text)) {
    if (isStopword(word)) continue
    const padded = `<${word}>`
    let whole = 0x811c9dc5 ^ 0x5bd1e995
    for (let i = 0; i < padded.length; i++)
      whole = Math.imul(whole ^ padded.charCodeAt(i), 0x01000193)
    add(whole)
    for (let start = 0; start + minGram <= padded.length; start++) {
      let h = 0x811c9dc5
      for (let end = start; end < padded.length && end - start < maxGram; end++) {
        h = Math.imul(h ^ padded.charCodeAt(end), 0x01000193)
        if (end - start + 1 >= minGram) add(h)
      }
    }
  }
  const vector = new Float32Array(dimensions)
  for (const [h, count] of counts) {
    let m = h ^ (h >>> 16)
    m = Math.imul(m, 0x85ebca6b)
    m ^= m >>> 13
    m = Math.imul(m, 0xc2b2ae35)
    m = (m ^ (m >>> 16)) >>> 0
    const weight = 1 + Math.log(count)
    vector[m % dimensions]! += m & 0x80000000 ? -weight : weight
  }
  return normalizeVector(vector)
}

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

  it('gives the same vectors, to the last bit, as the first implementation', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i} слово${i} createQrCode${i}`)
    const texts = [
      'double the number 21',
      'переведи 250 евро в рубли',
      'Ёлка и ёж: the createQrCode AI2sql flights',
      'a a a a the the number number number',
      long.join(' '),
      '',
    ]
    for (const [dimensions, minGram, maxGram] of [
      [512, 3, 5],
      [64, 2, 4],
      [1024, 1, 8],
    ] as const) {
      const embedder = createHashEmbedder({ dimensions, minGram, maxGram })
      // Twice over, so the reused table is cleared and grown between texts.
      const vectors = await embedder.embed([...texts, ...texts])
      vectors.forEach((vector, i) => {
        const expected = referenceEmbed(texts[i % texts.length]!, dimensions, minGram, maxGram)
        expect(Buffer.from(vector.buffer)).toEqual(Buffer.from(expected.buffer))
      })
    }
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
