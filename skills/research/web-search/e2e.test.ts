import { createLibraryTester, type SkillTester } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

describe('research/web-search through the orchestrator', () => {
  let tester: SkillTester
  beforeAll(async () => {
    tester = await createLibraryTester(import.meta.url)
  }, 60_000)
  afterAll(() => tester?.close())

  it('answers an English request with a quoted query from the bundled documents', async () => {
    const result = await tester.run('search the web for "oyster grades"')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('research/web-search')
    const output = result.output as {
      query: string
      provider: string
      results: { title: string }[]
    }
    expect(output.query).toBe('oyster grades')
    expect(output.provider).toBe('documents')
    expect(output.results[0]?.title).toBe('French oyster size grades (calibres No. 0 to No. 5)')
  })

  it('answers a Russian request with a quoted query', async () => {
    const result = await tester.run('найди в интернете "калибр устриц"')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('research/web-search')
    const output = result.output as {
      query: string
      results: { title: string; language: string }[]
    }
    expect(output.query).toBe('калибр устриц')
    expect(output.results[0]).toMatchObject({
      title: 'Калибр устриц: что означают номера от 0 до 5',
      language: 'ru',
    })
  })

  it('takes an unquoted query from the request with its own extractor', async () => {
    const result = await tester.run('search the web for oyster grades')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('research/web-search')
    expect((result.output as { query: string }).query).toBe('oyster grades')
  })

  it('reports a query of stop words as a failed run with VALIDATION_FAILED', async () => {
    const result = await tester.run('search the web for "the of and"')
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('query:'),
    })
  })
})
