import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { SkillOSError } from '@skillos/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSkillOS } from './skillos.js'

const SKILLS = fileURLToPath(new URL('../../../skills', import.meta.url))

/** A closed port: nothing answers there. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('the skill index from the configuration', () => {
  let server: Server
  let baseUrl: string
  const asked: { model: string; texts: number }[] = []
  beforeAll(async () => {
    // An OpenAI-compatible /embeddings endpoint: 16-dimensional vectors hashed from each text.
    server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk.toString()))
      request.on('end', () => {
        const { model, input } = JSON.parse(body) as { model: string; input: string[] }
        asked.push({ model, texts: input.length })
        const data = input.map((text, index) => ({
          index,
          embedding: [...createHash('sha256').update(text).digest().subarray(0, 16)].map(
            (byte) => byte - 128,
          ),
        }))
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ data, model }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it('embeds the skills through the configured OpenAI-compatible endpoint', async () => {
    const os = await createSkillOS({
      skills: [SKILLS],
      database: 'memory://',
      config: { embedder: { provider: 'openai', baseUrl, model: 'test-embed' } },
    })
    try {
      expect(os.index.embedder.dimensions).toBe(16)
      expect(asked.length).toBeGreaterThan(1)
      expect(asked.every((call) => call.model === 'test-embed')).toBe(true)
      const before = asked.length
      await os.route('convert 250 EUR to RUB', { tenant: 'acme' })
      expect(asked.length).toBe(before + 1)
    } finally {
      await os.close()
    }
  })

  it('fails at start, naming the URL, when the configured vector store does not answer', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`
    const error = await createSkillOS({
      skills: [SKILLS],
      database: 'memory://',
      config: { vector: { url } },
    }).catch((e: unknown) => e)
    expect(SkillOSError.is(error, 'UNAVAILABLE')).toBe(true)
    expect((error as Error).message).toContain(url)
  })

  it('fails at start when the configured embedder does not answer, or lacks its model', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`
    const unreachable = await createSkillOS({
      skills: [SKILLS],
      database: 'memory://',
      config: { embedder: { provider: 'openai', baseUrl: url, model: 'm' } },
    }).catch((e: unknown) => e)
    expect(SkillOSError.is(unreachable, 'UNAVAILABLE')).toBe(true)
    expect((unreachable as Error).message).toContain(`127.0.0.1`)

    const incomplete = await createSkillOS({
      skills: [SKILLS],
      database: 'memory://',
      config: { embedder: { provider: 'openai', baseUrl } },
    }).catch((e: unknown) => e)
    expect(SkillOSError.is(incomplete, 'CONFIG_INVALID')).toBe(true)
    expect((incomplete as Error).message).toContain('embedder.model')
  })
})
