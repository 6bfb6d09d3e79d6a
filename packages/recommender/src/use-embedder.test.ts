import { describe, expect, it } from 'vitest'
import { dot } from './embedder.js'
import { createUseEmbedder, isMostlyNonLatin } from './use-embedder.js'

describe('isMostlyNonLatin', () => {
  it('tells Russian from English and treats letterless text as Latin', () => {
    expect(isMostlyNonLatin('переведи 100 долларов в рубли')).toBe(true)
    expect(isMostlyNonLatin('convert 100 USD в рубли')).toBe(false)
    expect(isMostlyNonLatin('100 % 200')).toBe(false)
  })
})

// Loads the real model from the optional @energetic-ai packages (dev dependencies here), offline.
describe('createUseEmbedder', () => {
  it('embeds English offline into unit vectors that put related requests close', async () => {
    const use = await createUseEmbedder()
    expect(use.id).toBe('use-lite-en-v1:d512:latin')
    expect(use.dimensions).toBe(512)
    const [flight, plane, money] = await use.embed([
      'find me a cheap flight to Tokyo',
      'book airline tickets',
      'convert 100 dollars to euros',
    ])
    expect(dot(flight!, flight!)).toBeCloseTo(1, 4)
    expect(dot(flight!, plane!)).toBeGreaterThan(dot(flight!, money!) + 0.1)
  }, 30_000)

  it('returns the zero vector for Russian unless told to embed it', async () => {
    const [zero] = await (await createUseEmbedder()).embed(['погода в Москве'])
    expect(Array.from(zero!).every((x) => x === 0)).toBe(true)
    const [v] = await (await createUseEmbedder({ nonLatin: 'embed' })).embed(['погода в Москве'])
    expect(dot(v!, v!)).toBeCloseTo(1, 4)
  }, 30_000)

  it('refuses bad options', async () => {
    await expect(createUseEmbedder({ batchSize: 0 })).rejects.toThrow(/batchSize/)
  })
})
