import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runEventSchema, type RunEvent, type RunResult } from '@skillos/contracts'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { createSkillOS, type SkillOS } from '../skillos.js'
import { defineTool } from '../tools/index.js'
import { createRunLogger } from './logger.js'
import { createRunMetrics, type RunMetrics } from './metrics.js'

const API_KEY = 'sk-live-0123456789abcdefWXYZ'

const MANIFEST = {
  id: 'finance/convert',
  version: '1.0.0',
  name: 'Convert currency',
  description: 'Convert an amount of money from one currency to another at the current rate',
  tags: ['finance', 'currency'],
  examples: ['convert 100 EUR to RUB', 'how much is 50 USD in euro'],
  input: {
    type: 'object',
    properties: {
      amount: { type: 'number', minimum: 0 },
      from: { type: 'string', format: 'currency' },
      to: { type: 'string', format: 'currency' },
    },
    required: ['amount', 'from', 'to'],
  },
  tools: ['rates.get'],
}

const HANDLER = `export default {
  async handler({ amount, from, to }, ctx) {
    ctx.log.info('asking the rates service', { apiKey: '${API_KEY}', from, to })
    const rate = await ctx.tools['rates.get']({ from, to })
    return { amount: amount * rate }
  },
}
`

/** The orchestrator itself, with both subscribers attached: what an app wires up. */
describe('logging and metrics of real runs', () => {
  let base: string
  let os: SkillOS
  let metrics: RunMetrics
  const raw: string[] = []
  const events: RunEvent[] = []
  let result: RunResult

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'skillos-observe-'))
    const dir = join(base, 'skills', 'finance', 'convert')
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'skill.yaml'), stringify(MANIFEST))
    await writeFile(join(dir, 'index.ts'), HANDLER)

    const logger = pino({ level: 'debug' }, { write: (line: string) => void raw.push(line) })
    const runLogger = createRunLogger(logger)
    metrics = createRunMetrics()
    os = await createSkillOS({
      skills: [join(base, 'skills')],
      database: 'memory://',
      log: runLogger.stepLog,
      tools: {
        'rates.get': defineTool({
          handler: ({ from }: { from: string }) => (from === 'EUR' ? 100 : 90),
          costUsd: 0.002,
        }),
      },
    })
    os.on(runLogger.listener)
    os.on(metrics.listener)
    os.on((event) => events.push(event))
    result = await os.run({
      input: 'convert 250 EUR to RUB',
      tenant: 'acme',
      principal: { id: 'ann', roles: ['analyst'] },
    })
  })

  afterAll(async () => {
    await os?.close()
    if (base) await rm(base, { recursive: true, force: true })
  })

  it('logs every event of the run as one JSON line, in order', () => {
    expect(result.status).toBe('succeeded')
    const lines = raw.map((line) => JSON.parse(line) as Record<string, unknown>)
    const eventLines = lines.filter((line) => typeof line.seq === 'number')

    expect(events.map((event) => runEventSchema.parse(event).type)).toEqual(
      eventLines.map((line) => line.msg),
    )
    expect(eventLines.at(-1)).toMatchObject({
      msg: 'run.completed',
      runId: result.runId,
      tenant: 'acme',
      status: 'succeeded',
      usage: result.usage,
    })
  })

  it("logs the handler's line with its run and step, the API key masked", () => {
    const line = raw
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.msg === 'asking the rates service')

    expect(line).toMatchObject({
      level: 30,
      runId: result.runId,
      step: 's1',
      skill: 'finance/convert',
      apiKey: '***WXYZ',
      from: 'EUR',
    })
    expect(raw.join('')).not.toContain(API_KEY)
  })

  it("counts the run and its spend exactly once, the tool's cost included", async () => {
    const text = await metrics.metrics()

    expect(result.usage.costUsd).toBeGreaterThanOrEqual(0.002)
    expect(text).toContain('skillos_runs_total{status="succeeded",skill="finance/convert"} 1\n')
    expect(text).toContain(
      `skillos_budget_spend_usd_total{skill="finance/convert"} ${result.usage.costUsd}\n`,
    )
    expect(text).toContain('skillos_tool_calls_total{tool="rates.get",outcome="ok"} 1\n')
  })
})
