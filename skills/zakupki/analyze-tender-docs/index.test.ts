import { readFileSync } from 'node:fs'
import { captureSkillError, createTestContext } from '@skillos/sdk/testing'
import { describe, expect, it } from 'vitest'
import skill from './index.js'

const fish = readFileSync(
  new URL('./fixtures/notice-44fz-fish-school.txt', import.meta.url),
  'utf8',
)

async function failure(input: { document: string; fileName?: string }) {
  const { code, message } = await captureSkillError(() => skill.handler(input, createTestContext()))
  return { code, message }
}

describe('analyze-tender-docs handler', () => {
  it('returns the analysis with the file name and a one-line summary', async () => {
    const out = await skill.handler(
      { document: fish, fileName: 'izveshchenie.txt' },
      createTestContext(),
    )
    expect(out.fileName).toBe('izveshchenie.txt')
    expect(out.nmck).toMatchObject({ amount: 2_845_600, currency: 'RUB' })
    expect(out.summary).toBe(
      '44-FZ; НМЦК 2 845 600,00 RUB; bid security 1 % (28 456,00 RUB); contract security 10 %; bids until 2026-11-20 09:00; 2 risk flags (1 high)',
    )
  })

  it('refuses an empty document', async () => {
    expect(await failure({ document: '  \n ', fileName: 'empty.txt' })).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'document: is empty (empty.txt); pass the text of the notice or specification',
    })
  })

  it('refuses a text that is not a tender document', async () => {
    expect(await failure({ document: 'Список покупок: хлеб, молоко, устрицы.' })).toEqual({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/^document: does not look like a tender notice/),
    })
  })
})
