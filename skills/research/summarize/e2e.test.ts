import { readFileSync } from 'node:fs'
import { createLibraryTester, type SkillTester } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const report = readFileSync(
  new URL('./fixtures/oyster-season-report.en.md', import.meta.url),
  'utf8',
)
const logistics = readFileSync(
  new URL('./fixtures/kholodovaya-tsep-ustritsy.ru.md', import.meta.url),
  'utf8',
)

/** The model provider option of the embedded orchestrator (`@skillos/core`'s ModelProvider). */
type ModelProvider = NonNullable<NonNullable<Parameters<typeof createLibraryTester>[1]>['model']>

interface Output {
  mode: string
  language: string
  summary: string
  sentences: { index: number }[]
  selectedSentences: number
  usage?: { inputTokens: number; outputTokens: number }
}

describe('research/summarize through the orchestrator, offline', () => {
  let tester: SkillTester
  beforeAll(async () => {
    tester = await createLibraryTester(import.meta.url)
  }, 60_000)
  afterAll(() => tester?.close())

  it('summarizes an attached English report in three sentences', async () => {
    const result = await tester.run({
      input: 'summarize this article in three sentences',
      params: { document: report },
    })
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('research/summarize')
    const output = result.output as Output
    expect(output).toMatchObject({ mode: 'extractive', language: 'en', selectedSentences: 3 })
    expect(output.sentences.map((s) => s.index)).toEqual([2, 9, 11])
  })

  it('summarizes an attached Russian text in the number of sentences asked for', async () => {
    const result = await tester.run({
      input: 'перескажи статью в 3 предложениях',
      params: { document: logistics },
    })
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('research/summarize')
    const output = result.output as Output
    expect(output).toMatchObject({ mode: 'extractive', language: 'ru', selectedSentences: 3 })
    expect(output.sentences.map((s) => s.index)).toEqual([8, 12, 22])
  })

  it('reads a percentage as the share of sentences to keep', async () => {
    const result = await tester.run({
      input: 'summarize this text to 10%',
      params: { document: report },
    })
    expect(result.status).toBe('succeeded')
    expect((result.output as Output).selectedSentences).toBe(3)
  })

  it('asks for the document when none is attached', async () => {
    const result = await tester.run('summarize this article in five sentences')
    expect(result.status).toBe('needs_input')
    expect(result.skill?.id).toBe('research/summarize')
    expect(result.missing?.[0]?.field).toBe('document')
  })

  it('fails an abstractive request clearly when no model is configured', async () => {
    const result = await tester.run({
      input: 'write a short abstractive summary of this text',
      params: { document: report },
    })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('MODEL_NOT_CONFIGURED')
  })

  it('fails an empty document with VALIDATION_FAILED', async () => {
    const result = await tester.run({
      input: 'сделай краткое содержание этого документа',
      params: { document: '   ' },
    })
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('document: is empty'),
    })
  })
})

describe('research/summarize through the orchestrator, with a model', () => {
  let tester: SkillTester
  const prompts: string[] = []
  const model: ModelProvider = {
    name: 'openai',
    model: 'test-model',
    async generate(request) {
      prompts.push(request.prompt)
      return {
        text: 'Volumes are good, prices and air freight rates are higher; order and book freight early.',
        usage: { inputTokens: 900, outputTokens: 25 },
        model: 'test-model',
      }
    },
  }
  beforeAll(async () => {
    tester = await createLibraryTester(import.meta.url, { model })
  }, 60_000)
  afterAll(() => tester?.close())

  it('writes an abstractive summary through the metered model in auto mode', async () => {
    const result = await tester.run({
      input: 'summarize this article in two sentences',
      params: { document: report },
    })
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('research/summarize')
    const output = result.output as Output
    expect(output).toMatchObject({
      mode: 'abstractive',
      language: 'en',
      summary:
        'Volumes are good, prices and air freight rates are higher; order and book freight early.',
      selectedSentences: 2,
      usage: { inputTokens: 900, outputTokens: 25 },
    })
    expect(prompts.at(-1)).toContain('at most 2 sentences')
    expect(result.usage.tokens).toEqual({ input: 900, output: 25 })
  })
})
