import {
  runEventSchema,
  SkillOSError,
  type RunEvent,
  type ToolDeclaration,
} from '@skillos/contracts'
import { compilePolicy } from '@skillos/policy'
import { openKeyValue } from '@skillos/store'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { RunEventInput } from '../run/events.js'
import { defineTool, type ToolImplementation } from './define-tool.js'
import {
  createToolRuntime,
  type BoundToolsRequest,
  type ToolRuntimeOptions,
} from './tool-runtime.js'

const ann = { id: 'ann', roles: ['analyst'], attributes: {} }

/** Events as the run stream would store them, checked against the contract. */
function eventLog() {
  const inputs: RunEventInput[] = []
  return {
    emit: (event: RunEventInput) => inputs.push(event),
    events(): RunEvent[] {
      return inputs.map((event, seq) =>
        runEventSchema.parse({
          ...event,
          runId: 'run-1',
          tenant: 'acme',
          seq,
          at: new Date().toISOString(),
        }),
      )
    },
    types: () => inputs.map((event) => event.type),
  }
}

function bindWith(
  options: ToolRuntimeOptions,
  declared: (string | ToolDeclaration)[],
  extra: Partial<BoundToolsRequest> = {},
) {
  const log = eventLog()
  const runtime = createToolRuntime(options)
  const tools = runtime.bind({
    runId: 'run-1',
    tenant: 'acme',
    principal: ann,
    skill: { id: 'research/web-digest', version: '1.0.0' },
    declared: declared.map((d) => (typeof d === 'string' ? { name: d, permissions: [] } : d)),
    signal: new AbortController().signal,
    step: 'main',
    emit: log.emit,
    ...extra,
  })
  return { runtime, tools, log }
}

async function failure(promise: Promise<unknown>): Promise<SkillOSError> {
  try {
    await promise
  } catch (error) {
    if (SkillOSError.is(error)) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

/** A handler that fails with `errors` in turn, then returns `ok`; counts its calls. */
function flaky(errors: unknown[]): ToolImplementation & { calls: number } {
  const tool = {
    calls: 0,
    handler: () => {
      const error = errors[tool.calls++]
      if (error !== undefined) throw error
      return 'ok'
    },
  }
  return tool
}

const httpError = (status: number) =>
  Object.assign(new Error(`upstream answered ${status}`), { status })

const echo = defineTool({ handler: (input: unknown) => input })
const noBackoff = { backoff: { initialMs: 1, maxMs: 1 } }

describe('binding', () => {
  it('binds only the declared tools, so an undeclared tool cannot be reached', async () => {
    const { tools } = bindWith(
      { tools: { 'web.search': echo, 'mail.send': echo, 'fs.read': echo } },
      ['web.search', 'fs.read'],
    )
    expect(Object.keys(tools).sort()).toEqual(['fs.read', 'web.search'])
    expect(tools['mail.send']).toBeUndefined()
    expect(Object.isFrozen(tools)).toBe(true)
    await expect(tools['web.search']?.({ q: 'x' })).resolves.toEqual({ q: 'x' })
  })

  it('refuses to bind a declared tool that has no implementation, naming it', () => {
    const runtime = createToolRuntime({ tools: { 'web.search': echo } })
    let caught: unknown
    try {
      runtime.bind({
        runId: 'run-1',
        tenant: 'acme',
        principal: ann,
        skill: { id: 'research/web-digest', version: '1.2.0' },
        declared: [
          { name: 'web.search', permissions: [] },
          { name: 'sheets.append-row', permissions: [] },
        ],
        signal: new AbortController().signal,
        emit: () => {},
      })
    } catch (error) {
      caught = error
    }
    expect(SkillOSError.is(caught, 'NOT_FOUND')).toBe(true)
    expect((caught as SkillOSError).message).toBe(
      'Skill research/web-digest@1.2.0 declares tool "sheets.append-row" with no implementation; registered tools: web.search. Register it in createToolRuntime({ tools }).',
    )
    expect(runtime.names).toEqual(['web.search'])
  })
})

describe('policy', () => {
  const policy = compilePolicy([
    {
      path: 'policy.yaml',
      text: [
        'version: 1',
        'roles:',
        '  analyst: {}',
        'rules:',
        '  - { id: analysts-search, effect: allow, actions: [tool:call], roles: [analyst], resources: [web.search] }',
      ].join('\n'),
    },
  ])

  it('refuses a tool call the policy denies, with its explanation, and emits only the decision', async () => {
    const mail = flaky([])
    const { tools, log } = bindWith({ tools: { 'web.search': echo, 'mail.send': mail }, policy }, [
      'web.search',
      'mail.send',
    ])
    const error = await failure(tools['mail.send']!({ to: 'x@example.com' }))
    expect(error.code).toBe('POLICY_DENIED')
    expect(error.message).toMatch(/denied/i)
    expect(error.details).toMatchObject({ action: 'tool:call', resource: 'mail.send' })
    expect(mail.calls).toBe(0)
    const events = log.events()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      type: 'policy.decided',
      action: 'tool:call',
      resource: 'mail.send',
      allowed: false,
      explanation: error.message,
    })
  })

  it('lets the call through when a rule allows it', async () => {
    const { tools, log } = bindWith({ tools: { 'web.search': echo }, policy }, ['web.search'])
    await expect(tools['web.search']!('q')).resolves.toBe('q')
    expect(log.types()).toEqual(['tool.called'])
  })
})

describe('rate limits', () => {
  it('refuses calls beyond the declared limit with RATE_LIMITED and the wait', async () => {
    const kv = await openKeyValue()
    const search = flaky([])
    const { tools, log } = bindWith({ tools: { 'web.search': search }, kv }, [
      { name: 'web.search', permissions: [], rateLimit: { limit: 2, windowMs: 60_000 } },
    ])
    await tools['web.search']!({})
    await tools['web.search']!({})
    const error = await failure(tools['web.search']!({}))
    expect(error.code).toBe('RATE_LIMITED')
    expect(error.message).toContain('at most 2 per 1 min for tool "web.search"')
    const retryAfterMs = error.details?.retryAfterMs
    expect(typeof retryAfterMs).toBe('number')
    expect(retryAfterMs as number).toBeGreaterThan(0)
    expect(retryAfterMs as number).toBeLessThanOrEqual(60_000)
    expect(search.calls).toBe(2)
    expect(log.events().at(-1)).toMatchObject({
      type: 'tool.failed',
      error: { code: 'RATE_LIMITED' },
      willRetry: false,
    })
    await kv.close()
  })
  it('applies the policy’s rate limits for tool:call', async () => {
    const policy = compilePolicy([
      {
        path: 'policy.yaml',
        text: [
          'version: 1',
          'rules:',
          '  - { id: anyone-calls-tools, effect: allow, actions: [tool:call] }',
          'rateLimits:',
          '  - { id: one-search-each, per: principal, actions: [tool:call], resources: [web.search], limit: 1, windowMs: 60000 }',
        ].join('\n'),
      },
    ])
    const { tools } = bindWith({ tools: { 'web.search': echo, 'fs.read': echo }, policy }, [
      'web.search',
      'fs.read',
    ])
    await tools['web.search']!('a')
    await tools['fs.read']!('b')
    await tools['fs.read']!('c')
    const error = await failure(tools['web.search']!('d'))
    expect(error.code).toBe('RATE_LIMITED')
    expect(error.details).toMatchObject({
      limitId: 'one-search-each',
      per: 'principal',
      subject: 'ann',
    })
  })
})

describe('input validation', () => {
  it('refuses an invalid input before calling the handler, naming the tool and the field', async () => {
    const handled: unknown[] = []
    const search = defineTool({
      input: z.object({ query: z.string().min(1), limit: z.number().int().optional() }),
      handler: (input) => {
        handled.push(input)
        return input.query.length
      },
    })
    const { tools } = bindWith({ tools: { 'web.search': search } }, ['web.search'])
    const error = await failure(tools['web.search']!({ query: '' }))
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toMatch(/^Invalid input for tool "web\.search": input\.query: /)
    expect(error.details).toMatchObject({ tool: 'web.search' })
    expect(handled).toEqual([])
    await expect(tools['web.search']!({ query: 'abc' })).resolves.toBe(3)
  })
})

describe('retries', () => {
  it('retries a retryable failure and reports every attempt', async () => {
    const tool = flaky([httpError(503), httpError(429)])
    const { tools, log } = bindWith({ tools: { t: tool }, defaults: noBackoff }, ['t'])
    await expect(tools['t']!({})).resolves.toBe('ok')
    expect(tool.calls).toBe(3)
    const events = log.events()
    expect(events.map((e) => [e.type, 'attempt' in e ? e.attempt : 0])).toEqual([
      ['tool.failed', 1],
      ['tool.failed', 2],
      ['tool.called', 3],
    ])
    expect(events[0]).toMatchObject({
      tool: 't',
      step: 'main',
      willRetry: true,
      error: { code: 'UPSTREAM_FAILED', message: 'Tool "t" failed: upstream answered 503' },
    })
  })

  it('does not retry an error that is not retryable', async () => {
    const tool = flaky([httpError(400)])
    const { tools, log } = bindWith({ tools: { t: tool }, defaults: noBackoff }, ['t'])
    const error = await failure(tools['t']!({}))
    expect(error.code).toBe('UPSTREAM_FAILED')
    expect(tool.calls).toBe(1)
    expect(log.events()).toMatchObject([{ type: 'tool.failed', attempt: 1, willRetry: false }])
  })

  it('gives up after the declared number of retries', async () => {
    const tool = flaky([httpError(500), httpError(500), httpError(500), httpError(500)])
    const { tools, log } = bindWith({ tools: { t: tool }, defaults: noBackoff }, [
      { name: 't', permissions: [], retries: 1 },
    ])
    await failure(tools['t']!({}))
    expect(tool.calls).toBe(2)
    expect(log.events().map((e) => ('willRetry' in e ? e.willRetry : undefined))).toEqual([
      true,
      false,
    ])
  })

  it('asks the tool which failures to retry when it says', async () => {
    const tool = flaky([new Error('try again'), new Error('try again')])
    const retryable = (error: unknown) => (error as Error).message === 'try again'
    const { tools } = bindWith({ tools: { t: { ...tool, retryable } }, defaults: noBackoff }, ['t'])
    await expect(tools['t']!({})).resolves.toBe('ok')
    expect(tool.calls).toBe(3)
  })

  it('waits an exponentially growing time between attempts', async () => {
    const starts: number[] = []
    const tool = flaky([httpError(503), httpError(503)])
    const timed = {
      handler: () => {
        starts.push(performance.now())
        return tool.handler({}, undefined as never)
      },
    }
    const { tools } = bindWith(
      {
        tools: { t: timed },
        defaults: { backoff: { initialMs: 40, maxMs: 1_000, jitter: false } },
      },
      ['t'],
    )
    await tools['t']!({})
    const [a = 0, b = 0, c = 0] = starts
    // Timers never fire early by more than a clock tick; the second wait doubles the first.
    expect(b - a).toBeGreaterThanOrEqual(38)
    expect(c - b).toBeGreaterThanOrEqual(78)
  })
})

describe('timeouts and cancellation', () => {
  /** A handler that runs until its signal aborts, and records that signal. */
  function hanging() {
    const signals: AbortSignal[] = []
    const tool: ToolImplementation = {
      handler: (_input, { signal }) => {
        signals.push(signal)
        return new Promise(() => {})
      },
    }
    return { tool, signals }
  }

  it('fails an attempt that runs too long with TIMEOUT and aborts its signal', async () => {
    const { tool, signals } = hanging()
    const { tools, log } = bindWith({ tools: { slow: tool } }, [
      { name: 'slow', permissions: [], timeoutMs: 30, retries: 0 },
    ])
    const error = await failure(tools['slow']!({}))
    expect(error.code).toBe('TIMEOUT')
    expect(error.message).toBe('Tool "slow" timed out after 30 ms')
    expect(signals).toHaveLength(1)
    expect(signals[0]?.aborted).toBe(true)
    expect(log.events()).toMatchObject([
      { type: 'tool.failed', error: { code: 'TIMEOUT' }, willRetry: false },
    ])
  })

  it('retries a timed-out attempt, with a fresh signal', async () => {
    const { tool, signals } = hanging()
    const { tools } = bindWith({ tools: { slow: tool }, defaults: noBackoff }, [
      { name: 'slow', permissions: [], timeoutMs: 20, retries: 1 },
    ])
    expect((await failure(tools['slow']!({}))).code).toBe('TIMEOUT')
    expect(signals).toHaveLength(2)
    expect(signals[0]).not.toBe(signals[1])
  })

  it('stops a running call with CANCELLED when the run is cancelled', async () => {
    const { tool, signals } = hanging()
    const run = new AbortController()
    const { tools, log } = bindWith({ tools: { slow: tool } }, ['slow'], { signal: run.signal })
    const call = failure(tools['slow']!({}))
    await new Promise((resolve) => setTimeout(resolve, 5))
    run.abort()
    const error = await call
    expect(error.code).toBe('CANCELLED')
    expect(signals[0]?.aborted).toBe(true)
    expect(log.types()).toEqual([])
  })

  it('stops waiting for the next attempt when the run is cancelled', async () => {
    const tool = flaky([httpError(503), httpError(503)])
    const run = new AbortController()
    const { tools } = bindWith(
      {
        tools: { t: tool },
        defaults: { backoff: { initialMs: 60_000, maxMs: 60_000, jitter: false } },
      },
      ['t'],
      { signal: run.signal },
    )
    const call = failure(tools['t']!({}))
    await new Promise((resolve) => setTimeout(resolve, 5))
    run.abort()
    expect((await call).code).toBe('CANCELLED')
    expect(tool.calls).toBe(1)
  })

  it('refuses a call after the run was cancelled without calling the handler', async () => {
    const tool = flaky([])
    const run = new AbortController()
    run.abort()
    const { tools } = bindWith({ tools: { t: tool } }, ['t'], { signal: run.signal })
    expect((await failure(tools['t']!({}))).code).toBe('CANCELLED')
    expect(tool.calls).toBe(0)
  })
})

describe('errors', () => {
  it('wraps a foreign error as UPSTREAM_FAILED with its message, masking credentials', async () => {
    const tool = flaky([
      new Error(
        'GET https://bot:hunter2@api.example.com/v1?api_key=s3cr3t failed (Bearer abc.def)',
      ),
    ])
    const { tools, log } = bindWith({ tools: { t: tool } }, [
      { name: 't', permissions: [], retries: 0 },
    ])
    const error = await failure(tools['t']!({}))
    expect(error.code).toBe('UPSTREAM_FAILED')
    expect(error.message).toBe(
      'Tool "t" failed: GET https://bot:***@api.example.com/v1?api_key=*** failed (Bearer ***)',
    )
    expect(error.cause).toBeUndefined()
    expect(JSON.stringify(log.events())).not.toMatch(/hunter2|s3cr3t|abc\.def/)
  })

  it('passes a SkillOS error from the handler through unchanged', async () => {
    const own = new SkillOSError({ code: 'NOT_FOUND', message: 'no such city' })
    const { tools } = bindWith({ tools: { t: flaky([own]) } }, ['t'])
    expect(await failure(tools['t']!({}))).toBe(own)
  })
})
