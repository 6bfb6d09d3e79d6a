import { closedPort, createMemoryStorage, startTestServer } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { convertWithOfficialRates } from './convert-request.js'

const now = (): number => Date.parse('2026-11-21T12:00:00Z')

describe('convertWithOfficialRates offline', () => {
  it('converts at the Bank of Russia snapshot by default and says it is offline', async () => {
    const answer = await convertWithOfficialRates(
      { amount: 250, from: 'EUR', to: 'RUB' },
      { config: {}, now },
    )
    expect(answer).toMatchObject({
      result: 21394.48,
      source: 'cbr',
      date: '2026-11-21',
      live: false,
    })
    expect(answer.note).toBe(
      'Offline snapshot of 2026-11-21 shipped with the skill; set cbrUrl for live rates',
    )
    expect(answer.text).toBe(
      '250 EUR = 21\u202f394.48 RUB at 1 EUR = 85.5779 RUB, Bank of Russia rates for 2026-11-21. Offline snapshot of 2026-11-21 shipped with the skill; set cbrUrl for live rates.',
    )
  })

  it('uses the configured source', async () => {
    const answer = await convertWithOfficialRates(
      { amount: 100, from: 'EUR', to: 'USD' },
      { config: { source: 'ecb' }, now },
    )
    expect(answer).toMatchObject({ result: 105.21, source: 'ecb', date: '2026-11-20' })
  })

  it('switches to the other publisher when only it quotes the currency, and says so', async () => {
    const answer = await convertWithOfficialRates(
      { amount: 100, from: 'USD', to: 'ISK' },
      { config: {}, now },
    )
    expect(answer).toMatchObject({ result: 13868, source: 'ecb', via: 'EUR' })
    expect(answer.note).toMatch(
      /^ISK is not quoted by the Bank of Russia; converted at European Central Bank rates\. /,
    )
  })

  it('does not switch when the source was asked for, nor when neither publisher has both', async () => {
    await expect(
      convertWithOfficialRates(
        { amount: 100, from: 'USD', to: 'ISK', source: 'cbr' },
        { config: {}, now },
      ),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/^to: ISK is not quoted by the Bank of Russia/) as string,
    })
    await expect(
      convertWithOfficialRates({ amount: 100, from: 'MXN', to: 'RUB' }, { config: {}, now }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/^from: MXN is not quoted by the Bank of Russia/) as string,
    })
  })

  it('echoes the requested date next to the date of the rate used', async () => {
    const answer = await convertWithOfficialRates(
      { amount: 1, from: 'USD', to: 'RUB', date: '2026-11-22' },
      { config: {}, now },
    )
    expect(answer).toMatchObject({ requestedDate: '2026-11-22', date: '2026-11-21', result: 81.23 })
  })
})

describe('convertWithOfficialRates live', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let base = ''
  let hits = 0

  beforeAll(async () => {
    server = await startTestServer((_req, res) => {
      hits++
      res.writeHead(200, { 'content-type': 'text/xml' })
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><gesmes:subject>Reference rates</gesmes:subject><gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender><Cube><Cube time='2026-11-20'><Cube currency='USD' rate='1.0500'/><Cube currency='CNY' rate='7.6000'/></Cube></Cube></gesmes:Envelope>`,
      )
    })
    base = server.url
  })
  afterAll(async () => {
    await server.close()
  })

  it('converts at the live ECB feed and caches it in storage', async () => {
    const storage = createMemoryStorage()
    const config = { source: 'ecb', ecbUrl: `${base}/stats/eurofxref/eurofxref-daily.xml` }
    const answer = await convertWithOfficialRates(
      { amount: 1000, from: 'USD', to: 'CNY' },
      { config, storage, now },
    )
    expect(answer).toMatchObject({
      result: 7238.1,
      rate: 7.2381,
      via: 'EUR',
      live: true,
      date: '2026-11-20',
    })
    expect(answer.note).toBeUndefined()
    await convertWithOfficialRates({ amount: 1, from: 'EUR', to: 'USD' }, { config, storage, now })
    expect(hits).toBe(1)
  })

  it('fails with UNAVAILABLE naming the URL when the feed cannot be reached', async () => {
    const port = await closedPort()
    await expect(
      convertWithOfficialRates(
        { amount: 1, from: 'USD', to: 'RUB' },
        { config: { cbrUrl: `http://127.0.0.1:${port}/scripts/XML_daily.asp` }, now },
      ),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining(
        `cannot reach Bank of Russia rates at http://127.0.0.1:${port}/scripts/XML_daily.asp`,
      ) as string,
    })
  })
})
