import { fileURLToPath } from 'node:url'
import type { RunResult } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { runCli } from './program.js'

/**
 * The README's five end-to-end tasks, through `skillos run` on the repository's own skills/, with no
 * services and no network: each is a request that needs two skills, planned as a pipeline (one
 * feeds the next) or in parallel (independent asks).
 */
const REPO = fileURLToPath(new URL('../../..', import.meta.url))

async function skillos(args: string[]): Promise<{ code: number; stdout: string }> {
  const out: string[] = []
  const code = await runCli([...args, '--database', 'memory://'], {
    cwd: REPO,
    env: { USER: 'ann' },
    stdout: (t) => out.push(t),
    stderr: () => undefined,
  })
  process.exitCode = undefined
  return { code, stdout: out.join('\n') }
}

async function run(text: string, ...flags: string[]): Promise<RunResult> {
  const { code, stdout } = await skillos(['run', text, '--json', ...flags])
  const result = JSON.parse(stdout) as RunResult
  expect(result.error, JSON.stringify(result.missing ?? result.error)).toBeUndefined()
  expect(code).toBe(0)
  return result
}

function planOf(result: RunResult) {
  const planned = result.trace.find((e) => e.type === 'run.planned')
  if (planned?.type !== 'run.planned') throw new Error('the run was not planned')
  return planned
}

const outputs = (result: RunResult) => result.output as Record<string, Record<string, unknown>>

describe('the five tasks of the README', () => {
  it('1 · cheapest oyster supplier, then the margin in rubles at its price (pipeline)', async () => {
    const result = await run(
      'which supplier is cheapest for 300 Gillardeau No.2, and what is my margin in rubles at 450 ₽ a piece',
    )
    expect(result.status).toBe('succeeded')
    expect(planOf(result)).toMatchObject({
      mode: 'pipeline',
      steps: [
        { skill: 'oysters/compare-suppliers', dependsOn: [] },
        { skill: 'oysters/calculate-margin', dependsOn: ['s1'] },
      ],
    })
    const compare = outputs(result)['oysters/compare-suppliers'] as {
      ranking: { supplier: string; perPiece: number; currency: string; billedPieces: number }[]
    }
    const margin = outputs(result)['oysters/calculate-margin'] as {
      purchaseCurrency: string
      saleCurrency: string
      quantity: number
      sale: { price: number }
      summary: string
    }
    const cheapest = compare.ranking[0]
    expect(cheapest?.supplier).toBeTruthy()
    // The margin is computed at the cheapest supplier's price per piece, for the pieces billed.
    expect(margin.purchaseCurrency).toBe(cheapest?.currency)
    expect(margin.quantity).toBe(cheapest?.billedPieces)
    expect(margin.saleCurrency).toBe('RUB')
    expect(margin.summary).toMatch(/at 450\.00 RUB the margin is -?\d+(\.\d+)?%/)
    const bound = result.trace.find((e) => e.type === 'run.analyzed')
    expect(bound?.type === 'run.analyzed' && bound.factors).toContain(
      'oysters/calculate-margin takes purchasePrice from oysters/compare-suppliers',
    )
  })

  it('2 · seafood tenders in Moscow, then a bid at 12 % margin for the best match (pipeline)', async () => {
    const result = await run(
      'find tenders for seafood supply in Moscow and estimate a bid at 12 % margin with costs of 1 million rubles',
    )
    expect(planOf(result).mode).toBe('pipeline')
    const search = outputs(result)['zakupki/search-tenders'] as {
      tenders: { nmck: number; region: string }[]
    }
    const bid = outputs(result)['zakupki/estimate-bid'] as {
      nmck: number
      costs: number
      target: { requestedMarginPercent: number; feasible: boolean; price: number }
    }
    expect(search.tenders.length).toBeGreaterThan(0)
    expect(search.tenders[0]?.region).toBe('Москва')
    expect(bid.nmck).toBe(search.tenders[0]?.nmck)
    expect(bid.costs).toBe(1_000_000)
    expect(bid.target.requestedMarginPercent).toBe(12)
    // Price for a 12 % margin on the price: costs / (1 − 0.12), below the НМЦК.
    expect(bid.target.price).toBeCloseTo(1_000_000 / 0.88, 2)
    expect(bid.target.feasible).toBe(true)
  })

  it('3 · a tender notice from a file, then a bid from its НМЦК and securities (pipeline, Russian)', async () => {
    const result = await run(
      'проанализируй извещение и рассчитай заявку с маржой 15% при себестоимости 1,2 млн рублей',
      '--file',
      'skills/zakupki/analyze-tender-docs/fixtures/notice-44fz-fish-school.txt',
    )
    expect(planOf(result).mode).toBe('pipeline')
    const notice = outputs(result)['zakupki/analyze-tender-docs'] as {
      nmck: { amount: number }
      bidSecurity: { percent: number }
      contractSecurity: { percent: number }
    }
    const bid = outputs(result)['zakupki/estimate-bid'] as {
      nmck: number
      costs: number
      assumptions: { bidSecurityPercent: number; contractSecurityPercent: number }
    }
    expect(notice.nmck.amount).toBe(2_845_600)
    expect(bid.nmck).toBe(2_845_600)
    expect(bid.costs).toBe(1_200_000)
    expect(bid.assumptions.bidSecurityPercent).toBe(notice.bidSecurity.percent)
    expect(bid.assumptions.contractSecurityPercent).toBe(notice.contractSecurity.percent)
  })

  it('4 · the dollar rate and a conversion, side by side (parallel, Russian)', async () => {
    const result = await run('курс доллара и переведи 250 евро в рубли')
    expect(planOf(result)).toMatchObject({
      mode: 'parallel',
      steps: [
        { skill: 'finance/exchange-rates', dependsOn: [] },
        { skill: 'finance/convert-currency', dependsOn: [] },
      ],
    })
    const rates = outputs(result)['finance/exchange-rates'] as {
      rates: { code: string; rate: number }[]
    }
    const converted = outputs(result)['finance/convert-currency'] as {
      amount: number
      from: string
      to: string
      result: string | number
      rate: string | number
      date: string
    }
    expect(rates.rates.map((r) => r.code)).toEqual(['USD'])
    expect(converted).toMatchObject({ amount: 250, from: 'EUR', to: 'RUB' })
    // Rounded to kopecks.
    expect(Math.abs(Number(converted.result) - 250 * Number(converted.rate))).toBeLessThanOrEqual(
      0.005 + 1e-9,
    )
  })

  it('5 · flights and hotels: in parallel for a named city, as a pipeline for "there"', async () => {
    const parallel = await run(
      'find flights from Moscow to Sochi next Friday and hotels in Sochi for 3 nights',
    )
    expect(planOf(parallel).mode).toBe('parallel')
    expect(outputs(parallel)['travel/search-hotels']).toMatchObject({
      city: { name: 'Sochi' },
      stay: { nights: 3 },
    })

    const there = await run(
      'find a flight from Moscow to Kazan next Friday and a hotel there for 2 nights',
    )
    expect(planOf(there)).toMatchObject({
      mode: 'pipeline',
      steps: [
        { skill: 'travel/search-flights' },
        { skill: 'travel/search-hotels', dependsOn: ['s1'] },
      ],
    })
    const flights = outputs(there)['travel/search-flights'] as {
      flights: { arrivalDate: string }[]
    }
    expect(outputs(there)['travel/search-hotels']).toMatchObject({
      city: { name: 'Kazan' },
      stay: { nights: 2, checkIn: flights.flights[0]?.arrivalDate },
    })
  })

  it('answers in people’s words without --json: one line per ask', async () => {
    const { code, stdout } = await skillos(['run', 'курс доллара и переведи 250 евро в рубли'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^answer {5}finance\/exchange-rates: .*1 USD = [\d.]+ RUB/m)
    expect(stdout).toMatch(/^ {11}finance\/convert-currency: 250 EUR = [\d\s.]+ RUB/m)
  })
})
