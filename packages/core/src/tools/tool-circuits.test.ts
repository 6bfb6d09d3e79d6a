import { runEventSchema, SkillOSError, type RunEvent } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import type { RunEventInput } from '../run/events.js'
import { createToolRuntime, type ToolRuntime } from './tool-runtime.js'

const HALF_OPEN_AFTER_MS = 40

/** One run of the shared runtime: its tools and the events it received, checked against the contract. */
function startRun(runtime: ToolRuntime, runId: string) {
  const inputs: RunEventInput[] = []
  const tools = runtime.bind({
    runId,
    tenant: 'acme',
    principal: { id: 'ann', roles: [], attributes: {} },
    skill: { id: 'travel/plan-trip', version: '1.0.0' },
    declared: [{ name: 'maps.geocode', permissions: [], retries: 0 }],
    signal: new AbortController().signal,
    emit: (event) => inputs.push(event),
  })
  return {
    call: () => tools['maps.geocode']!({ address: 'Nevsky 28' }),
    events: (): RunEvent[] =>
      inputs.map((event, seq) =>
        runEventSchema.parse({
          ...event,
          runId,
          tenant: 'acme',
          seq,
          at: new Date().toISOString(),
        }),
      ),
    circuitEvents: () =>
      inputs.flatMap((event) => (event.type === 'circuit.changed' ? [event.state] : [])),
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'ok'
  } catch (error) {
    return SkillOSError.is(error) ? error.code : 'not a SkillOS error'
  }
}

/** An upstream that is down until `healthy` is set; counts the calls that reached it. */
function upstream() {
  const state = { healthy: false, calls: 0 }
  const tool = {
    handler: () => {
      state.calls += 1
      if (!state.healthy) throw Object.assign(new Error('service unavailable'), { status: 503 })
      return { lat: 59.93, lon: 30.33 }
    },
  }
  return { state, tool }
}

function runtimeFor(tool: { handler: () => unknown }) {
  return createToolRuntime({
    tools: { 'maps.geocode': tool },
    defaults: { breaker: { failureThreshold: 3, halfOpenAfterMs: HALF_OPEN_AFTER_MS } },
  })
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('circuit breaker', () => {
  it('opens after N failed calls and then fails fast without calling the tool', async () => {
    const { state, tool } = upstream()
    const runtime = runtimeFor(tool)
    const run = startRun(runtime, 'run-1')
    expect([await codeOf(run.call()), await codeOf(run.call())]).toEqual([
      'UPSTREAM_FAILED',
      'UPSTREAM_FAILED',
    ])
    expect(runtime.breakerState('maps.geocode')).toBe('closed')
    expect(await codeOf(run.call())).toBe('UPSTREAM_FAILED')
    expect(runtime.breakerState('maps.geocode')).toBe('open')
    expect(run.circuitEvents()).toEqual(['open'])

    let caught: unknown
    await run.call().catch((error: unknown) => (caught = error))
    expect(SkillOSError.is(caught, 'CIRCUIT_OPEN')).toBe(true)
    expect((caught as SkillOSError).message).toContain('Tool "maps.geocode" is failing')
    expect(state.calls).toBe(3)
    expect(run.events().at(-1)).toMatchObject({
      type: 'tool.failed',
      tool: 'maps.geocode',
      error: { code: 'CIRCUIT_OPEN' },
      willRetry: false,
    })
  })

  it('is shared by runs, and tells only the run that saw a transition', async () => {
    const { state, tool } = upstream()
    const runtime = runtimeFor(tool)
    const first = startRun(runtime, 'run-1')
    const second = startRun(runtime, 'run-2')
    for (let i = 0; i < 3; i++) await codeOf(first.call())
    expect(await codeOf(second.call())).toBe('CIRCUIT_OPEN')
    expect(state.calls).toBe(3)
    expect(first.circuitEvents()).toEqual(['open'])
    expect(second.circuitEvents()).toEqual([])
  })

  it('lets a probe through after the cool-down and closes when it succeeds', async () => {
    const { state, tool } = upstream()
    const runtime = runtimeFor(tool)
    const opener = startRun(runtime, 'run-1')
    for (let i = 0; i < 3; i++) await codeOf(opener.call())
    expect(runtime.breakerState('maps.geocode')).toBe('open')

    await wait(HALF_OPEN_AFTER_MS + 20)
    state.healthy = true
    const prober = startRun(runtime, 'run-2')
    expect(await codeOf(prober.call())).toBe('ok')
    expect(runtime.breakerState('maps.geocode')).toBe('closed')
    expect(prober.circuitEvents()).toEqual(['half-open', 'closed'])
    expect(prober.events().map((event) => event.type)).toEqual([
      'circuit.changed',
      'circuit.changed',
      'tool.called',
    ])
    expect(await codeOf(prober.call())).toBe('ok')
    expect(state.calls).toBe(5)
  })

  it('opens again when the probe fails', async () => {
    const { state, tool } = upstream()
    const runtime = runtimeFor(tool)
    const run = startRun(runtime, 'run-1')
    for (let i = 0; i < 3; i++) await codeOf(run.call())
    await wait(HALF_OPEN_AFTER_MS + 20)
    expect(await codeOf(run.call())).toBe('UPSTREAM_FAILED')
    expect(runtime.breakerState('maps.geocode')).toBe('open')
    expect(await codeOf(run.call())).toBe('CIRCUIT_OPEN')
    expect(run.circuitEvents()).toEqual(['open', 'half-open', 'open'])
    expect(state.calls).toBe(4)
  })

  it('does not count failures that are not the tool’s fault', async () => {
    const runtime = createToolRuntime({
      tools: {
        'maps.geocode': {
          handler: () => {
            throw new SkillOSError({ code: 'VALIDATION_FAILED', message: 'address is ambiguous' })
          },
        },
      },
      defaults: { breaker: { failureThreshold: 2, halfOpenAfterMs: HALF_OPEN_AFTER_MS } },
    })
    const run = startRun(runtime, 'run-1')
    for (let i = 0; i < 4; i++) expect(await codeOf(run.call())).toBe('VALIDATION_FAILED')
    expect(runtime.breakerState('maps.geocode')).toBe('closed')
  })
})
