import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { closedPort } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { searchSearxng, searxngSearchUrl, toSearchResults } from './searxng.js'
import { SEARXNG_BODY } from './searxng.test-data.js'

describe('searxngSearchUrl', () => {
  it.each([
    [
      'http://localhost:8888',
      'oyster grades',
      'en',
      'http://localhost:8888/search?q=oyster+grades&format=json&language=en&pageno=1',
    ],
    [
      'https://searx.example.org/searx/',
      'калибр устриц',
      undefined,
      'https://searx.example.org/searx/search?q=%D0%BA%D0%B0%D0%BB%D0%B8%D0%B1%D1%80+%D1%83%D1%81%D1%82%D1%80%D0%B8%D1%86&format=json&language=all&pageno=1',
    ],
  ] as const)('builds the search URL of %s', (base, query, language, url) => {
    expect(searxngSearchUrl(base, query, language)).toEqual({ url })
  })

  it('moves credentials from the URL into a Basic authorization header', () => {
    expect(searxngSearchUrl('http://ann:s%40cret@localhost:8888', 'q')).toEqual({
      url: 'http://localhost:8888/search?q=q&format=json&language=all&pageno=1',
      authorization: `Basic ${Buffer.from('ann:s@cret').toString('base64')}`,
    })
  })
})

describe('toSearchResults', () => {
  it('keeps http(s) hits with a title, once per URL, clipped and dated', () => {
    expect(toSearchResults(SEARXNG_BODY, 10)).toEqual([
      {
        rank: 1,
        title: 'Oyster sizes and grades explained',
        url: 'https://www.huitres-marennes-oleron.info/en/calibres',
        snippet:
          'Cupped oysters are sold by calibre, from No. 0 (over 150 g) to No. 5 (30 to 45 g). The fill index decides fine or spéciale.',
        score: 4.286,
        publishedDate: '2025-03-01',
        engine: 'duckduckgo, brave',
      },
      {
        rank: 2,
        title: 'Oyster - Wikipedia',
        url: 'https://en.wikipedia.org/wiki/Oyster',
        snippet: '',
        score: 1.5,
        engine: 'wikipedia',
      },
      {
        rank: 3,
        title: 'Third',
        url: 'https://example.org/third',
        snippet: 'x',
        score: 0,
        engine: 'brave',
      },
    ])
  })

  it('stops at the limit', () => {
    expect(toSearchResults(SEARXNG_BODY, 1).map((r) => r.rank)).toEqual([1])
  })
})

describe('searchSearxng against a local server', () => {
  let server: Server
  let base: string
  const seen: IncomingMessage[] = []
  let reply: (url: URL) => { status: number; body: string; delayMs?: number } = () => ({
    status: 200,
    body: JSON.stringify(SEARXNG_BODY),
  })

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req)
      const { status, body, delayMs = 0 } = reply(new URL(req.url ?? '/', 'http://x'))
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(body)
      }, delayMs)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('sends q, format=json and the language, and maps the answer', async () => {
    const found = await searchSearxng({
      baseUrl: base,
      query: 'oyster grades',
      language: 'en',
      limit: 2,
      timeoutMs: 2000,
    })
    expect(found.total).toBe(6)
    expect(found.results.map((r) => r.url)).toEqual([
      'https://www.huitres-marennes-oleron.info/en/calibres',
      'https://en.wikipedia.org/wiki/Oyster',
    ])
    const url = new URL(seen.at(-1)?.url ?? '', base)
    expect(Object.fromEntries(url.searchParams)).toEqual({
      q: 'oyster grades',
      format: 'json',
      language: 'en',
      pageno: '1',
    })
    expect(url.pathname).toBe('/search')
  })

  it('authenticates with the credentials of the URL and never shows them', async () => {
    const withCredentials = base.replace('http://', 'http://ann:secret@')
    await searchSearxng({ baseUrl: withCredentials, query: 'q', limit: 1, timeoutMs: 2000 })
    expect(seen.at(-1)?.headers.authorization).toBe(
      `Basic ${Buffer.from('ann:secret').toString('base64')}`,
    )
    reply = () => ({ status: 500, body: 'oops' })
    const error = await searchSearxng({
      baseUrl: withCredentials,
      query: 'q',
      limit: 1,
      timeoutMs: 2000,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'UNAVAILABLE',
      message: `SearXNG at ${base.replace('http://', 'http://ann:***@')}/ answered HTTP 500`,
    })
    expect(String((error as Error).message)).not.toContain('secret')
  })

  it('explains a 403: JSON output disabled on the instance', async () => {
    reply = () => ({ status: 403, body: 'Forbidden' })
    await expect(
      searchSearxng({ baseUrl: base, query: 'q', limit: 1, timeoutMs: 2000 }),
    ).rejects.toMatchObject({
      code: 'UPSTREAM_FAILED',
      message: `SearXNG at ${base}/ answered HTTP 403: enable the json format under search.formats in its settings.yml`,
    })
  })

  it('refuses a body that is not SearXNG JSON', async () => {
    reply = () => ({ status: 200, body: '<html>search</html>' })
    await expect(
      searchSearxng({ baseUrl: base, query: 'q', limit: 1, timeoutMs: 2000 }),
    ).rejects.toMatchObject({
      code: 'UPSTREAM_FAILED',
      message: `SearXNG at ${base}/ did not answer with JSON`,
    })
    reply = () => ({ status: 200, body: '{"answers":[]}' })
    await expect(
      searchSearxng({ baseUrl: base, query: 'q', limit: 1, timeoutMs: 2000 }),
    ).rejects.toMatchObject({
      code: 'UPSTREAM_FAILED',
      message: expect.stringContaining('answered JSON without a results list (results:'),
    })
  })

  it('gives up after the timeout, naming the instance', async () => {
    reply = () => ({ status: 200, body: '{"results":[]}', delayMs: 500 })
    await expect(
      searchSearxng({ baseUrl: base, query: 'q', limit: 1, timeoutMs: 50 }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: `SearXNG at ${base}/ did not answer within 50 ms`,
    })
  })

  it('reports CANCELLED when the run is cancelled', async () => {
    reply = () => ({ status: 200, body: '{"results":[]}', delayMs: 500 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    await expect(
      searchSearxng({
        baseUrl: base,
        query: 'q',
        limit: 1,
        timeoutMs: 2000,
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' })
  })
})

describe('searchSearxng against a closed port', () => {
  it('fails with UNAVAILABLE naming the URL', async () => {
    const port = await closedPort()
    await expect(
      searchSearxng({ baseUrl: `http://127.0.0.1:${port}`, query: 'q', limit: 1, timeoutMs: 2000 }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: `SearXNG at http://127.0.0.1:${port}/ cannot be reached (ECONNREFUSED)`,
    })
  })
})
