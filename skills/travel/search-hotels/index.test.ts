import { readFileSync } from 'node:fs'
import { SkillOSError } from '@skillos/contracts'
import { closedPort, createTestContext, startTestServer } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { landmarkNames, loadCatalog } from './lib/catalog.js'
import skill from './index.js'

/** A date `days` after today (UTC). */
function inDays(days: number): string {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

async function run(input: Record<string, unknown>, config: Record<string, unknown> = {}) {
  const parsed = skill.input?.parse(input)
  return skill.handler(parsed as never, createTestContext({ config }))
}

let server: Awaited<ReturnType<typeof startTestServer>>
let apiUrl: string

beforeAll(async () => {
  server = await startTestServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        asOf: '2026-11-21T06:00:00Z',
        hotels: [
          {
            name: 'Hotel Lutetia',
            stars: 5,
            rating: 9.3,
            pricePerNight: 890,
            currency: 'EUR',
            lat: 48.8513,
            lon: 2.3276,
          },
        ],
      }),
    )
  })
  apiUrl = server.url
})

afterAll(async () => {
  await server.close()
})

describe('travel/search-hotels handler', () => {
  it('searches the offline catalogue for a dated stay', async () => {
    const checkIn = inDays(20)
    const output = await run({ city: 'Тбилиси', checkIn, checkOut: inDays(23), minStars: 4 })
    expect(output.source).toBe('offline')
    expect(output.stay).toEqual({ nights: 3, checkIn, checkOut: inDays(23) })
    expect(output.hotels.map((h) => [h.name, h.total])).toEqual([
      ['Holiday Inn Tbilisi', 330],
      ['Rooms Hotel Tbilisi', 540],
      ['Stamba Hotel', 960],
    ])
    expect(output.currency).toBe('USD')
    expect(output.dataAsOf).toBe('2025-10-01')
    expect(skill.output?.parse(output)).toEqual(output)
  })

  it('uses the live API when apiUrl is configured', async () => {
    const output = await run({ city: 'Paris', nights: 2, near: 'Louvre' }, { apiUrl })
    expect(output.source).toBe('live')
    expect(output.hotels).toHaveLength(1)
    expect(output.hotels[0]).toMatchObject({
      name: 'Hotel Lutetia',
      total: 1780,
      distanceKm: 1.27,
      currency: 'EUR',
    })
  })

  it('fails with UNAVAILABLE naming the URL when the live API is down', async () => {
    const port = await closedPort()
    const error = await run({ city: 'Paris' }, { apiUrl: `http://127.0.0.1:${port}/v2` }).catch(
      (e: unknown) => e,
    )
    expect(SkillOSError.is(error)).toBe(true)
    expect((error as SkillOSError).code).toBe('UNAVAILABLE')
    expect((error as SkillOSError).message).toContain(`http://127.0.0.1:${port}/v2/hotels`)
  })

  it('fails with VALIDATION_FAILED naming the field', async () => {
    const error = await run({ city: 'Paris', point: 'near the river' }).catch((e: unknown) => e)
    expect((error as SkillOSError).code).toBe('VALIDATION_FAILED')
    expect((error as SkillOSError).message).toMatch(/^point: "near the river" is not/)
  })

  it('rejects malformed input at the schema', () => {
    expect(skill.input?.safeParse({ city: 'Paris', guests: 0 }).success).toBe(false)
    expect(skill.input?.safeParse({ city: 'Paris', near: 'Atlantis' }).success).toBe(false)
    expect(skill.input?.safeParse({ city: 'Paris', amenities: ['casino'] }).success).toBe(false)
  })

  it('lists exactly the catalogue landmarks in the manifest', () => {
    const yaml = readFileSync(new URL('./skill.yaml', import.meta.url), 'utf8')
    const section = yaml.slice(yaml.indexOf('\n    near:'), yaml.indexOf('\n    point:'))
    const unquote = (v: string): string =>
      v.startsWith("'") ? v.slice(1, -1).replaceAll("''", "'") : (JSON.parse(v) as string)
    const listed = [...section.matchAll(/^ {8}- (.+)$/gm)].map((m) => unquote(m[1] ?? ''))
    expect(listed).toEqual(landmarkNames(loadCatalog().cities))
  })
})
