import {
  closedPort,
  createLibraryTester,
  createTestContext,
  startTestServer,
  type SkillTester,
} from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import skill from './index.js'
import { snapshotBytes } from './lib/feeds.test-data.js'

type Output = Awaited<ReturnType<typeof skill.handler>>

describe('handler', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let url = ''
  let requests = 0
  let closedUrl = ''

  beforeAll(async () => {
    const body = await snapshotBytes('cbr-2026-11-21.xml')
    server = await startTestServer((_req, res) => {
      requests++
      res.writeHead(200, { 'content-type': 'application/xml; charset=windows-1251' })
      res.end(body)
    })
    url = `${server.url}/scripts/XML_daily.asp`
    closedUrl = `http://127.0.0.1:${await closedPort()}/daily`
  })
  afterAll(async () => {
    await server.close()
  })

  it('answers from the offline Bank of Russia snapshot by default, with its date', async () => {
    const out = await skill.handler({ currencies: ['usd', 'CNY'] }, createTestContext())
    expect(out).toEqual({
      source: 'cbr',
      sourceName: 'Bank of Russia',
      base: 'RUB',
      date: '2026-11-21',
      live: false,
      cached: false,
      note: 'Offline snapshot of 2026-11-21 shipped with the skill; set cbrUrl for live rates',
      rates: [
        { code: 'USD', name: 'Доллар США', rate: 81.2345, inverse: 0.01231 },
        { code: 'CNY', name: 'Юань', rate: 11.2221, inverse: 0.0891099 },
      ],
      text: 'Bank of Russia rates for 2026-11-21: 1 USD = 81.2345 RUB; 1 CNY = 11.2221 RUB. Offline snapshot of 2026-11-21 shipped with the skill; set cbrUrl for live rates.',
    })
  })

  it('uses the configured source and crosses to another base', async () => {
    const out = (await skill.handler(
      { currencies: ['GBP', 'USD'], base: 'usd' },
      createTestContext({ config: { source: 'ecb' } }),
    )) as Output
    expect(out).toMatchObject({ source: 'ecb', base: 'USD', date: '2026-11-20' })
    expect(out.rates).toEqual([{ code: 'GBP', rate: 1.26023, inverse: 0.793508 }])
  })

  it('reads the live feed from cbrUrl and caches it in ctx.storage', async () => {
    const ctx = createTestContext({ config: { cbrUrl: url } })
    const first = (await skill.handler({ currencies: ['EUR'] }, ctx)) as Output
    const second = (await skill.handler({ currencies: ['EUR'] }, ctx)) as Output
    expect(first).toMatchObject({
      live: true,
      cached: false,
      rates: [{ code: 'EUR', rate: 85.5779 }],
    })
    expect(first.note).toBeUndefined()
    expect(second.cached).toBe(true)
    expect(requests).toBe(1)
    expect((await ctx.storage.list('rates/cbr/')).map((e) => e.key)).toEqual(['rates/cbr/latest'])
  })

  it.each([
    [
      { currencies: ['XYZ'] },
      {},
      'VALIDATION_FAILED',
      'currencies: XYZ is not quoted by the Bank of Russia',
    ],
    [
      { currencies: ['RUB', 'USD'], source: 'ecb' as const },
      {},
      'VALIDATION_FAILED',
      'currencies: RUB is not quoted by the European Central Bank',
    ],
    [
      { date: '2020-01-01' },
      {},
      'VALIDATION_FAILED',
      'date: the offline snapshot has Bank of Russia rates from 2026-11-21 only',
    ],
    [{}, { cbrUrl: 'CLOSED' }, 'UNAVAILABLE', 'cannot reach Bank of Russia rates at CLOSED'],
    [{}, { cacheTtlMs: 'soon' }, 'CONFIG_INVALID', 'settings cacheTtlMs:'],
  ])('refuses %j with config %j: %s', async (input, config, code, message) => {
    // CLOSED: a port that was just free on 127.0.0.1.
    const settings = JSON.parse(JSON.stringify(config).replaceAll('CLOSED', closedUrl)) as Record<
      string,
      unknown
    >
    await expect(
      skill.handler(input, createTestContext({ config: settings })),
    ).rejects.toMatchObject({
      code,
      message: expect.stringContaining(message.replace('CLOSED', closedUrl)) as string,
    })
  })
})

describe('end to end through the orchestrator', () => {
  let tester: SkillTester

  beforeAll(async () => {
    tester = await createLibraryTester(import.meta.url, {
      now: () => Date.parse('2026-11-21T09:00:00Z'),
    })
  })
  afterAll(async () => {
    await tester.close()
  })

  it('routes "what is the euro exchange rate today" and answers from the Bank of Russia', async () => {
    const result = await tester.run('what is the euro exchange rate today')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('finance/exchange-rates')
    expect(result.output).toMatchObject({
      source: 'cbr',
      base: 'RUB',
      date: '2026-11-21',
      requestedDate: '2026-11-21',
      rates: [{ code: 'EUR', rate: 85.5779 }],
    })
  })

  it('reads "курс юаня к доллару по ЦБ" as yuan quoted in dollars', async () => {
    const result = await tester.run('курс юаня к доллару по ЦБ')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('finance/exchange-rates')
    expect(result.output).toMatchObject({
      source: 'cbr',
      base: 'USD',
      rates: [{ code: 'CNY', rate: 0.138145 }],
    })
  })

  it('reads "курсы ЕЦБ на вчера" as the ECB rates of the day before', async () => {
    const result = await tester.run('курсы ЕЦБ на вчера')
    expect(result.skill?.id).toBe('finance/exchange-rates')
    expect(result.output).toMatchObject({
      source: 'ecb',
      base: 'EUR',
      date: '2026-11-20',
      requestedDate: '2026-11-20',
    })
    expect((result.output as Output).rates).toHaveLength(29)
  })

  it('fails a run for a currency the bank does not quote, naming it', async () => {
    const result = await tester.run({
      skill: 'finance/exchange-rates',
      params: { currencies: ['ISK'] },
    })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('VALIDATION_FAILED')
    expect(result.error?.message).toContain('currencies: ISK is not quoted by the Bank of Russia')
  })
})
