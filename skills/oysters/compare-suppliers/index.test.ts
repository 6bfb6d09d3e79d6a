import { readFileSync } from 'node:fs'
import {
  captureSkillError,
  closedPort,
  createLibraryTester,
  createTestContext,
  startTestServer,
  type SkillTester,
} from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import skill from './index.js'

type Output = Awaited<ReturnType<typeof skill.handler>>

async function run(
  input: Record<string, unknown>,
  config: Record<string, unknown> = {},
): Promise<Output> {
  const parsed = skill.input!.parse(input)
  return skill.handler(parsed, createTestContext({ config }))
}

describe('handler, offline catalogue', () => {
  it('ranks suppliers and states the catalogue date', async () => {
    const output = await run({ variety: 'gillardeau', grade: 2, quantity: 130 })
    // The rouble supplier is compared at the Bank of Russia snapshot (1 EUR = 85.5779 RUB).
    expect(output.ranking.map((r) => [r.supplier, r.total])).toEqual([
      ['Maison Lestrade', 612.5],
      ['Arcachon Ostréa', 676],
      ['ООО «Устрицы Опт»', expect.closeTo(70200 / 85.5779, 1)],
    ])
    expect(output.crossCurrency).toBe('converted')
    expect(output.rates).toEqual({
      source: 'cbr',
      sourceName: 'Bank of Russia',
      date: '2026-11-21',
      live: false,
      rates: [{ currency: 'RUB', rate: 0.0116853 }],
    })
    expect(output.summary).toMatch(/Prices in RUB converted at Bank of Russia rates of 2026-11-21/)
    expect(output.source).toEqual({ catalogue: 'offline', asOf: '2026-11-16', offers: 0 })
    expect(output.order).toEqual({
      variety: 'gillardeau',
      varietyName: 'Gillardeau',
      grade: 2,
      quantity: 130,
      unit: 'piece',
    })
    expect(skill.output!.parse(output)).toEqual(output)
  })

  it('uses the currency setting when the request names none', async () => {
    const output = await run(
      { variety: 'gillardeau', grade: 2, quantity: 130 },
      { currency: 'RUB' },
    )
    expect(output.currency).toBe('RUB')
    expect(output.ranking.map((r) => [r.supplier, r.total])).toEqual([
      ['Maison Lestrade', expect.closeTo(612.5 * 85.5779, 1)],
      ['Arcachon Ostréa', expect.closeTo(676 * 85.5779, 1)],
      ['ООО «Устрицы Опт»', 70200],
    ])
    expect(output.ranking[0]?.reasons).toContain('converted from EUR at 85.5779 RUB per EUR')
  })

  it('compares offers passed in (rows of parse-price-list) instead of the catalogue', async () => {
    const output = await run({
      variety: 'fine-de-claire',
      grade: 3,
      quantity: 100,
      offers: [
        {
          supplier: 'Maison Lestrade',
          variety: 'fine-de-claire',
          grade: 3,
          unit: 'dozen',
          price: 13.9,
          currency: 'EUR',
        },
        {
          supplier: 'Oléron Direct',
          variety: 'fine-de-claire',
          grade: 3,
          unit: 'box',
          packSize: 48,
          price: 50.4,
          currency: 'eur',
        },
      ],
    })
    // Lestrade: 100 → 108 pieces (9 dozens) = 125.10, below its 300 EUR minimum → 300 + 95 delivery.
    // Oléron Direct: 3 boxes of 48 = 151.20, no terms known.
    expect(
      output.ranking.map((r) => [r.supplier, r.goods, r.minimumTopUp, r.delivery, r.total]),
    ).toEqual([
      ['Oléron Direct', 151.2, 0, 0, 151.2],
      ['Maison Lestrade', 125.1, 174.9, 95, 395],
    ])
    expect(output.source.offers).toBe(2)
  })

  it.each([
    [
      { variety: 'gillardeau', quantity: 10, currency: 'EURO' },
      'currency: "EURO" is not an ISO 4217 currency code',
    ],
    [
      { variety: 'gillardeau', quantity: 10, exchangeRates: [{ currency: 'XXY', rate: 1 }] },
      'exchangeRates[0].currency: "XXY" is not an ISO 4217 currency code',
    ],
    [
      {
        variety: 'gillardeau',
        quantity: 10,
        offers: [{ variety: 'gillardeau', unit: 'piece', price: 3, currency: 'E' }],
      },
      'offers[0].currency: "E" is not an ISO 4217 currency code',
    ],
  ])('refuses %j', async (input, message) => {
    const error = await captureSkillError(run(input))
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toBe(message)
  })

  it('refuses negative prices and quantities at the schema', () => {
    expect(skill.input!.safeParse({ variety: 'gillardeau', quantity: -5 }).success).toBe(false)
    expect(
      skill.input!.safeParse({
        variety: 'gillardeau',
        quantity: 5,
        offers: [{ variety: 'gillardeau', unit: 'piece', price: -1, currency: 'EUR' }],
      }).success,
    ).toBe(false)
  })
})

describe('handler, live catalogue (catalogueUrl)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let url: string
  const body = JSON.stringify({
    asOf: '2026-11-20',
    suppliers: [
      {
        name: 'Live Oyster Co',
        currency: 'EUR',
        minOrder: { pieces: 100 },
        offers: [{ variety: 'kumamoto', grade: 3, unit: 'box', packSize: 60, price: 108 }],
      },
    ],
  })
  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      if (req.url === '/catalogue.json') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(body)
      } else if (req.url === '/broken.json') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('{"suppliers": "none"}')
      } else {
        res.writeHead(404)
        res.end()
      }
    })
    url = server.url
  })
  afterAll(async () => {
    await server.close()
  })

  it('prices from the live catalogue', async () => {
    const output = await run(
      { variety: 'kumamoto', grade: 3, quantity: 70 },
      { catalogueUrl: `${url}/catalogue.json` },
    )
    expect(output.source).toEqual({ catalogue: 'live', asOf: '2026-11-20', offers: 0 })
    // 70 → minimum 100 → 2 boxes of 60.
    expect(output.ranking.map((r) => [r.supplier, r.billedPieces, r.total])).toEqual([
      ['Live Oyster Co', 120, 216],
    ])
  })

  it('fails loudly on a body that is not a catalogue, naming the URL', async () => {
    const error = await captureSkillError(
      run({ variety: 'kumamoto', quantity: 70 }, { catalogueUrl: `${url}/broken.json` }),
    )
    expect(error.code).toBe('UPSTREAM_FAILED')
    expect(error.message).toContain(`${url}/broken.json`)
  })

  it('fails with UNAVAILABLE on an HTTP error', async () => {
    const error = await captureSkillError(
      run({ variety: 'kumamoto', quantity: 70 }, { catalogueUrl: `${url}/missing` }),
    )
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toBe(`supplier catalogue at ${url}/missing answered HTTP 404`)
  })

  it('fails with UNAVAILABLE on a closed port, masking credentials in the URL', async () => {
    const port = await closedPort()
    const error = await captureSkillError(
      run(
        { variety: 'kumamoto', quantity: 70 },
        { catalogueUrl: `http://buyer:s3cret@127.0.0.1:${port}/c.json?token=abc` },
      ),
    )
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toBe(
      `supplier catalogue at http://buyer:***@127.0.0.1:${port}/c.json?token=*** is unreachable: ECONNREFUSED`,
    )
    expect(error.message).not.toContain('s3cret')
    expect(error.message).not.toContain('abc')
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
    expect(tester.os.loader.failures().filter((f) => f.dir.endsWith('compare-suppliers'))).toEqual(
      [],
    )
  })

  it('answers an English request with the ranking', async () => {
    const result = await tester.run('which supplier is cheapest for 130 Gillardeau No.2')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('oysters/compare-suppliers')
    const output = result.output as Output
    expect(output.order).toMatchObject({
      variety: 'gillardeau',
      grade: 2,
      quantity: 130,
      unit: 'piece',
    })
    expect(output.ranking.map((r) => [r.supplier, r.total])).toEqual([
      ['Maison Lestrade', 612.5],
      ['Arcachon Ostréa', 676],
      ['ООО «Устрицы Опт»', expect.closeTo(70200 / 85.5779, 1)],
    ])
  })

  it('answers a Russian request in dozens rounding to whole packs', async () => {
    const result = await tester.run('сравни поставщиков на 150 черноморских устриц калибр 3')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('oysters/compare-suppliers')
    const output = result.output as Output
    expect(output.currency).toBe('RUB')
    expect(output.ranking.map((r) => [r.supplier, r.billedPieces, r.total])).toEqual([
      ['ООО «Устрицы Опт»', 156, 34320],
      ['ООО «Крымская устрица»', 200, 41500],
    ])
  })

  it('reads "without delivery" and dozens', async () => {
    const result = await tester.run(
      'compare suppliers for an order of 50 dozen Fine de Claire N°3 without delivery',
    )
    expect(result.status).toBe('succeeded')
    const output = result.output as Output
    expect(output.order).toMatchObject({ quantity: 50, unit: 'dozen', grade: 3 })
    expect(output.ranking.map((r) => [r.supplier, r.total])).toEqual([
      ['Arcachon Ostréa', 648],
      ['Cancale Ostréiculture', 670.8],
      ['Maison Lestrade', 686.4],
      ['ООО «Устрицы Опт»', expect.any(Number)],
    ])
    expect(output.crossCurrency).toBe('converted')
  })

  it('asks for the variety when the request names none', async () => {
    const result = await tester.run('у какого поставщика дешевле взять 200 устриц')
    expect(result.status).toBe('needs_input')
    expect(result.skill?.id).toBe('oysters/compare-suppliers')
    expect(result.missing?.[0]?.field).toBe('variety')
  })
})

describe('fixture', () => {
  it('is dated', () => {
    const json = JSON.parse(
      readFileSync(new URL('./fixtures/suppliers-2026-11.json', import.meta.url), 'utf8'),
    ) as { asOf: string }
    expect(json.asOf).toBe('2026-11-16')
  })
})
