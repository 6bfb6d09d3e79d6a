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
  return skill.handler(skill.input!.parse(input), createTestContext({ config }))
}

describe('handler', () => {
  it('plans from the typical route with defaults (grade 3)', async () => {
    const output = await run({
      quantity: 2000,
      packedAt: '2026-11-24',
      origin: 'Marennes',
      destination: 'Moscow',
    })
    expect(output).toMatchObject({
      grade: 3,
      boxes: 21,
      totalTransitHours: 48.5,
      remainingShelfLifeHours: 87.9,
      arrivesAlive: true,
      route: { source: 'typical', name: 'Marennes-Oléron → Moscow', asOf: '2026-11-01' },
    })
    expect(skill.output!.parse(output)).toEqual(output)
  })

  it('takes the shelf life from settings', async () => {
    const output = await run(
      {
        quantity: 100,
        packedAt: '2026-11-24',
        legs: [{ from: 'A', to: 'B', mode: 'truck', hours: 100 }],
      },
      { shelfLifeDays: 4 },
    )
    expect(output).toMatchObject({ shelfLifeHours: 96, arrivesAlive: false })
  })

  it('refuses a bad setting', async () => {
    const error = await captureSkillError(
      run({ quantity: 100, origin: 'Crimea', destination: 'Moscow' }, { shelfLifeDays: 'six' }),
    )
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toBe(
      'skills.settings.shelfLifeDays: "six" is not a number of days between 0 and 21',
    )
  })

  it('refuses an impossible date', async () => {
    const error = await captureSkillError(
      run({ quantity: 100, packedAt: '2026-13-01', origin: 'Crimea', destination: 'Moscow' }),
    )
    expect(error.message).toBe('packedAt: 2026-13-01 is not a real calendar date')
  })
})

describe('handler, live routes (routesUrl)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let url: string
  const live = JSON.parse(
    readFileSync(new URL('./fixtures/cold-chain-2026.json', import.meta.url), 'utf8'),
  ) as {
    asOf: string
    routes: { from: string; to: string; legs: { hours: number }[] }[]
  }
  live.asOf = '2026-11-20'
  // The forwarder's current schedule: customs at SVO takes 30 h this week.
  const arcachon = live.routes.find((r) => r.from === 'arcachon' && r.to === 'moscow')
  if (arcachon?.legs[5]) arcachon.legs[5].hours = 30
  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      if (req.url === '/routes.json') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(live))
      } else {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('{"routes": []}')
      }
    })
    url = server.url
  })
  afterAll(async () => {
    await server.close()
  })

  it('plans with the live schedule', async () => {
    const output = await run(
      { quantity: 2000, packedAt: '2026-11-24', origin: 'Arcachon', destination: 'Moscow' },
      { routesUrl: `${url}/routes.json` },
    )
    expect(output.route.asOf).toBe('2026-11-20')
    expect(output.totalTransitHours).toBe(60)
    expect(output.remainingShelfLifeHours).toBe(76.4)
  })

  it('fails loudly on a wrong body', async () => {
    const error = await captureSkillError(
      run(
        { quantity: 10, origin: 'Arcachon', destination: 'Moscow' },
        { routesUrl: `${url}/other.json` },
      ),
    )
    expect(error.code).toBe('UPSTREAM_FAILED')
    expect(error.message).toMatch(
      new RegExp(`^cold-chain routes at ${url}/other.json are not in the expected shape`),
    )
  })

  it('fails with UNAVAILABLE on a closed port, naming the masked URL', async () => {
    const port = await closedPort()
    const error = await captureSkillError(
      run(
        { quantity: 10, origin: 'Arcachon', destination: 'Moscow' },
        { routesUrl: `http://fwd:pa55@127.0.0.1:${port}/r.json` },
      ),
    )
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toBe(
      `cold-chain routes at http://fwd:***@127.0.0.1:${port}/r.json are unreachable: ECONNREFUSED`,
    )
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
    expect(tester.os.loader.failures().filter((f) => f.dir.endsWith('plan-shipment'))).toEqual([])
  })

  it('plans an English request on the typical route', async () => {
    const result = await tester.run(
      'plan a shipment of 2000 oysters from Arcachon to Moscow packed on 24 November 2026',
    )
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('oysters/plan-shipment')
    expect(result.output).toMatchObject({
      pieces: 2000,
      boxes: 21,
      grossWeightKg: 175.2,
      packedAt: '2026-11-24T08:00:00.000Z',
      arrivalAt: '2026-11-26T10:00:00.000Z',
      remainingShelfLifeHours: 86.4,
      arrivesAlive: true,
    })
  })

  it('answers a Russian survival question with a single transit leg', async () => {
    const result = await tester.run('доедут ли 500 устриц живыми за три дня в пути при +5 °C')
    expect(result.status).toBe('succeeded')
    expect(result.skill?.id).toBe('oysters/plan-shipment')
    expect(result.output).toMatchObject({
      pieces: 500,
      boxes: 6,
      totalTransitHours: 72,
      remainingShelfLifeHours: 72,
      arrivesAlive: true,
    })
  })

  it('warns when a warm truck kills the oysters', async () => {
    const result = await tester.run(
      'do 600 oysters arrive alive after 60 hours by truck at 14 degrees',
    )
    expect(result.status).toBe('succeeded')
    const output = result.output as Output
    expect(output.arrivesAlive).toBe(false)
    expect(output.warnings.at(-1)).toMatch(/^shelf life runs out on leg 1/)
  })

  it('asks how many oysters when the request does not say', async () => {
    const result = await tester.run('will the oysters survive a 4 day transit at 5 degrees')
    expect(result.status).toBe('needs_input')
    expect(result.skill?.id).toBe('oysters/plan-shipment')
    expect(result.missing?.[0]?.field).toBe('quantity')
  })
})
