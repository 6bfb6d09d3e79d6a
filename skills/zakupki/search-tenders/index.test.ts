import {
  captureSkillError,
  closedPort,
  createTestContext,
  startTestServer,
} from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import skill from './index.js'

type Input = Parameters<typeof skill.handler>[0]

async function failure(input: Input, config: Record<string, unknown> = {}) {
  const { code, message } = await captureSkillError(() =>
    skill.handler(input, createTestContext({ config })),
  )
  return { code, message }
}

describe('search-tenders handler (offline dataset)', () => {
  it('searches the shipped snapshot and says which one', async () => {
    const out = await skill.handler(
      { query: 'морепродукты', region: 'Приморский край' },
      createTestContext(),
    )
    expect(out.source).toEqual({
      kind: 'offline',
      name: expect.stringContaining('zakupki.gov.ru'),
      asOf: '2026-11-16T09:00:00.000Z',
    })
    expect(out.criteria).toEqual({
      keywords: ['морепродукты'],
      region: 'Приморский край',
      regionCode: '25',
      openOnly: true,
    })
    expect(out.total).toBe(1)
    expect(out.tenders[0]).toMatchObject({
      law: '223-FZ',
      title:
        'Поставка рыбы и морепродуктов (лосось охлажденный, кальмар, креветка) для столовых кампуса',
      nmck: 5_600_000,
      currency: 'RUB',
      region: 'Приморский край',
      submissionDeadline: '2026-11-25T04:00:00+03:00',
      open: true,
      daysLeft: 8,
      score: 1,
      matchedKeywords: ['морепродукты'],
    })
  })

  it('refuses a search with nothing to search by', async () => {
    expect(await failure({})).toEqual({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/^query: say what to search for/),
    })
  })

  it('refuses an unknown region by name', async () => {
    expect((await failure({ region: 'Нарния' })).message).toMatch(
      /^region: unknown region "Нарния"/,
    )
  })

  it('refuses a feed URL that is not http(s)', async () => {
    expect(await failure({ query: 'рыба' }, { feedUrl: 'ftp://feed.example/notices' })).toEqual({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('feedUrl: must be an http(s) URL'),
    })
  })
})

describe('search-tenders handler (live feed)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let base: string
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString()
  const feed = [
    {
      purchaseNumber: '0373200041526000999',
      law: '44-FZ',
      purchaseObjectInfo: 'Поставка рыбы мороженой (минтай) для школьного питания',
      placingWay: { code: 'EA20', name: 'Электронный аукцион' },
      customer: {
        fullName: 'ГБОУ «ШКОЛА № 1298»',
        inn: '7743019847',
        regionCode: '77',
        regionName: 'Москва',
      },
      maxPrice: { amount: 1234567.89, currency: 'RUB' },
      publishDate: inDays(-3),
      collectingEndDate: inDays(5.5),
      okpd2: [{ code: '10.20.13.110', name: 'Рыба морская мороженая' }],
    },
    {
      purchaseNumber: '32614314187',
      law: '223-FZ',
      purchaseObjectInfo: 'Поставка бензина АИ-95',
      placingWay: { code: 'ZKESMBO', name: 'Запрос котировок' },
      customer: {
        fullName: 'АО «МОСОБЛЭНЕРГО»',
        inn: '5036065113',
        regionCode: '50',
        regionName: 'Московская область',
      },
      maxPrice: { amount: '7200000.00', currency: 'RUB' },
      publishDate: inDays(-2),
      collectingEndDate: inDays(9),
    },
  ]

  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      if (req.url === '/notices.json') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(feed))
      } else if (req.url === '/broken.json') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify([{ ...feed[0], law: '94-FZ' }]))
      } else {
        res.writeHead(503)
        res.end()
      }
    })
    base = server.url
  })
  afterAll(() => server.close())

  it('searches the notices the feed returns, open as of now', async () => {
    const out = await skill.handler(
      { query: 'рыба', region: 'Москва' },
      createTestContext({ config: { feedUrl: `${base}/notices.json` } }),
    )
    expect(out.source.kind).toBe('live')
    expect(out.source.name).toBe(`${base}/notices.json`)
    expect(out.total).toBe(1)
    expect(out.tenders[0]).toMatchObject({
      purchaseNumber: '0373200041526000999',
      nmck: 1234567.89,
      daysLeft: 5,
      open: true,
    })
  })

  it('fails loudly, naming the URL without its password, when the feed is down', async () => {
    const port = await closedPort()
    const error = await failure(
      { query: 'рыба' },
      { feedUrl: `http://user:s3cret@127.0.0.1:${port}/notices.json` },
    )
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toContain(`http://user:***@127.0.0.1:${port}/notices.json`)
    expect(error.message).toContain('ECONNREFUSED')
    expect(error.message).not.toContain('s3cret')
  })

  it('reports an HTTP error status as unavailable', async () => {
    expect(await failure({ query: 'рыба' }, { feedUrl: `${base}/down` })).toEqual({
      code: 'UNAVAILABLE',
      message: `tender feed ${base}/down answered HTTP 503`,
    })
  })

  it('names the notice and field of a malformed feed', async () => {
    expect(await failure({ query: 'рыба' }, { feedUrl: `${base}/broken.json` })).toEqual({
      code: 'UPSTREAM_FAILED',
      message: expect.stringContaining(`tender feed ${base}/broken.json: notice 0 law:`),
    })
  })
})
