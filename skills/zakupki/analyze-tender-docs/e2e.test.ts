import { readFileSync } from 'node:fs'
import { createLibraryTester, type SkillTester } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

interface Output {
  law?: string
  bidSecurity?: { percent?: number; amount?: number }
  contractSecurity?: { required: boolean; percent?: number }
  risks: { code: string; sentence?: string }[]
}

describe('analyze-tender-docs through the orchestrator', () => {
  let tester: SkillTester
  beforeAll(async () => {
    tester = await createLibraryTester(import.meta.url)
  })
  afterAll(() => tester.close())

  it('routes an English request with the document attached and flags its risks', async () => {
    const result = await tester.run({
      input: 'analyze this tender documentation for risks',
      params: {
        document: fixture('notice-44fz-office-it.txt'),
        fileName: 'notice-44fz-office-it.txt',
      },
    })
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('zakupki/analyze-tender-docs')
    const output = result.output as Output
    expect(output.bidSecurity).toMatchObject({ percent: 3, amount: 126_450 })
    expect(output.risks.find((r) => r.code === 'BRAND_WITHOUT_EQUIVALENT')?.sentence).toBe(
      '1. Многофункциональное устройство Samsung SL-M4080FX, лазерное, формат А4, скорость печати не менее 40 стр/мин — 6 шт.',
    )
  })

  it('routes a Russian request and reads the securities of a 223-FZ notice', async () => {
    const result = await tester.run({
      input: 'какое обеспечение заявки и контракта в этом извещении',
      params: { document: fixture('notice-223fz-oysters-hotel.txt') },
    })
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('zakupki/analyze-tender-docs')
    const output = result.output as Output
    expect(output.law).toBe('223-FZ')
    expect(output.bidSecurity).toMatchObject({ percent: 5, amount: 94_500 })
    expect(output.contractSecurity).toMatchObject({ required: false })
  })

  it('asks for the document when none is attached', async () => {
    const result = await tester.run('проанализируй документацию закупки и найди риски')
    expect(result.status).toBe('needs_input')
    expect(result.skill?.id).toBe('zakupki/analyze-tender-docs')
    expect(result.missing?.[0]?.field).toBe('document')
  })

  it('fails an empty document with a clear reason', async () => {
    const result = await tester.run({
      input: 'extract the bid security and penalties from the notice',
      params: { document: ' ' },
    })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('VALIDATION_FAILED')
    expect(result.error?.message).toContain('document: is empty')
  })
})
