import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SkillOSError } from '@skillos/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenAIEmbedder } from './openai-embedder.js'

describe('createOpenAIEmbedder', () => {
  let server: Server
  let baseUrl: string
  const requests: { auth: string | undefined; body: { model: string; input: string[] } }[] = []
  let mode: 'ok' | 'error' | 'slow' = 'ok'

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = ''
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()))
      req.on('end', () => {
        const body = JSON.parse(raw) as { model: string; input: string[] }
        requests.push({ auth: req.headers.authorization, body })
        if (mode === 'error') {
          res.writeHead(503, { 'content-type': 'application/json' })
          res.end('{"error":"model is loading"}')
          return
        }
        if (mode === 'slow') return // never answers
        const data = body.input.map((text, index) => ({ index, embedding: [text.length, 0, 0, 0] }))
        res.writeHead(200, { 'content-type': 'application/json' })
        // Out of order on purpose: the adapter must sort by index.
        res.end(JSON.stringify({ data: data.reverse(), model: body.model }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('embeds in batches, in input order, normalised, with the bearer key', async () => {
    mode = 'ok'
    requests.length = 0
    const embedder = createOpenAIEmbedder({
      baseUrl,
      apiKey: 'sk-test',
      model: 'bge-m3',
      batchSize: 2,
    })
    const vectors = await embedder.embed(['a', 'bbb', 'cc'])
    expect(requests.map((r) => r.body.input)).toEqual([['a', 'bbb'], ['cc']])
    expect(requests[0]?.body.model).toBe('bge-m3')
    expect(requests[0]?.auth).toBe('Bearer sk-test')
    expect(vectors.map((v) => Array.from(v))).toEqual([
      [1, 0, 0, 0],
      [1, 0, 0, 0],
      [1, 0, 0, 0],
    ])
    expect(embedder.dimensions).toBe(4)
    expect(embedder.id).toContain('bge-m3')
  })

  it('reports an error status as UPSTREAM_FAILED with the status and URL, without the key', async () => {
    mode = 'error'
    const embedder = createOpenAIEmbedder({ baseUrl, apiKey: 'sk-secret', model: 'bge-m3' })
    const error = await embedder.embed(['x']).catch((e: unknown) => e)
    expect(SkillOSError.is(error, 'UPSTREAM_FAILED')).toBe(true)
    expect((error as SkillOSError).details).toMatchObject({
      status: 503,
      url: `${baseUrl}/embeddings`,
    })
    expect((error as Error).message).toContain('503')
    expect(JSON.stringify(error)).not.toContain('sk-secret')
  })

  it('fails with UNAVAILABLE naming the URL when nothing listens', async () => {
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise((resolve) => probe.close(resolve))
    const embedder = createOpenAIEmbedder({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm' })
    const error = await embedder.embed(['x']).catch((e: unknown) => e)
    expect(SkillOSError.is(error, 'UNAVAILABLE')).toBe(true)
    expect((error as Error).message).toContain(`http://127.0.0.1:${port}/v1/embeddings`)
  })

  it('gives up after the timeout with UNAVAILABLE', async () => {
    mode = 'slow'
    const embedder = createOpenAIEmbedder({ baseUrl, model: 'm', timeoutMs: 100 })
    const error = await embedder.embed(['x']).catch((e: unknown) => e)
    expect(SkillOSError.is(error, 'UNAVAILABLE')).toBe(true)
    expect((error as Error).message).toContain('100 ms')
  })

  it('refuses a base URL that is not http(s)', () => {
    expect(() => createOpenAIEmbedder({ baseUrl: 'ftp://x', model: 'm' })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        issues: [expect.objectContaining({ path: 'baseUrl' })],
      }),
    )
  })
})
