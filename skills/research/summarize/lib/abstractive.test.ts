import type { SkillModel } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { buildPrompt, fitDocument, summarizeAbstractive } from './abstractive.js'

function fakeModel(text: string) {
  const calls: Parameters<SkillModel['generate']>[0][] = []
  const model: SkillModel = {
    async generate(request) {
      calls.push(request)
      return { text, usage: { inputTokens: 120, outputTokens: 30 } }
    },
  }
  return { model, calls }
}

describe('fitDocument', () => {
  it('keeps a document that fits', () => {
    expect(fitDocument('  Short text.  ', 100)).toEqual({ text: 'Short text.', condensed: false })
  })

  it('cuts a long document to its best sentences, in order', () => {
    const text =
      'Oysters need cold storage. Cold storage keeps oysters alive. Visas take time. Oysters are graded by weight.'
    expect(fitDocument(text, 60)).toEqual({
      text: 'Oysters need cold storage. Cold storage keeps oysters alive.',
      condensed: true,
    })
  })
})

describe('buildPrompt', () => {
  it('asks for the document language, the sentence limit and faithful facts', () => {
    const { system, prompt } = buildPrompt(
      { document: 'x', language: 'ru', sentences: 1, fileName: 'notice.txt' },
      'Текст.',
    )
    expect(system).toContain('Answer in Russian')
    expect(system).toContain('Use only facts stated in the document')
    expect(prompt).toBe(
      'Summarize the document below in at most 1 sentence.\n\nDocument (notice.txt):\n<<<\nТекст.\n>>>',
    )
  })
})

describe('summarizeAbstractive', () => {
  it('returns the model text, its usage, and asks for a bounded answer', async () => {
    const { model, calls } = fakeModel('  Prices rise;\n  order early.  ')
    const result = await summarizeAbstractive(model, {
      document: 'A. B. C.',
      language: 'en',
      sentences: 3,
    })
    expect(result).toEqual({
      summary: 'Prices rise; order early.',
      usage: { inputTokens: 120, outputTokens: 30 },
      condensed: false,
    })
    expect(calls[0]).toMatchObject({ maxTokens: 240, temperature: 0.2 })
    expect(calls[0]?.prompt).toContain('at most 3 sentences')
  })

  it('refuses without a model, saying how to configure one', async () => {
    await expect(
      summarizeAbstractive(undefined, { document: 'A.', language: 'en', sentences: 1 }),
    ).rejects.toMatchObject({
      code: 'MODEL_NOT_CONFIGURED',
      message: expect.stringContaining('SKILLOS_MODEL_PROVIDER'),
    })
  })

  it('fails with UPSTREAM_FAILED on an empty answer', async () => {
    await expect(
      summarizeAbstractive(fakeModel('   ').model, {
        document: 'A.',
        language: 'en',
        sentences: 1,
      }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_FAILED' })
  })
})
