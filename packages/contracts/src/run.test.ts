import { describe, expect, it } from 'vitest'
import { SkillOSError } from './errors.js'
import { MAX_INPUT_CHARS, runEventSchema, runRequestSchema, runResultSchema } from './run.js'
import { parseOrThrow } from './validate.js'

const principal = { id: 'u1', roles: ['analyst'] }

describe('run contracts', () => {
  it('accepts a plain request and fills defaults', () => {
    const request = runRequestSchema.parse({
      input: 'convert 250 EUR to RUB',
      tenant: 'acme',
      principal,
    })
    expect(request).toEqual({
      input: 'convert 250 EUR to RUB',
      tenant: 'acme',
      principal: { id: 'u1', roles: ['analyst'], attributes: {} },
      dryRun: false,
      context: {},
    })
  })

  it('accepts structured params with an explicit skill and no text', () => {
    const request = runRequestSchema.parse({
      tenant: 'acme',
      principal,
      skill: 'finance/convert-currency@^1.2.0',
      params: { amount: 250, from: 'EUR', to: 'RUB' },
    })
    expect(request.skill).toBe('finance/convert-currency@^1.2.0')
  })

  it.each([
    [{ input: '   ', tenant: 'acme', principal }, 'input', 'must describe the request'],
    [
      { input: 'x'.repeat(MAX_INPUT_CHARS + 1), tenant: 'acme', principal },
      'input',
      `at most ${MAX_INPUT_CHARS}`,
    ],
    [{ input: 'hi', tenant: 'Acme Corp', principal }, 'tenant', 'tenant slug'],
    [{ input: 'hi', tenant: 'acme', principal: { roles: [] } }, 'principal.id', ''],
    [{ input: 'hi', tenant: 'acme', principal, skill: 'convert' }, 'skill', 'skill id'],
    [{ input: 'hi', tenant: 'acme', principal, mode: 'batch' }, 'mode', ''],
    [{ input: 'hi', tenant: 'acme', principal, context: { ip: '999.1.1.1' } }, 'context.ip', ''],
    [{ input: 42, tenant: 'acme', principal }, 'input', 'string'],
  ])('rejects %# naming %s', (data, path, reason) => {
    try {
      parseOrThrow(runRequestSchema, data, { what: 'run request' })
      expect.unreachable()
    } catch (error) {
      expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
      const issue = (error as { issues: { path: string; message: string }[] }).issues.find(
        (i) => i.path === path,
      )
      expect(issue?.message ?? '(no issue for that path)').toContain(reason)
    }
  })

  it('discriminates events by type and rejects fields of another type', () => {
    const base = { runId: 'r1', tenant: 'acme', seq: 3, at: '2026-11-21T10:00:00.000Z' }
    const event = runEventSchema.parse({
      ...base,
      type: 'tool.called',
      tool: 'rates.fetch',
      attempt: 1,
      ms: 12.5,
    })
    expect(event.type).toBe('tool.called')
    if (event.type === 'tool.called') expect(event.tool).toBe('rates.fetch')
    expect(
      runEventSchema.safeParse({ ...base, type: 'tool.called', tool: 'x', attempt: 0, ms: 1 })
        .success,
    ).toBe(false)
    expect(runEventSchema.safeParse({ ...base, type: 'run.exploded' }).success).toBe(false)
    expect(
      runEventSchema.safeParse({
        ...base,
        type: 'run.started',
        principal: 'u1',
        dryRun: false,
        apiKey: 's',
      }).success,
    ).toBe(false)
  })

  it('validates a complete result with its trace', () => {
    const at = '2026-11-21T10:00:00.000Z'
    const result = runResultSchema.parse({
      runId: 'r1',
      status: 'refused',
      skill: null,
      error: { code: 'NO_MATCH', message: 'No skill fits "walk my dog"' },
      candidates: [{ id: 'travel/book-hotel', score: 0.12, confidence: 0.05 }],
      usage: { tokens: { input: 0, output: 0 }, costUsd: 0, ms: 1.2 },
      trace: [
        {
          runId: 'r1',
          tenant: 'acme',
          seq: 0,
          at,
          type: 'run.started',
          principal: 'u1',
          dryRun: false,
        },
        { runId: 'r1', tenant: 'acme', seq: 1, at, type: 'skill.no_match', candidates: [] },
        {
          runId: 'r1',
          tenant: 'acme',
          seq: 2,
          at,
          type: 'run.completed',
          status: 'refused',
          usage: { tokens: { input: 0, output: 0 }, costUsd: 0, ms: 1.2 },
          error: { code: 'NO_MATCH', message: 'No skill fits' },
        },
      ],
    })
    expect(result.trace.map((e) => e.type)).toEqual([
      'run.started',
      'skill.no_match',
      'run.completed',
    ])
  })

  it('types run.cancelled: who cancelled, the status it was stopped in, and the usage', () => {
    const cancelled = {
      runId: 'r2',
      tenant: 'acme',
      seq: 0,
      at: '2026-11-21T10:00:00.000Z',
      type: 'run.cancelled',
      by: 'ann',
      from: 'queued',
      usage: { tokens: { input: 0, output: 0 }, costUsd: 0, ms: 12 },
    }
    expect(runEventSchema.parse(cancelled)).toEqual(cancelled)
    expect(runEventSchema.safeParse({ ...cancelled, from: 'asleep' }).success).toBe(false)
    const { usage: _usage, ...withoutUsage } = cancelled
    expect(runEventSchema.safeParse(withoutUsage).success).toBe(false)
  })
})
