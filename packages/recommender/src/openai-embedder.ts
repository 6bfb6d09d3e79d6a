import { maskUrl, SkillOSError, UnavailableError, ValidationError } from '@skillos/contracts'
import { type Embedder, normalizeVector } from './embedder.js'

export interface OpenAIEmbedderOptions {
  /** Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:11434/v1` (Ollama). `/embeddings` is appended. */
  baseUrl: string
  /** Sent as `Authorization: Bearer …` when set; never appears in errors. */
  apiKey?: string
  /** Model name the server knows, e.g. `nomic-embed-text`, `bge-m3`, `text-embedding-3-small`. */
  model: string
  /**
   * Vector length. When omitted it is learnt from the first response; indexes need it before that,
   * so set it for anything but a quick try.
   */
  dimensions?: number
  /** Texts per request (default 64). */
  batchSize?: number
  /** Milliseconds per request before it is aborted (default 30 000). */
  timeoutMs?: number
  /** Override for tests or proxies (default: global fetch). */
  fetch?: typeof fetch
}

interface EmbeddingsResponse {
  data?: { index?: number; embedding?: unknown }[]
}

/**
 * An embedder over any OpenAI-compatible `POST /embeddings` endpoint: OpenAI, Ollama, vLLM,
 * text-embeddings-inference, LiteLLM. Requests are batched; a server that cannot be reached fails
 * with `UNAVAILABLE` naming the URL, an error status with `UPSTREAM_FAILED`. It never falls back to
 * another embedder.
 *
 * @example
 * ```ts
 * const embedder = createOpenAIEmbedder({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'bge-m3', dimensions: 1024 })
 * ```
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  let url: URL
  try {
    url = new URL(options.baseUrl.replace(/\/+$/, '') + '/embeddings')
  } catch (cause) {
    throw new ValidationError(
      'Invalid embedder options',
      [{ path: 'baseUrl', message: 'must be an absolute http(s) URL' }],
      { cause },
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError('Invalid embedder options', [
      { path: 'baseUrl', message: 'must be an absolute http(s) URL' },
    ])
  }
  if (!options.model.trim()) {
    throw new ValidationError('Invalid embedder options', [
      { path: 'model', message: 'must not be empty' },
    ])
  }
  const target = maskUrl(url.toString())
  const batchSize = options.batchSize ?? 64
  const timeoutMs = options.timeoutMs ?? 30_000
  const doFetch = options.fetch ?? fetch
  let dimensions = options.dimensions ?? 0

  async function embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    let response: Response
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: options.model, input: texts }),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === 'TimeoutError'
      throw new UnavailableError(
        timedOut
          ? `The embeddings server at ${target} did not answer within ${timeoutMs} ms`
          : `Cannot reach the embeddings server at ${target}`,
        { url: target, service: 'embedder' },
        cause,
      )
    }
    if (!response.ok) {
      const body = (await response.text().catch(() => '')).slice(0, 300)
      throw new SkillOSError({
        code: 'UPSTREAM_FAILED',
        message: `The embeddings server at ${target} answered ${response.status}${body ? `: ${body}` : ''}`,
        details: { url: target, status: response.status },
      })
    }
    let parsed: EmbeddingsResponse
    try {
      parsed = (await response.json()) as EmbeddingsResponse
    } catch (cause) {
      throw upstream(`The embeddings server at ${target} answered with invalid JSON`, cause)
    }
    const data = Array.isArray(parsed.data) ? parsed.data : []
    if (data.length !== texts.length) {
      throw upstream(
        `The embeddings server at ${target} returned ${data.length} vectors for ${texts.length} texts`,
      )
    }
    const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
    return ordered.map((item) => {
      const values = item.embedding
      if (
        !Array.isArray(values) ||
        values.some((v) => typeof v !== 'number' || !Number.isFinite(v))
      ) {
        throw upstream(
          `The embeddings server at ${target} returned an embedding that is not a list of numbers`,
        )
      }
      if (dimensions === 0) dimensions = values.length
      if (values.length !== dimensions) {
        throw upstream(
          `The embeddings server at ${target} returned ${values.length} dimensions, expected ${dimensions}`,
        )
      }
      return normalizeVector(Float32Array.from(values as number[]))
    })
  }

  function upstream(message: string, cause?: unknown): SkillOSError {
    return new SkillOSError({ code: 'UPSTREAM_FAILED', message, details: { url: target }, cause })
  }

  return {
    id: `openai:${url.host}${url.pathname}:${options.model}`,
    get dimensions() {
      return dimensions
    },
    async embed(texts) {
      const out: Float32Array[] = []
      for (let i = 0; i < texts.length; i += batchSize) {
        out.push(...(await embedBatch(texts.slice(i, i + batchSize))))
      }
      return out
    },
  }
}
