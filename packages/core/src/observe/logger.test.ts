import type { RunEvent } from '@skillos/contracts'
import pino from 'pino'
import type { DestinationStream, Level } from 'pino'
import { describe, expect, it } from 'vitest'
import { createDefaultLogger, createRunLogger, type RunLoggerOptions } from './logger.js'
import { CONVERT, noMatchRun, runEvents, succeededRun } from './run-events.fixture.js'

type Line = Record<string, unknown>

/** A destination that keeps every line written to it. */
function capture() {
  const raw: string[] = []
  const stream: DestinationStream = { write: (line: string) => void raw.push(line) }
  return {
    stream,
    raw: () => raw.join(''),
    lines: (): Line[] => raw.map((line) => JSON.parse(line) as Line),
  }
}

function runLogger(level: Level = 'debug', options?: RunLoggerOptions) {
  const out = capture()
  const logger = pino({ level, base: undefined, timestamp: false }, out.stream)
  return { ...out, ...createRunLogger(logger, options) }
}

const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const

/** `{ msg: level }` of every line: the shape of a run's log at a glance. */
function levelsByMessage(lines: Line[]): [unknown, unknown][] {
  return lines.map((line) => [line.msg, line.level])
}

describe('createRunLogger', () => {
  it('writes one JSON line per event: the type as msg, run fields, then the event fields', () => {
    const { listener, lines } = runLogger()
    const events = runEvents('run_1', succeededRun)
    for (const event of events) listener(event)

    expect(lines()).toHaveLength(events.length)
    expect(lines().map((line) => line.msg)).toEqual(events.map((event) => event.type))
    expect(lines()[8]).toEqual({
      level: LEVEL.debug,
      msg: 'tool.called',
      runId: 'run_1',
      tenant: 'acme',
      seq: 8,
      elapsedMs: 80,
      step: 's1',
      tool: 'fx.rates',
      attempt: 2,
      ms: 80,
      costUsd: 0.002,
    })
  })

  it('logs run.completed at info with its status and usage', () => {
    const { listener, lines } = runLogger('info')
    for (const event of runEvents('run_1', succeededRun)) listener(event)

    expect(lines().at(-1)).toEqual({
      level: LEVEL.info,
      msg: 'run.completed',
      runId: 'run_1',
      tenant: 'acme',
      seq: 11,
      elapsedMs: 110,
      status: 'succeeded',
      usage: { tokens: { input: 310, output: 92 }, costUsd: 0.0042, ms: 840 },
    })
  })

  it('puts progress at info, plumbing at debug, failures at warn', () => {
    const { listener, lines } = runLogger()
    for (const event of runEvents('run_1', succeededRun)) listener(event)

    expect(levelsByMessage(lines())).toEqual([
      ['run.started', LEVEL.info],
      ['skill.routed', LEVEL.info],
      ['run.analyzed', LEVEL.debug],
      ['run.planned', LEVEL.debug],
      ['policy.decided', LEVEL.debug],
      ['budget.reserved', LEVEL.debug],
      ['step.started', LEVEL.debug],
      ['tool.failed', LEVEL.warn],
      ['tool.called', LEVEL.debug],
      ['step.completed', LEVEL.info],
      ['budget.committed', LEVEL.debug],
      ['run.completed', LEVEL.info],
    ])
  })

  it('raises denials, rejections, an opening breaker and a failed run', () => {
    const { listener, lines } = runLogger()
    const events = runEvents('run_2', [
      {
        type: 'policy.decided',
        action: 'tool:call',
        resource: 'mail.send',
        allowed: false,
        ruleIds: ['no-mail-for-guests'],
        obligations: [],
        explanation: 'denied by no-mail-for-guests',
      },
      { type: 'approval.decided', approvalId: 'ap_1', decision: 'rejected', by: 'bob' },
      { type: 'circuit.changed', tool: 'fx.rates', state: 'open' },
      { type: 'circuit.changed', tool: 'fx.rates', state: 'half-open' },
      { type: 'step.completed', step: 's1', skill: CONVERT, ms: 30, ok: false },
      {
        type: 'run.completed',
        status: 'failed',
        usage: { tokens: { input: 0, output: 0 }, costUsd: 0, ms: 40 },
        error: { code: 'CIRCUIT_OPEN', message: 'Tool "fx.rates" is failing' },
      },
    ])
    for (const event of events) listener(event)

    expect(levelsByMessage(lines())).toEqual([
      ['policy.decided', LEVEL.warn],
      ['approval.decided', LEVEL.warn],
      ['circuit.changed', LEVEL.warn],
      ['circuit.changed', LEVEL.info],
      ['step.completed', LEVEL.warn],
      ['run.completed', LEVEL.error],
    ])
  })

  it('logs a refused run at warn', () => {
    const { listener, lines } = runLogger('warn')
    for (const event of runEvents('run_3', noMatchRun)) listener(event)

    expect(levelsByMessage(lines())).toEqual([['run.completed', LEVEL.warn]])
    expect(lines()[0]?.error).toEqual({
      code: 'NO_MATCH',
      message: 'No skill matches this request well enough to run it',
    })
  })

  it('writes nothing below the logger level', () => {
    const { listener, lines } = runLogger('info')
    for (const event of runEvents('run_1', succeededRun)) listener(event)

    expect(lines().map((line) => line.msg)).toEqual([
      'run.started',
      'skill.routed',
      'tool.failed',
      'step.completed',
      'run.completed',
    ])
  })

  it('takes per-type levels, as a level or as a function of the event', () => {
    const { listener, lines } = runLogger('info', {
      levels: {
        'tool.called': 'info',
        'run.started': 'silent',
        'tool.failed': (event) => (event.willRetry ? 'debug' : 'error'),
      },
    })
    for (const event of runEvents('run_1', succeededRun)) listener(event)

    expect(levelsByMessage(lines())).toEqual([
      ['skill.routed', LEVEL.info],
      ['tool.called', LEVEL.info],
      ['step.completed', LEVEL.info],
      ['run.completed', LEVEL.info],
    ])
  })

  it('masks secrets that reached an event', () => {
    const { listener, raw, lines } = runLogger()
    const [failed] = runEvents('run_4', [
      {
        type: 'tool.failed',
        tool: 'crm.lookup',
        attempt: 1,
        ms: 12,
        willRetry: false,
        error: {
          code: 'UNAVAILABLE',
          message: 'cannot connect to postgres://crm:hunter2@crm-db:5432/crm',
          details: { apiKey: 'sk-live-0123456789abcdefWXYZ', endpoint: 'https://crm.example.com' },
        },
      },
    ])
    listener(failed as RunEvent)

    expect(raw()).not.toContain('hunter2')
    expect(raw()).not.toContain('sk-live-0123456789')
    expect(lines()[0]?.error).toEqual({
      code: 'UNAVAILABLE',
      message: 'cannot connect to postgres://crm:***@crm-db:5432/crm',
      details: { apiKey: '***WXYZ', endpoint: 'https://crm.example.com' },
    })
  })
})

describe('stepLog', () => {
  it("writes a handler's line with its run, step and skill, secrets masked", () => {
    const { stepLog, raw, lines } = runLogger()
    stepLog('info', 'calling https://api:pa55word@rates.example.com/v1 with Bearer abcdefghijkl', {
      runId: 'run_1',
      step: 's1',
      skill: CONVERT,
      apiKey: 'sk-live-0123456789abcdefWXYZ',
      amount: 250,
    })

    expect(raw()).not.toContain('pa55word')
    expect(raw()).not.toContain('abcdefghijkl')
    expect(lines()).toEqual([
      {
        level: LEVEL.info,
        msg: 'calling https://api:***@rates.example.com/v1 with Bearer ***',
        runId: 'run_1',
        step: 's1',
        skill: CONVERT,
        apiKey: '***WXYZ',
        amount: 250,
      },
    ])
  })

  it("keeps pino's own keys from being overwritten by a handler's fields", () => {
    const { stepLog, lines } = runLogger()
    stepLog('warn', 'rate table stale', { runId: 'run_1', level: 'high', msg: 'x' })

    expect(lines()).toEqual([
      {
        level: LEVEL.warn,
        msg: 'rate table stale',
        runId: 'run_1',
        'data.level': 'high',
        'data.msg': 'x',
      },
    ])
  })

  it('drops lines below the logger level', () => {
    const { stepLog, lines } = runLogger('info')
    stepLog('debug', 'cache hit', { runId: 'run_1' })
    stepLog('error', 'rates missing', { runId: 'run_1' })

    expect(levelsByMessage(lines())).toEqual([['rates missing', LEVEL.error]])
  })
})

describe('createDefaultLogger', () => {
  it('writes level labels and ISO times at the configured level', () => {
    const out = capture()
    const logger = createDefaultLogger('warn', out.stream)
    logger.info('not written')
    logger.warn({ port: 3000 }, 'slow start')

    expect(out.lines()).toHaveLength(1)
    expect(out.lines()[0]).toMatchObject({ level: 'warn', name: 'skillos', port: 3000 })
    expect(out.lines()[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })

  it('redacts known secret paths in anything logged through it directly', () => {
    const out = capture()
    const logger = createDefaultLogger('info', out.stream)
    logger.info(
      {
        apiKey: 'k1',
        req: { headers: { authorization: 'Bearer t', 'set-cookie': 'sid=1', accept: 'json' } },
        db: { password: 'hunter2', host: 'db' },
      },
      'request',
    )

    expect(out.lines()[0]).toMatchObject({
      apiKey: '***',
      req: { headers: { authorization: '***', 'set-cookie': '***', accept: 'json' } },
      db: { password: '***', host: 'db' },
    })
  })
})
