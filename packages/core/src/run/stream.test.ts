import type { RunEvent } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { createRunStream, storedEventOf } from './stream.js'

describe('run stream', () => {
  it('numbers and stamps each event, keeps the trace and hands it to every listener', () => {
    const times = [1_763_717_400_000, 1_763_717_400_000, 1_763_717_400_007]
    const clock = () => times.shift() ?? 0
    const heard: RunEvent[] = []
    const stream = createRunStream({
      runId: 'run_1',
      tenant: 'acme',
      startedAt: 1_763_717_399_990,
      now: clock,
      listeners: new Set([
        () => {
          throw new Error('a broken listener')
        },
        (event: RunEvent) => heard.push(event),
      ]),
    })
    stream.emit({ type: 'step.started', step: 's1', skill: 'finance/convert' })
    stream.emit({ type: 'step.completed', step: 's1', skill: 'finance/convert', ms: 3, ok: true })
    stream.emit({ type: 'run.cancelled', by: 'u1', from: 'running', usage: usage() })
    expect(stream.trace.map((e) => [e.seq, e.type, e.at, e.elapsedMs])).toEqual([
      [0, 'step.started', '2025-11-21T09:30:00.000Z', 10],
      [1, 'step.completed', '2025-11-21T09:30:00.000Z', 10],
      [2, 'run.cancelled', '2025-11-21T09:30:00.007Z', 17],
    ])
    expect(stream.trace[0]).toMatchObject({ runId: 'run_1', tenant: 'acme', step: 's1' })
    expect(heard).toEqual(stream.trace)
    expect(stream.pending()).toHaveLength(3)
    stream.markPersisted()
    expect(stream.pending()).toEqual([])
  })

  it('keeps an event for the store as seq, type, time and the rest as its data', () => {
    const stream = createRunStream({
      runId: 'run_2',
      tenant: 'acme',
      startedAt: 0,
      now: () => 5,
      listeners: new Set(),
    })
    stream.emit({ type: 'step.completed', step: 's1', skill: 'finance/convert', ms: 3, ok: true })
    const [event] = stream.trace
    expect(storedEventOf(event as RunEvent)).toEqual({
      seq: 0,
      type: 'step.completed',
      at: '1970-01-01T00:00:00.005Z',
      data: { step: 's1', skill: 'finance/convert', ms: 3, ok: true, elapsedMs: 5 },
    })
  })
})

function usage() {
  return { tokens: { input: 0, output: 0 }, costUsd: 0, ms: 17 }
}
