import { createServer, type Server } from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closedPort, createTestContext } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import skill from './index.js'
import { BUNDLED_DOCUMENTS_DIR } from './lib/settings.js'
import { SEARXNG_BODY } from './lib/searxng.test-data.js'

const run = (input: Record<string, unknown>, config: Record<string, unknown> = {}) =>
  skill.handler(skill.input!.parse(input) as never, createTestContext({ config }))

describe('research/web-search handler, offline documents', () => {
  it('ranks the bundled documents with snippets and dates', async () => {
    const output = await run({ query: 'oyster grades', limit: 2 })
    expect(output).toMatchObject({
      query: 'oyster grades',
      provider: 'documents',
      source: BUNDLED_DOCUMENTS_DIR,
      total: 7,
      searchedDocuments: 23,
    })
    expect(output.results.map((r) => [r.rank, r.title, r.score, r.publishedDate])).toEqual([
      [1, 'French oyster size grades (calibres No. 0 to No. 5)', 0.795, '2025-03-14'],
      [2, 'Gillardeau, a family oyster house from Marennes-Oléron', 0.754, '2024-12-10'],
    ])
    expect(output.results[0]?.url).toMatch(
      /^file:\/\/.*\/fixtures\/documents\/oyster-size-grades\.md$/,
    )
    expect(output.results[0]?.snippet).toBe(
      'French cupped oysters (Magallana gigas, sold as huîtres creuses) are graded by the weight of one oyster under the French standard NF V45-056.',
    )
  })

  it('keeps to the requested language', async () => {
    const output = await run({ query: 'oysters устрицы калибр', language: 'ru', limit: 20 })
    expect(output.language).toBe('ru')
    expect(output.results.length).toBeGreaterThan(0)
    expect(output.results.every((r) => r.language === 'ru')).toBe(true)
  })

  it('returns no results, not an error, when nothing matches', async () => {
    expect(await run({ query: 'quantum chromodynamics' })).toMatchObject({ results: [], total: 0 })
  })

  it('searches the folder set in documentsDir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'web-search-handler-'))
    try {
      await writeFile(
        join(dir, 'price.md'),
        '# Supplier price list 2025\n\nGillardeau No. 2 costs 4.10 EUR a piece.',
      )
      const output = await run({ query: 'gillardeau price' }, { documentsDir: dir })
      expect(output.source).toBe(dir)
      expect(output.results.map((r) => [r.title, r.snippet])).toEqual([
        ['Supplier price list 2025', 'Gillardeau No. 2 costs 4.10 EUR a piece.'],
      ])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it.each([
    [{ query: '   ' }, 'query: is empty'],
    [{ query: 'the and of' }, 'query: "the and of" has only stop words, nothing to search for'],
  ])('refuses %j with VALIDATION_FAILED', async (input, message) => {
    await expect(run(input)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message })
  })

  it('fails with UNAVAILABLE when the documents folder does not exist', async () => {
    await expect(
      run({ query: 'x' }, { documentsDir: '/nonexistent/skillos-docs' }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('/nonexistent/skillos-docs'),
    })
  })
})

describe('research/web-search handler, SearXNG', () => {
  let server: Server
  let base: string
  let lastUrl = ''
  beforeAll(async () => {
    server = createServer((req, res) => {
      lastUrl = req.url ?? ''
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(SEARXNG_BODY))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('uses the live instance when searxngUrl is set', async () => {
    const output = await run(
      { query: 'oyster grades', limit: 3, language: 'en' },
      { searxngUrl: base },
    )
    expect(lastUrl).toBe('/search?q=oyster+grades&format=json&language=en&pageno=1')
    expect(output).toMatchObject({
      provider: 'searxng',
      source: `${base}/`,
      total: 6,
      language: 'en',
    })
    expect(output.results.map((r) => [r.rank, r.title, r.publishedDate ?? null])).toEqual([
      [1, 'Oyster sizes and grades explained', '2025-03-01'],
      [2, 'Oyster - Wikipedia', null],
      [3, 'Third', null],
    ])
  })

  it('fails loudly when the instance cannot be reached, never falling back to documents', async () => {
    const port = await closedPort()
    await expect(
      run({ query: 'oyster grades' }, { searxngUrl: `http://bot:pw@127.0.0.1:${port}` }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: `SearXNG at http://bot:***@127.0.0.1:${port}/ cannot be reached (ECONNREFUSED)`,
    })
  })
})
