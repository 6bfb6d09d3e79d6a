import { readFileSync } from 'node:fs'
import { SkillOSError } from '@skillos/contracts'
import { createLibraryTester, createTestContext, type SkillTester } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import skill from './index.js'
import { buildXlsx } from './testing/build-xlsx.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

describe('handler', () => {
  it('parses a CSV price list and copies the supplier onto the rows', async () => {
    const output = await skill.handler(
      {
        document: fixture('lestrade-marennes-2026-w47.csv'),
        fileName: 'lestrade.csv',
        supplier: 'Maison Lestrade',
      },
      createTestContext(),
    )
    expect(output.supplier).toBe('Maison Lestrade')
    expect(output.summary).toMatchObject({ parsed: 8, failed: 3 })
    expect(output.rows[0]).toMatchObject({
      variety: 'gillardeau',
      grade: 2,
      unit: 'box',
      packSize: 50,
      price: 172.5,
      currency: 'EUR',
      pricePerPiece: 3.45,
      supplier: 'Maison Lestrade',
    })
    expect(skill.output?.parse(output)).toEqual(output)
  })

  it('parses an XLSX given as base64', async () => {
    const bytes = buildXlsx([
      ['Product', 'Size', 'Price per dozen (EUR)'],
      ['Gillardeau', 3, 35.4],
    ])
    const output = await skill.handler(
      { documentBase64: bytes.toString('base64'), fileName: 'list.xlsx' },
      createTestContext(),
    )
    expect(output.rows).toEqual([
      expect.objectContaining({
        line: 2,
        grade: 3,
        unit: 'dozen',
        price: 35.4,
        pricePerPiece: 2.95,
      }),
    ])
  })

  it('fails an empty document with VALIDATION_FAILED naming the field', async () => {
    const error = await Promise.resolve(skill.handler({ document: '' }, createTestContext())).catch(
      (e: unknown) => e,
    )
    expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
    expect((error as Error).message).toMatch(/^document: the price list is empty/)
  })
})

describe('end to end through the orchestrator', () => {
  let tester: SkillTester
  beforeAll(async () => {
    tester = await createLibraryTester(import.meta.url)
  })
  afterAll(async () => {
    await tester.close()
  })

  it('loads without manifest or schema problems', () => {
    const mine = tester.os.loader.failures().filter((f) => f.dir.endsWith('parse-price-list'))
    expect(mine).toEqual([])
  })

  it('routes an English request with the file and returns the parsed rows', async () => {
    const result = await tester.run({
      input: 'parse this oyster price list from the supplier',
      params: { document: fixture('north-pacific-shellfish-2026-11.tsv'), fileName: 'np.tsv' },
    })
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('oysters/parse-price-list')
    const output = result.output as { format: string; summary: { parsed: number; failed: number } }
    expect(output.format).toBe('tsv')
    expect(output.summary).toMatchObject({ parsed: 6, failed: 2 })
  })

  it('routes a Russian request with a pasted list', async () => {
    const result = await tester.run({
      input: 'разбери прайс-лист поставщика устриц',
      params: { document: fixture('ustritsy-opt-2026-11-20.txt') },
    })
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('oysters/parse-price-list')
    const output = result.output as { rows: { variety: string; price: number }[] }
    expect(output.rows.slice(0, 2)).toEqual([
      expect.objectContaining({ variety: 'gillardeau', price: 540 }),
      expect.objectContaining({ variety: 'gillardeau', price: 465 }),
    ])
  })

  it('fails a request without a document with a clear VALIDATION_FAILED', async () => {
    const result = await tester.run('прочитай прайс на устрицы из файла')
    expect(result.skill?.id).toBe('oysters/parse-price-list')
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('VALIDATION_FAILED')
    expect(result.error?.message).toMatch(/document: the price list is empty/)
  })
})
