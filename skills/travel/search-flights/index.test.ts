import { SkillOSError } from '@skillos/contracts'
import { closedPort, createTestContext, startTestServer } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import skill from './index.js'

/** The next date (after today, UTC) falling on an ISO weekday. */
function next(weekday: number): string {
  const d = new Date()
  do d.setUTCDate(d.getUTCDate() + 1)
  while ((d.getUTCDay() || 7) !== weekday)
  return d.toISOString().slice(0, 10)
}

async function run(input: Record<string, unknown>, config: Record<string, unknown> = {}) {
  const parsed = skill.input?.parse(input)
  return skill.handler(parsed as never, createTestContext({ config }))
}

let server: Awaited<ReturnType<typeof startTestServer>>
let apiUrl: string

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        asOf: '2026-11-21T06:00:00Z',
        flights: [
          {
            carrier: 'TP',
            carrierName: 'TAP Air Portugal',
            flightNumber: 'TP 445',
            origin: 'CDG',
            destination: 'LIS',
            departure: '21:10',
            durationMinutes: 140,
            fares: [
              {
                cabin: 'economy',
                fareClass: 'Discount',
                price: 72.5,
                currency: 'EUR',
                baggage: { cabinKg: 8, checkedPieces: 0, checkedKg: 0 },
              },
            ],
          },
        ].filter(() => url.searchParams.get('destination') === 'LIS'),
      }),
    )
  })
  apiUrl = server.url
})

afterAll(async () => {
  await server.close()
})

describe('travel/search-flights handler', () => {
  it('searches the offline schedule by default', async () => {
    const friday = next(5)
    const output = await run({ origin: 'Paris', destination: 'Lisbon', date: friday })
    expect(output.source).toBe('offline')
    expect(output.flights.map((f) => [f.flightNumber, f.total])).toEqual([
      ['U2 4761', 54.99],
      ['TP 443', 89],
      ['TP 441', 98],
      ['AF 1024', 119],
    ])
    expect(output.dataAsOf).toBe('2025-10-01')
    expect(skill.output?.parse(output)).toEqual(output)
  })

  it('uses the live API when apiUrl is configured', async () => {
    const date = next(3)
    const output = await run({ origin: 'PAR', destination: 'LIS', date, passengers: 2 }, { apiUrl })
    expect(output.source).toBe('live')
    expect(output.dataAsOf).toBe('2026-11-21T06:00:00Z')
    expect(output.flights).toHaveLength(1)
    expect(output.flights[0]).toMatchObject({
      flightNumber: 'TP 445',
      date,
      arrivalTime: '22:30',
      total: 145,
      currency: 'EUR',
    })
  })

  it('fails with UNAVAILABLE naming the URL when the live API is down, never falling back', async () => {
    const port = await closedPort()
    const error = await run(
      { origin: 'Moscow', destination: 'Sochi', date: next(2) },
      { apiUrl: `http://127.0.0.1:${port}` },
    ).catch((e: unknown) => e)
    expect(SkillOSError.is(error)).toBe(true)
    expect((error as SkillOSError).code).toBe('UNAVAILABLE')
    expect((error as SkillOSError).message).toContain(`http://127.0.0.1:${port}/flights`)
  })

  it('fails with VALIDATION_FAILED naming the field for an unknown city', async () => {
    const error = await run({ origin: 'Gotham', destination: 'Sochi' }).catch((e: unknown) => e)
    expect((error as SkillOSError).code).toBe('VALIDATION_FAILED')
    expect((error as SkillOSError).message).toMatch(/^origin: unknown city or airport "Gotham"/)
  })

  it('rejects malformed input at the schema', () => {
    expect(skill.input?.safeParse({ origin: 'Moscow', passengers: 0 }).success).toBe(false)
    expect(skill.input?.safeParse({ origin: 'Moscow', maxPrice: -1 }).success).toBe(false)
    expect(skill.input?.safeParse({ origin: 'Moscow', timeFrom: '25:00' }).success).toBe(false)
    expect(skill.input?.safeParse({ origin: 'Moscow' }).data).toMatchObject({
      passengers: 1,
      cabin: 'economy',
      sortBy: 'price',
    })
  })
})
