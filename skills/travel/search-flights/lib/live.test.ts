import type { IncomingMessage } from 'node:http'
import { captureSkillError, closedPort, startTestServer } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLiveProvider, liveSettingsFrom } from './live.js'

const body = {
  asOf: '2026-11-21T06:00:00Z',
  flights: [
    {
      carrier: 'SU',
      carrierName: 'Aeroflot',
      flightNumber: 'SU 1124',
      origin: 'SVO',
      destination: 'AER',
      departure: '11:40',
      durationMinutes: 140,
      fares: [
        {
          cabin: 'economy',
          fareClass: 'Economy Light',
          price: 10450,
          currency: 'RUB',
          baggage: { cabinKg: 10, checkedPieces: 0, checkedKg: 0 },
        },
      ],
    },
  ],
}

let server: Awaited<ReturnType<typeof startTestServer>>
let baseUrl: string
const seen: IncomingMessage[] = []

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    seen.push(req)
    if (req.url?.startsWith('/v1/flights')) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    } else if (req.url?.startsWith('/broken/flights')) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ flights: 'none' }))
    } else {
      res.writeHead(503, 'Service Unavailable')
      res.end()
    }
  })
  baseUrl = server.url
})

afterAll(async () => {
  await server.close()
})

describe('live flights API', () => {
  it('reads its settings from ctx.config', () => {
    expect(liveSettingsFrom({})).toBeUndefined()
    expect(liveSettingsFrom({ apiUrl: ' ' })).toBeUndefined()
    expect(liveSettingsFrom({ apiUrl: 'http://x', apiKey: 'k', timeoutMs: 500 })).toEqual({
      apiUrl: 'http://x',
      apiKey: 'k',
      timeoutMs: 500,
    })
  })

  it('asks for the airports and date and fills in the optional fields', async () => {
    const provider = createLiveProvider({ apiUrl: `${baseUrl}/v1/`, apiKey: 'secret-key' })
    const answer = await provider.flightsOn(['SVO', 'DME', 'VKO'], ['AER'], '2026-12-15')
    expect(provider.source).toBe('live')
    expect(answer.asOf).toBe('2026-11-21T06:00:00Z')
    expect(answer.flights).toHaveLength(1)
    expect(answer.flights[0]).toMatchObject({
      id: 'live-2026-12-15-1',
      flightNumber: 'SU 1124',
      via: [],
      days: [1, 2, 3, 4, 5, 6, 7],
    })
    const request = seen[seen.length - 1]
    expect(request?.url).toBe('/v1/flights?origin=SVO%2CDME%2CVKO&destination=AER&date=2026-12-15')
    expect(request?.headers.authorization).toBe('Bearer secret-key')
  })

  it('sends credentials written in the URL as Basic auth', async () => {
    const provider = createLiveProvider({
      apiUrl: baseUrl.replace('//', '//user:pa55word@') + '/v1',
    })
    await provider.flightsOn(['LED'], [], '2026-12-15')
    const request = seen[seen.length - 1]
    expect(request?.url).toBe('/v1/flights?origin=LED&date=2026-12-15')
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('user:pa55word').toString('base64')}`,
    )
  })

  it('fails loudly with the URL when the API answers an error status', async () => {
    const provider = createLiveProvider({ apiUrl: `${baseUrl}/down` })
    const error = await captureSkillError(provider.flightsOn(['SVO'], [], '2026-12-15'))
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toContain(`${baseUrl}/down/flights`)
    expect(error.message).toContain('HTTP 503')
  })

  it('fails loudly on a body of the wrong shape', async () => {
    const provider = createLiveProvider({ apiUrl: `${baseUrl}/broken` })
    const error = await captureSkillError(provider.flightsOn(['SVO'], [], '2026-12-15'))
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toContain('unexpected body')
  })

  it('fails loudly naming the masked URL when nothing listens', async () => {
    const port = await closedPort()
    const provider = createLiveProvider({ apiUrl: `http://user:pa55word@127.0.0.1:${port}/api` })
    const error = await captureSkillError(provider.flightsOn(['SVO'], ['AER'], '2026-12-15'))
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toContain(`127.0.0.1:${port}/api/flights`)
    expect(error.message).toContain('ECONNREFUSED')
    expect(error.message).not.toContain('pa55word')
  })
})
