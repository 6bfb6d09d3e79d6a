import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ConfigError, SkillOSError } from '@skillos/contracts'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAnthropicProvider } from './anthropic-provider.js'
import { createModelProvider } from './create-model-provider.js'
import type { ModelProvider } from './model-provider.js'
import { createOpenAIProvider } from './openai-provider.js'
import { parseRetryAfter } from './provider-http.js'

const API_KEY = 'sk-test-0123456789abcdefghijklmnop'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: Record<string, unknown>
}

/** What the fake provider answers next: a status, a JSON body and headers. */
interface Reply {
  status: number
  body: unknown
  headers?: Record<string, string>
  delayMs?: number
}

let server: Server
let baseUrl: string
let seen: Seen[] = []
let reply: Reply = { status: 200, body: {} }

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      })
      const send = () => {
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
        response.end(JSON.stringify(reply.body))
      }
      if (reply.delayMs) setTimeout(send, reply.delayMs)
      else send()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  server.close()
  await once(server, 'close')
})

beforeEach(() => {
  seen = []
})

const openai = () =>
  createOpenAIProvider({ baseUrl: `${baseUrl}/v1/`, apiKey: API_KEY, model: 'gpt-4o-mini' })
const anthropic = () =>
  createAnthropicProvider({ baseUrl, apiKey: API_KEY, model: 'claude-haiku-4-5' })

async function failure(provider: ModelProvider, signal?: AbortSignal): Promise<SkillOSError> {
  try {
    await provider.generate({ prompt: 'hi', ...(signal ? { signal } : {}) })
  } catch (error) {
    if (SkillOSError.is(error)) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

/** A port nothing listens on: bound, read, closed. */
async function closedPort(): Promise<number> {
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as AddressInfo
  probe.close()
  await once(probe, 'close')
  return port
}

describe('OpenAI provider', () => {
  it('posts a chat completion and returns the text, usage and model', async () => {
    reply = {
      status: 200,
      body: {
        model: 'gpt-4o-mini-2024-07-18',
        choices: [{ message: { role: 'assistant', content: 'Lima.' } }],
        usage: { prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 },
      },
    }
    const answer = await openai().generate({
      system: 'Answer briefly.',
      prompt: 'Capital of Peru?',
      maxTokens: 50,
      temperature: 0.2,
    })
    expect(answer).toEqual({
      text: 'Lima.',
      usage: { inputTokens: 21, outputTokens: 3 },
      model: 'gpt-4o-mini-2024-07-18',
    })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Answer briefly.' },
          { role: 'user', content: 'Capital of Peru?' },
        ],
        max_completion_tokens: 50,
        temperature: 0.2,
      },
    })
  })

  it('says the key was refused on 401 without repeating it', async () => {
    reply = {
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${API_KEY}` } },
    }
    const error = await failure(openai())
    expect(error.code).toBe('UNAUTHENTICATED')
    expect(error.message).toBe(
      `Model provider openai (${baseUrl}/v1/chat/completions) refused the API key (HTTP 401); check SKILLOS_MODEL_API_KEY (model.apiKey)`,
    )
    expect(JSON.stringify({ ...error.toJSON(), cause: String(error.cause) })).not.toContain(
      '0123456789',
    )
  })

  it('reports 429 as RATE_LIMITED with the wait from retry-after', async () => {
    reply = {
      status: 429,
      body: { error: { message: 'Rate limit reached for requests' } },
      headers: { 'retry-after': '7' },
    }
    const error = await failure(openai())
    expect(error.code).toBe('RATE_LIMITED')
    expect(error.details).toEqual({ provider: 'openai', status: 429, retryAfterMs: 7_000 })
    expect(error.message).toContain('retry in 7 s: Rate limit reached for requests')
  })

  it('reports a 5xx as UPSTREAM_FAILED with the status, scrubbing the key from the message', async () => {
    reply = { status: 500, body: { error: { message: `boom while using ${API_KEY}` } } }
    const error = await failure(openai())
    expect(error.code).toBe('UPSTREAM_FAILED')
    expect(error.details).toEqual({ provider: 'openai', status: 500 })
    expect(error.message).toMatch(/failed with HTTP 500: boom while using \*\*\*$/)
  })

  it('reports a server that cannot be reached as UNAVAILABLE, naming the masked URL', async () => {
    const port = await closedPort()
    const provider = createOpenAIProvider({
      baseUrl: `http://127.0.0.1:${port}/openai?api-key=secret-value`,
      apiKey: API_KEY,
      model: 'gpt-4o-mini',
    })
    const error = await failure(provider)
    const masked = `http://127.0.0.1:${port}/openai/chat/completions?api-key=***`
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toBe(
      `Model provider openai (${masked}) cannot be reached (ECONNREFUSED); check SKILLOS_MODEL_BASE_URL (model.baseUrl)`,
    )
    expect(error.details).toEqual({ url: masked, service: 'model:openai', code: 'ECONNREFUSED' })
    expect(JSON.stringify(error.toJSON())).not.toMatch(/secret-value|0123456789/)
  })

  it('gives up with TIMEOUT after timeoutMs, and with CANCELLED when the caller aborts', async () => {
    reply = { status: 200, body: {}, delayMs: 500 }
    const slow = createOpenAIProvider({ baseUrl, model: 'gpt-4o-mini', timeoutMs: 30 })
    expect((await failure(slow)).code).toBe('TIMEOUT')
    expect((await failure(openai(), AbortSignal.timeout(20))).code).toBe('CANCELLED')
  })

  it('reports an answer of the wrong shape as UPSTREAM_FAILED', async () => {
    reply = { status: 200, body: { choices: [] } }
    const error = await failure(openai())
    expect(error.code).toBe('UPSTREAM_FAILED')
    expect(error.message).toContain('answered in an unexpected shape')
  })
})

describe('Anthropic provider', () => {
  it('posts a message with the key and version headers and returns text and usage', async () => {
    reply = {
      status: 200,
      body: {
        model: 'claude-haiku-4-5-20251001',
        content: [
          { type: 'text', text: 'Lima' },
          { type: 'text', text: '.' },
        ],
        usage: { input_tokens: 12, output_tokens: 4 },
      },
    }
    const answer = await anthropic().generate({ system: 'Be brief.', prompt: 'Capital of Peru?' })
    expect(answer).toEqual({
      text: 'Lima.',
      usage: { inputTokens: 12, outputTokens: 4 },
      model: 'claude-haiku-4-5-20251001',
    })
    expect(seen[0]).toMatchObject({
      url: '/v1/messages',
      headers: { 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01' },
      body: {
        model: 'claude-haiku-4-5',
        max_tokens: 1024,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Capital of Peru?' }],
      },
    })
  })

  it('maps 403, 429 and 529 like the OpenAI provider', async () => {
    reply = {
      status: 403,
      body: { type: 'error', error: { type: 'permission_error', message: 'no' } },
    }
    expect((await failure(anthropic())).code).toBe('UNAUTHENTICATED')
    reply = {
      status: 429,
      body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
      headers: { 'retry-after': '2' },
    }
    expect((await failure(anthropic())).details).toMatchObject({ retryAfterMs: 2_000 })
    reply = {
      status: 529,
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    }
    const overloaded = await failure(anthropic())
    expect([overloaded.code, overloaded.details?.status]).toEqual(['UPSTREAM_FAILED', 529])
  })
})

describe('createModelProvider', () => {
  it('returns undefined when no provider is configured', () => {
    expect(createModelProvider({})).toBeUndefined()
  })

  it('builds the configured provider', () => {
    const provider = createModelProvider({
      provider: 'anthropic',
      apiKey: API_KEY,
      name: 'claude-sonnet-4-5',
    })
    expect([provider?.name, provider?.model]).toEqual(['anthropic', 'claude-sonnet-4-5'])
    const local = createModelProvider({
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:11434/v1',
      name: 'llama3.1',
    })
    expect([local?.name, local?.model]).toEqual(['openai', 'llama3.1'])
  })

  it('names the missing settings of a provider', () => {
    let caught: unknown
    try {
      createModelProvider({ provider: 'anthropic' })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ConfigError)
    expect((caught as ConfigError).issues.map((issue) => issue.path)).toEqual([
      'SKILLOS_MODEL_NAME (model.name)',
      'SKILLOS_MODEL_API_KEY (model.apiKey)',
    ])
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('1.5', now)).toBe(1_500)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
  })
})
