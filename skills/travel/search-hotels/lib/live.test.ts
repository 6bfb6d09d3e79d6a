import type { IncomingMessage } from 'node:http'
import { captureSkillError, closedPort, startTestServer } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCatalog } from './catalog.js'
import { createLiveProvider, liveSettingsFrom } from './live.js'

const lisbon = loadCatalog().cities.find((c) => c.name === 'Lisbon')!
const body = {
  asOf: '2026-11-21T06:00:00Z',
  hotels: [
    {
      id: 'bk-1183',
      name: 'Lumiares Hotel & Spa',
      stars: 5,
      rating: 9.2,
      pricePerNight: 245,
      currency: 'EUR',
      lat: 38.7135,
      lon: -9.1447,
      amenities: ['wifi', 'spa', 'kitchen'],
    },
    {
      name: 'Casa Nostra',
      stars: 3,
      rating: 8.7,
      pricePerNight: 96,
      currency: 'EUR',
      lat: 38.7103,
      lon: -9.1438,
    },
  ],
}

let server: Awaited<ReturnType<typeof startTestServer>>
let baseUrl: string
const seen: IncomingMessage[] = []

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    seen.push(req)
    if (req.url?.startsWith('/v1/hotels')) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    } else if (req.url?.startsWith('/text/hotels')) {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html>maintenance</html>')
    } else {
      res.writeHead(502, 'Bad Gateway')
      res.end()
    }
  })
  baseUrl = server.url
})

afterAll(async () => {
  await server.close()
})

describe('live hotels API', () => {
  it('reads its settings from ctx.config', () => {
    expect(liveSettingsFrom({ timeoutMs: 5 })).toBeUndefined()
    expect(liveSettingsFrom({ apiUrl: 'http://h', apiKey: '' })).toEqual({ apiUrl: 'http://h' })
  })

  it('asks for the city and stay, and completes optional fields', async () => {
    const provider = createLiveProvider({ apiUrl: `${baseUrl}/v1`, apiKey: 'k-123' })
    const answer = await provider.hotelsIn(
      lisbon,
      { nights: 3, checkIn: '2026-12-10', checkOut: '2026-12-13' },
      2,
    )
    expect(answer.asOf).toBe('2026-11-21T06:00:00Z')
    expect(answer.hotels.map((h) => [h.id, h.city, h.roomCapacity, h.amenities])).toEqual([
      ['bk-1183', 'Lisbon', 2, ['wifi', 'spa', 'kitchen']],
      ['live-2', 'Lisbon', 2, []],
    ])
    const request = seen[seen.length - 1]
    expect(request?.url).toBe(
      '/v1/hotels?city=Lisbon&checkIn=2026-12-10&checkOut=2026-12-13&nights=3&guests=2',
    )
    expect(request?.headers.authorization).toBe('Bearer k-123')
  })

  it.each([
    ['/bad', 'HTTP 502'],
    ['/text', 'not JSON'],
  ])('fails loudly for %s: %s', async (path, reason) => {
    const provider = createLiveProvider({ apiUrl: `${baseUrl}${path}` })
    const error = await captureSkillError(provider.hotelsIn(lisbon, { nights: 1 }, 1))
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toContain(`${baseUrl}${path}/hotels`)
    expect(error.message).toContain(reason)
  })

  it('fails loudly naming the masked URL when nothing listens', async () => {
    const port = await closedPort()
    const provider = createLiveProvider({ apiUrl: `http://agent:s3cret@127.0.0.1:${port}` })
    const error = await captureSkillError(provider.hotelsIn(lisbon, { nights: 1 }, 2))
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toContain(`127.0.0.1:${port}/hotels`)
    expect(error.message).toContain('ECONNREFUSED')
    expect(error.message).not.toContain('s3cret')
  })
})
