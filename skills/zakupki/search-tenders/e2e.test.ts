import { createLibraryTester, type SkillTester } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

interface Output {
  criteria: Record<string, unknown>
  total: number
  tenders: { title: string; regionCode: string; law: string; nmck: number; open: boolean }[]
}

describe('search-tenders through the orchestrator', () => {
  let tester: SkillTester
  beforeAll(async () => {
    tester = await createLibraryTester(import.meta.url)
  })
  afterAll(() => tester.close())

  it('routes an English request and searches seafood tenders in Moscow', async () => {
    const result = await tester.run('find tenders for seafood supply in Moscow')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('zakupki/search-tenders')
    const output = result.output as Output
    expect(output.criteria).toMatchObject({
      keywords: ['seafood'],
      regionCode: '77',
      openOnly: true,
    })
    expect(output.total).toBe(7)
    expect(output.tenders.every((t) => t.regionCode === '77' && t.open)).toBe(true)
    expect(output.tenders[0]?.title).toBe(
      'Поставка морепродуктов (креветки, кальмары, мидии) для нужд лечебного питания',
    )
  })

  it('routes a Russian request with law and price filters', async () => {
    const result = await tester.run('найди тендеры на поставку рыбы в Москве по 44-ФЗ до 5 млн')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('zakupki/search-tenders')
    const output = result.output as Output
    expect(output.criteria).toMatchObject({
      keywords: ['рыбы'],
      regionCode: '77',
      law: '44-FZ',
      maxPrice: 5_000_000,
    })
    expect(output.tenders.map((t) => [t.law, t.nmck])).toEqual([
      ['44-FZ', 2_845_600],
      ['44-FZ', 3_980_000],
    ])
  })

  it('finds tenders by a region named as a bare name', async () => {
    const result = await tester.run('какие госзакупки на канцелярию открыты в Татарстане')
    expect(result.skill?.id).toBe('zakupki/search-tenders')
    const output = result.output as Output
    expect(output.tenders.map((t) => t.title)).toEqual([
      'Поставка канцелярских принадлежностей для общеобразовательных организаций',
    ])
  })

  it('fails clearly when the request names nothing to search by', async () => {
    const result = await tester.run('search government procurement tenders please')
    expect(result.skill?.id).toBe('zakupki/search-tenders')
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('VALIDATION_FAILED')
    expect(result.error?.message).toContain('query: say what to search for')
  })
})
