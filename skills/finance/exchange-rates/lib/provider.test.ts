import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { closedPort, createMemoryStorage } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ecbXml, snapshotBytes } from './feeds.test-data.js'
import {
  cacheKeyOf,
  DEFAULT_CACHE_TTL_MS,
  feedUrl,
  loadRates,
  readEmbeddedRatesSettings,
  readRatesSettings,
  type RatesSettings,
} from './provider.js'

const NOW = Date.parse('2026-11-21T12:00:00Z')
const now = (): number => NOW

async function rejection(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected a rejection')
}

describe('readEmbeddedRatesSettings', () => {
  it("reads the rate keys of another skill's settings, ratesSource for source", () => {
    expect(
      readEmbeddedRatesSettings({
        ratesSource: 'ecb',
        currency: 'EUR',
        catalogueUrl: 'x',
        timeoutMs: 500,
      }),
    ).toEqual({ source: 'ecb', cacheTtlMs: DEFAULT_CACHE_TTL_MS, timeoutMs: 500 })
    expect(readEmbeddedRatesSettings({ source: 'ecb' }).source).toBe('cbr')
    expect(() => readEmbeddedRatesSettings({ ratesSource: 'fed' })).toThrow(/source/)
  })
})

describe('readRatesSettings', () => {
  it('defaults to the Bank of Russia offline, a one-hour cache and a 10 s timeout', () => {
    expect(readRatesSettings({})).toEqual({
      source: 'cbr',
      cacheTtlMs: 3_600_000,
      timeoutMs: 10_000,
    })
  })

  it('takes the live URLs, the source and the TTL; a blank URL is unset', () => {
    expect(
      readRatesSettings({
        source: 'ecb',
        ecbUrl: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml',
        cbrUrl: '',
        cacheTtlMs: 0,
        other: true,
      }),
    ).toEqual({
      source: 'ecb',
      ecbUrl: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml',
      cacheTtlMs: 0,
      timeoutMs: 10_000,
    })
  })

  it.each([
    [{ cbrUrl: 'not a url' }, 'settings cbrUrl:'],
    [{ ecbUrl: 'ftp://example.com/rates.xml' }, 'settings ecbUrl:'],
    [{ cacheTtlMs: -1 }, 'settings cacheTtlMs:'],
    [{ source: 'fed' }, 'settings source:'],
  ])('refuses %j as CONFIG_INVALID naming the setting', (config, message) => {
    expect(() => readRatesSettings(config)).toThrow(message)
  })
})

describe('feedUrl', () => {
  it('adds date_req=DD/MM/YYYY to the Bank of Russia URL only', () => {
    expect(feedUrl('cbr', 'https://www.cbr.ru/scripts/XML_daily.asp', '2026-11-21')).toBe(
      'https://www.cbr.ru/scripts/XML_daily.asp?date_req=21/11/2026',
    )
    expect(feedUrl('cbr', 'https://proxy/cbr?key=1', '2026-01-05')).toBe(
      'https://proxy/cbr?key=1&date_req=05/01/2026',
    )
    expect(feedUrl('cbr', 'https://www.cbr.ru/scripts/XML_daily.asp')).toBe(
      'https://www.cbr.ru/scripts/XML_daily.asp',
    )
    expect(feedUrl('ecb', 'https://ecb/daily.xml', '2026-11-20')).toBe('https://ecb/daily.xml')
  })
})

describe('loadRates offline', () => {
  const settings = readRatesSettings({})

  it('serves the shipped snapshot and says so', async () => {
    const loaded = await loadRates({ source: 'cbr', settings, now })
    expect(loaded.live).toBe(false)
    expect(loaded.table.date).toBe('2026-11-21')
    expect(loaded.note).toBe(
      'Offline snapshot of 2026-11-21 shipped with the skill; set cbrUrl for live rates',
    )
  })

  it('answers a later date with the latest rates before it (tomorrow included)', async () => {
    const loaded = await loadRates({ source: 'ecb', settings, date: '2026-11-22', now })
    expect(loaded.table.date).toBe('2026-11-20')
  })

  it.each([
    [
      '2026-11-01',
      'date: the offline snapshot has Bank of Russia rates from 2026-11-21 only, none for 2026-11-01; set skills.settings cbrUrl for other dates',
    ],
    [
      '2026-11-23',
      'date: 2026-11-23 is in the future; official rates are published at most one day ahead (2026-11-22)',
    ],
    ['2026-02-30', 'date: "2026-02-30" is not a real date (YYYY-MM-DD)'],
  ])('refuses %s with VALIDATION_FAILED', async (date, message) => {
    const error = await rejection(loadRates({ source: 'cbr', settings, date, now }))
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message })
  })
})

describe('loadRates live', () => {
  let server: Server
  let base = ''
  const hits: string[] = []
  let cbrBody: Buffer
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/scripts/XML_daily.asp': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml; charset=windows-1251' })
      res.end(cbrBody)
    },
    '/eurofxref-hist-90d.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' })
      res.end(
        ecbXml({
          '2026-11-20': { USD: '1.0521' },
          '2026-11-19': { USD: '1.0502' },
          '2026-11-18': { USD: '1.0490' },
        }),
      )
    },
    '/down': (_req, res) => {
      res.writeHead(503)
      res.end('maintenance')
    },
    '/html': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html><body><h1>Ошибка</h1><p>Сервис недоступен<br></body></html>')
    },
    '/slow': () => undefined,
  }

  beforeAll(async () => {
    cbrBody = await snapshotBytes('cbr-2026-11-21.xml')
    server = createServer((req, res) => {
      hits.push(req.url ?? '')
      const route = routes[(req.url ?? '').split('?')[0] ?? '']
      if (route) route(req, res)
      else {
        res.writeHead(404)
        res.end()
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  const live = (overrides: Partial<RatesSettings> = {}): RatesSettings => ({
    ...readRatesSettings({
      cbrUrl: `${base}/scripts/XML_daily.asp`,
      ecbUrl: `${base}/eurofxref-hist-90d.xml`,
    }),
    ...overrides,
  })

  it('fetches the Bank of Russia feed for the date, decodes windows-1251 and caches it in storage', async () => {
    hits.length = 0
    const storage = createMemoryStorage()
    const first = await loadRates({
      source: 'cbr',
      settings: live(),
      date: '2026-11-21',
      storage,
      now,
    })
    expect(hits).toEqual(['/scripts/XML_daily.asp?date_req=21/11/2026'])
    expect(first).toMatchObject({ live: true, cached: false, url: `${base}/scripts/XML_daily.asp` })
    expect(first.table.quotes.find((q) => q.code === 'USD')).toMatchObject({
      name: 'Доллар США',
      baseUnits: '81.2345',
    })
    expect(await storage.get(cacheKeyOf('cbr', '2026-11-21'))).toMatchObject({
      fetchedAt: NOW,
      table: first.table,
    })

    // A restart: nothing in memory, the same storage.
    const again = await loadRates({
      source: 'cbr',
      settings: live(),
      date: '2026-11-21',
      storage,
      now: () => NOW + 60_000,
    })
    expect(again).toMatchObject({ cached: true, table: first.table })
    expect(hits).toHaveLength(1)
  })

  it('fetches again once the TTL has passed, or when the configured URL changed', async () => {
    hits.length = 0
    const storage = createMemoryStorage()
    await loadRates({ source: 'cbr', settings: live({ cacheTtlMs: 1000 }), storage, now })
    await loadRates({
      source: 'cbr',
      settings: live({ cacheTtlMs: 1000 }),
      storage,
      now: () => NOW + 999,
    })
    expect(hits).toEqual(['/scripts/XML_daily.asp'])
    await loadRates({
      source: 'cbr',
      settings: live({ cacheTtlMs: 1000 }),
      storage,
      now: () => NOW + 1000,
    })
    expect(hits).toHaveLength(2)
    await loadRates({
      source: 'cbr',
      settings: live({ cbrUrl: `${base}/scripts/XML_daily.asp?mirror=2` }),
      storage,
      now: () => NOW + 1001,
    })
    expect(hits).toHaveLength(3)
  })

  it('does not cache with cacheTtlMs 0', async () => {
    const storage = createMemoryStorage()
    await loadRates({ source: 'cbr', settings: live({ cacheTtlMs: 0 }), storage, now })
    expect(await storage.list()).toEqual([])
  })

  it('picks the requested day from an ECB history feed, and refuses a day before it', async () => {
    const loaded = await loadRates({ source: 'ecb', settings: live(), date: '2026-11-19', now })
    expect(loaded.table).toMatchObject({
      date: '2026-11-19',
      quotes: [{ code: 'USD', units: '1.0502' }],
    })
    const latest = await loadRates({ source: 'ecb', settings: live(), now })
    expect(latest.table.date).toBe('2026-11-20')
    const error = await rejection(
      loadRates({ source: 'ecb', settings: live(), date: '2026-10-01', now }),
    )
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: `date: ${base}/eurofxref-hist-90d.xml has European Central Bank rates from 2026-11-18 only, none for 2026-10-01`,
    })
  })

  it('fails loudly with UNAVAILABLE on an HTTP error, naming the URL and the status', async () => {
    const error = await rejection(
      loadRates({ source: 'ecb', settings: live({ ecbUrl: `${base}/down` }), now }),
    )
    expect(error).toMatchObject({
      code: 'UNAVAILABLE',
      message: `European Central Bank rates at ${base}/down answered HTTP 503`,
    })
  })

  it('reports an unreadable answer as UPSTREAM_FAILED naming the URL', async () => {
    const error = await rejection(
      loadRates({ source: 'cbr', settings: live({ cbrUrl: `${base}/html` }), now }),
    )
    expect(error.code).toBe('UPSTREAM_FAILED')
    expect(error.message).toContain(
      `Bank of Russia rates at ${base}/html are unreadable: document:`,
    )
  })

  it('gives up after timeoutMs', async () => {
    const error = await rejection(
      loadRates({ source: 'ecb', settings: live({ ecbUrl: `${base}/slow`, timeoutMs: 200 }), now }),
    )
    expect(error).toMatchObject({
      code: 'UNAVAILABLE',
      message: `cannot reach European Central Bank rates at ${base}/slow: no answer within 200 ms`,
    })
  })

  it('fails with UNAVAILABLE naming the URL, secrets masked, when nothing listens', async () => {
    const port = await closedPort()
    const error = await rejection(
      loadRates({
        source: 'cbr',
        settings: live({ cbrUrl: `http://127.0.0.1:${port}/daily?token=s3cret` }),
        now,
      }),
    )
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toContain(
      `cannot reach Bank of Russia rates at http://127.0.0.1:${port}/daily?token=***`,
    )
    expect(error.message).toContain('ECONNREFUSED')
    expect(error.message).not.toContain('s3cret')
  })
})
