import { readFileSync } from 'node:fs'
import type { SkillModel } from '@skillos/contracts'
import { createTestContext } from '@skillos/sdk/testing'
import { describe, expect, it } from 'vitest'
import skill from './index.js'

const report = readFileSync(
  new URL('./fixtures/oyster-season-report.en.md', import.meta.url),
  'utf8',
)
const tender = readFileSync(
  new URL('./fixtures/goszakupki-postavshchiku.ru.md', import.meta.url),
  'utf8',
)

const run = (input: Record<string, unknown>, model?: SkillModel) =>
  skill.handler(skill.input!.parse(input) as never, createTestContext(model ? { model } : {}))

function fakeModel(answer: string): SkillModel & { prompts: string[] } {
  const prompts: string[] = []
  return {
    prompts,
    async generate(request) {
      prompts.push(request.prompt)
      return { text: answer, usage: { inputTokens: 1500, outputTokens: 60 } }
    },
  }
}

describe('research/summarize handler', () => {
  it('summarizes offline with TextRank by default', async () => {
    const output = await run({ document: report, sentences: 3, fileName: 'report.md' })
    expect(output).toMatchObject({
      mode: 'extractive',
      language: 'en',
      totalSentences: 32,
      selectedSentences: 3,
      fileName: 'report.md',
    })
    expect(output.sentences.map((s) => s.index)).toEqual([2, 9, 11])
    expect(output.summary).toBe(output.sentences.map((s) => s.text).join(' '))
    expect(output.compressionRatio).toBe(
      Math.round((output.summary.length / report.trim().length) * 1000) / 1000,
    )
    expect(output.compressionRatio).toBeLessThan(0.15)
    expect(output.iterations).toBeGreaterThan(1)
  })

  it('keeps a share of the sentences with ratio', async () => {
    const output = await run({ document: tender, ratio: 0.1 })
    expect(output).toMatchObject({
      mode: 'extractive',
      language: 'ru',
      totalSentences: 33,
      selectedSentences: 3,
    })
  })

  it('writes an abstractive summary through the model in auto mode', async () => {
    const model = fakeModel('Поставщику нужно прочитать извещение, посчитать цену и обеспечение.')
    const output = await run({ document: tender, sentences: 2 }, model)
    expect(output).toEqual({
      mode: 'abstractive',
      language: 'ru',
      summary: 'Поставщику нужно прочитать извещение, посчитать цену и обеспечение.',
      sentences: [],
      totalSentences: 33,
      selectedSentences: 2,
      compressionRatio: Math.round((67 / tender.trim().length) * 1000) / 1000,
      condensed: false,
      usage: { inputTokens: 1500, outputTokens: 60 },
    })
    expect(model.prompts[0]).toContain('at most 2 sentences')
    expect(model.prompts[0]).toContain('Обеспечение заявки по 44-ФЗ')
  })

  it('stays extractive when asked, even with a model', async () => {
    const model = fakeModel('unused')
    expect((await run({ document: report, mode: 'extractive' }, model)).mode).toBe('extractive')
    expect(model.prompts).toEqual([])
  })

  it('refuses an abstractive summary without a model: MODEL_NOT_CONFIGURED', async () => {
    await expect(run({ document: report, mode: 'abstractive' })).rejects.toMatchObject({
      code: 'MODEL_NOT_CONFIGURED',
    })
  })

  it.each([
    [{ document: '' }, 'document: is empty'],
    [{ document: ' \n\t ' }, 'document: is empty'],
    [
      { document: '# Title only\n\n---' },
      'document: has no sentences to summarize (only headings, numbers or symbols)',
    ],
  ])('refuses %j with VALIDATION_FAILED', async (input, message) => {
    await expect(run(input)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message })
  })

  it.each([
    { sentences: 0 },
    { sentences: 2.5 },
    { ratio: 0 },
    { ratio: 1.5 },
    { mode: 'creative' },
  ])('rejects %j at the schema', (bad) => {
    expect(skill.input!.safeParse({ document: 'Text.', ...bad }).success).toBe(false)
  })
})
