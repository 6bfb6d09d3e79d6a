import { ConfigError, type Config } from '@skillos/contracts'
import {
  createHashEmbedder,
  createOpenAIEmbedder,
  createPgvectorVectorStore,
  createQdrantVectorStore,
  createSkillIndex,
  type Embedder,
  type SkillIndex,
  type VectorStore,
} from '@skillos/recommender'

/**
 * The skill index the configuration asks for:
 * - `embedder.provider: openai`: an OpenAI-compatible `/embeddings` endpoint (Ollama, vLLM,
 *   OpenAI). Otherwise it is the built-in offline embedder.
 * - `vector.url`: Qdrant (`http(s)://`) or pgvector (`postgres://`). Otherwise vectors stay in
 *   process.
 * - `routing.threshold`: the least confidence that runs the best match.
 *
 * An endpoint that does not answer fails here, naming its URL. Nothing falls back silently to the
 * in-process default.
 */
export async function createSkillIndexFromConfig(config: Config): Promise<SkillIndex> {
  const embedder = await createEmbedderFromConfig(config)
  const vectorStore = config.vector.url
    ? await vectorStoreAt(config.vector.url, embedder.dimensions)
    : undefined
  return createSkillIndex({
    embedder,
    ...(vectorStore ? { vectorStore } : {}),
    ...(config.routing.threshold === undefined ? {} : { threshold: config.routing.threshold }),
  })
}

/**
 * The embedder the configuration names: with `embedder.provider: openai`, an OpenAI-compatible
 * `/embeddings` endpoint, asked once now so that one that does not answer fails here with its URL;
 * otherwise the built-in offline embedder. The orchestrator's index and the registry's search use
 * it alike.
 *
 * @example
 * ```ts
 * const { config } = await loadConfig({ env: process.env })
 * const embedder = await createEmbedderFromConfig(config)
 * ```
 */
export async function createEmbedderFromConfig(
  config: Pick<Config, 'embedder'>,
): Promise<Embedder> {
  return config.embedder.provider === 'openai' ? remoteEmbedder(config) : createHashEmbedder()
}

async function remoteEmbedder(config: Pick<Config, 'embedder'>): Promise<Embedder> {
  const { baseUrl, apiKey, model } = config.embedder
  if (!baseUrl || !model) {
    throw new ConfigError(
      'embedder: the openai provider needs embedder.baseUrl and embedder.model (SKILLOS_EMBEDDER_BASE_URL, SKILLOS_EMBEDDER_MODEL)',
      [
        ...(baseUrl ? [] : [{ path: 'embedder.baseUrl', message: 'required' }]),
        ...(model ? [] : [{ path: 'embedder.model', message: 'required' }]),
      ],
    )
  }
  const embedder = createOpenAIEmbedder({ baseUrl, model, ...(apiKey ? { apiKey } : {}) })
  // The vector length is learnt from a first answer; asking now also proves the endpoint answers.
  await embedder.embed(['SkillOS embedder check'])
  return embedder
}

async function vectorStoreAt(url: string, dimensions: number): Promise<VectorStore> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return createPgvectorVectorStore({ url, dimensions })
  // One collection per vector length: a different embedder never writes into another's vectors.
  return createQdrantVectorStore({ url, dimensions, collection: `skillos_skills_${dimensions}` })
}
