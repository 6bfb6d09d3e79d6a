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
  return skill.handler(skill.input!.parse(input), createTestContext({ config }))
}

describe('handler', () => {
  it('converts at the offline Bank of Russia rate and says which', async () => {
    const output = await run({ purchasePrice: 1.2, salePrice: 450 })
    expect(output.exchangeRate).toEqual({
      rate: 85.5779,
      source: 'cbr',
      date: '2026-11-21',
      live: false,
    })
    expect(output.landedCost.perPiece).toBe(141.93)
    expect(output.sale?.marginPercent).toBe(65.31)
    expect(output.assumptions).toEqual({
      freightPerPiece: 0.35,
      freightCurrency: 'EUR',
      dutyPercent: 7,
      vatPercent: 10,
      vatPayer: true,
      asOf: '2026-11-01',
    })
    expect(output.summary).toBe(
      'landed cost 141.93 RUB a piece; at 450.00 RUB the margin is 65.31% (profit 267.16 RUB a piece, 267.16 RUB in total)',
    )
    expect(skill.output!.parse(output)).toEqual(output)
  })

  it('uses a rate given in the request', async () => {
    const output = await run({
      purchasePrice: 1.2,
      salePrice: 450,
      exchangeRate: 100,
      freightPerPiece: 0,
    })
    expect(output.exchangeRate).toEqual({ rate: 100, source: 'input' })
    // 120 + 7 % duty = 128.40
    expect(output.landedCost.perPiece).toBe(128.4)
  })

  it('converts freight in its own currency', async () => {
    const output = await run({
      purchasePrice: 1.2,
      exchangeRate: 100,
      freightPerPiece: 30,
      freightCurrency: 'RUB',
      dutyPercent: 0,
      targetMargin: 50,
    })
    expect(output.landedCost.perPiece).toBe(150)
    expect(output.target?.retailPrice.perPiece).toBe(330)
    expect(output.summary).toBe(
      'landed cost 150.00 RUB a piece; for a 50% margin sell at 330.00 RUB a piece',
    )
  })

  it('needs no rate in one currency', async () => {
    const output = await run({
      purchasePrice: 250,
      purchaseCurrency: 'RUB',
      freightPerPiece: 20,
      freightCurrency: 'RUB',
      salePrice: 450,
    })
    expect(output.exchangeRate).toEqual({ rate: 1, source: 'same-currency' })
    // (250 + 20) × 1.07
    expect(output.landedCost.perPiece).toBe(288.9)
  })

  it('reads the ECB when settings say so, crossing through EUR', async () => {
    const output = await run(
      {
        purchasePrice: 2,
        purchaseCurrency: 'USD',
        saleCurrency: 'EUR',
        freightPerPiece: 0,
        dutyPercent: 0,
        salePrice: 3,
      },
      { ratesSource: 'ecb' },
    )
    expect(output.exchangeRate.source).toBe('ecb')
    expect(output.exchangeRate.date).toBe('2026-11-20')
  })

  it('takes duty, VAT, freight and VAT status from settings', async () => {
    const output = await run(
      { purchasePrice: 1.2, salePrice: 450 },
      { dutyPercent: 0, vatPercent: 22, freightPerPiece: 0, vatPayer: false },
    )
    expect(output.assumptions).toMatchObject({
      dutyPercent: 0,
      vatPercent: 22,
      freightPerPiece: 0,
      vatPayer: false,
    })
    // 102.69348 × 1.22 = 125.29
    expect(output.landedCost.perPiece).toBe(125.29)
    expect(output.notes.some((n) => n.startsWith('duty'))).toBe(false)
  })

  it.each([
    [
      { purchasePrice: 1, purchaseCurrency: 'EURO' },
      'purchaseCurrency: "EURO" is not an ISO 4217 currency code',
    ],
    [
      { purchasePrice: 1, purchaseCurrency: 'ISK' },
      'purchaseCurrency: Bank of Russia publishes no rate for ISK (pass exchangeRate)',
    ],
    [
      { purchasePrice: 1, targetMargin: 120 },
      'targetMargin: 120% is not possible — a margin is below 100% of the price',
    ],
  ])('refuses %j', async (input, message) => {
    const error = await captureSkillError(run(input))
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toBe(message)
  })

  it('refuses negative amounts at the schema', () => {
    expect(skill.input!.safeParse({ purchasePrice: -1 }).success).toBe(false)
    expect(skill.input!.safeParse({ purchasePrice: 1, salePrice: -450 }).success).toBe(false)
  })
})

describe('handler, live Bank of Russia rates (cbrUrl)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let url: string
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?><ValCurs Date="21.11.2026" name="Foreign Currency Market">' +
    '<Valute ID="R01235"><NumCode>840</NumCode><CharCode>USD</CharCode><Nominal>1</Nominal><Name>Доллар США</Name><Value>80,5000</Value></Valute>' +
    '<Valute ID="R01239"><NumCode>978</NumCode><CharCode>EUR</CharCode><Nominal>1</Nominal><Name>Евро</Name><Value>90,0000</Value></Valute>' +
    '</ValCurs>'
  beforeAll(async () => {
    server = await startTestServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' })
      res.end(xml)
    })
    url = `${server.url}/scripts/XML_daily.asp`
  })
  afterAll(async () => {
    await server.close()
  })

  it('converts at the live rate', async () => {
    const output = await run(
      { purchasePrice: 1.2, salePrice: 450, freightPerPiece: 0 },
      { cbrUrl: url },
    )
    expect(output.exchangeRate).toEqual({ rate: 90, source: 'cbr', date: '2026-11-21', live: true })
    // 108 + 7 % = 115.56
    expect(output.landedCost.perPiece).toBe(115.56)
  })

  it('fails with UNAVAILABLE naming the URL when the feed cannot be reached', async () => {
    const port = await closedPort()
    const error = await captureSkillError(
      run({ purchasePrice: 1.2 }, { cbrUrl: `http://127.0.0.1:${port}/daily.xml` }),
    )
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toContain(`http://127.0.0.1:${port}/daily.xml`)
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
    expect(tester.os.loader.failures().filter((f) => f.dir.endsWith('calculate-margin'))).toEqual(
      [],
    )
  })

  it('answers the margin question in English', async () => {
    const result = await tester.run('what is my margin at 450 rubles a piece if I buy at 1.20 euro')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('oysters/calculate-margin')
    const output = result.output as Output
    expect(output).toMatchObject({ purchaseCurrency: 'EUR', saleCurrency: 'RUB' })
    expect(output.landedCost.perPiece).toBe(141.93)
    expect(output.sale?.marginPercent).toBe(65.31)
  })

  it('answers a Russian request with a quantity and totals', async () => {
    const result = await tester.run(
      'сколько заработаю на 1000 устриц при закупке 3,40 евро и цене 690 рублей',
    )
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('oysters/calculate-margin')
    const output = result.output as Output
    expect(output.quantity).toBe(1000)
    expect(output.landedCost).toEqual({ perPiece: 343.38, total: 343381.32 })
    expect(output.sale?.marginPercent).toBe(45.26)
  })

  it('prices a target margin from a Russian request', async () => {
    const result = await tester.run(
      'по какой цене продавать устрицы по 2,90 евро закупки чтобы маржа была 35 процентов',
    )
    expect(result.status).toBe('succeeded')
    const output = result.output as Output
    expect(output.target?.marginPercent).toBe(35)
    // (2.90 + 0.35) × 85.5779 × 1.07 = 297.597…; ÷ 0.65 = 457.841…; × 1.10 = 503.626…
    expect(output.landedCost.perPiece).toBe(297.6)
    expect(output.target?.retailPrice.perPiece).toBe(503.63)
  })

  it('asks for the purchase price when only the sale price is given', async () => {
    const result = await tester.run('какая маржа при цене 450 ₽ за штуку')
    expect(result.status).toBe('needs_input')
    expect(result.skill?.id).toBe('oysters/calculate-margin')
    expect(result.missing?.[0]?.field).toBe('purchasePrice')
  })
})
