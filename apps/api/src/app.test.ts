import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  HELD_INVOICE,
  call,
  createTestApi,
  eventually,
  holding,
  payments,
  type TestApi,
  json,
} from './test-support.js'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(async () => {
  await api?.close()
})

describe('authentication', () => {
  it('refuses a request without credentials with 401 problem+json', async () => {
    const response = await call(api.app, 'GET', '/v1/skills')
    expect(response.status).toBe(401)
    expect(response.headers.get('content-type')).toContain('application/problem+json')
    expect(response.headers.get('www-authenticate')).toContain('Bearer')
    const body = await json(response)
    expect(body.code).toBe('UNAUTHENTICATED')
    expect(body.status).toBe(401)
  })

  it('refuses an unknown API key, and a known key with a wrong secret', async () => {
    const forged = `${api.keys.ann.slice(0, 20)}${'A'.repeat(api.keys.ann.length - 20)}`
    for (const key of ['sk_0000000000000000_' + 'x'.repeat(43), forged, 'garbage']) {
      const response = await call(api.app, 'GET', '/v1/skills', { key })
      expect(response.status).toBe(401)
      expect((await json(response)).code).toBe('UNAUTHENTICATED')
    }
  })

  it('refuses a revoked key', async () => {
    const { key, info } = await api.apiKeys.create('acme', { name: 'temp', principalId: 'tmp' })
    expect((await call(api.app, 'GET', '/v1/skills', { key })).status).toBe(200)
    await api.apiKeys.revoke('acme', info.id)
    // A fresh authenticator cache: build the key check again through a new app would be slow; the
    // key store itself must refuse it.
    expect(await api.apiKeys.verify(key)).toBeUndefined()
  })
})

describe('POST /v1/runs', () => {
  it('runs a request synchronously and returns the result with its trace', async () => {
    const response = await call(api.app, 'POST', '/v1/runs', {
      key: api.keys.ann,
      body: { input: 'echo hello world' },
    })
    expect(response.status).toBe(200)
    const body = await json(response)
    expect(body.status).toBe('succeeded')
    expect(body.skill.id).toBe('util/echo')
    expect(body.output).toEqual({ echo: 'hello world', length: 11 })
    expect(body.trace.map((e: { type: string }) => e.type)).toContain('run.completed')
    const stored = await json(
      await call(api.app, 'GET', `/v1/runs/${body.runId}`, { key: api.keys.ann }),
    )
    expect(stored.output).toEqual({ echo: 'hello world', length: 11 })
  })

  it('takes the tenant from the credential, never from the body', async () => {
    const response = await call(api.app, 'POST', '/v1/runs', {
      key: api.keys.ann,
      body: { input: 'echo x', tenant: 'globex' },
    })
    expect(response.status).toBe(400)
    const body = await json(response)
    expect(body.code).toBe('VALIDATION_FAILED')
    expect(body.issues.map((i: { path: string }) => i.path).join()).toContain('json')
  })

  it('names the field and the reason for a bad body', async () => {
    const response = await call(api.app, 'POST', '/v1/runs', {
      key: api.keys.ann,
      body: { input: 42 },
    })
    expect(response.status).toBe(400)
    const body = await json(response)
    expect(body.issues[0].path).toBe('json.input')
  })

  it('refuses a request the orchestrator cannot accept (empty input) with the field named', async () => {
    const response = await call(api.app, 'POST', '/v1/runs', { key: api.keys.ann, body: {} })
    expect(response.status).toBe(400)
    expect(JSON.stringify(await json(response))).toContain('input')
  })

  it('answers 404 SKILL_NOT_FOUND for an unknown skill', async () => {
    const response = await call(api.app, 'POST', '/v1/runs', {
      key: api.keys.ann,
      body: { skill: 'nope/nothing', params: {} },
    })
    expect(response.status).toBe(404)
    expect((await json(response)).code).toBe('SKILL_NOT_FOUND')
  })

  it('honours Idempotency-Key: same body replays, another body is 409', async () => {
    const headers = { 'idempotency-key': 'order-1' }
    const first = await json(
      await call(api.app, 'POST', '/v1/runs', {
        key: api.keys.ann,
        body: { input: 'echo one' },
        headers,
      }),
    )
    const again = await json(
      await call(api.app, 'POST', '/v1/runs', {
        key: api.keys.ann,
        body: { input: 'echo one' },
        headers,
      }),
    )
    expect(again.runId).toBe(first.runId)
    const other = await call(api.app, 'POST', '/v1/runs', {
      key: api.keys.ann,
      body: { input: 'echo two' },
      headers,
    })
    expect(other.status).toBe(409)
    expect((await json(other)).code).toBe('CONFLICT')
  })

  it('accepts ?async=true with 202 and runs it from the queue', async () => {
    const response = await call(api.app, 'POST', '/v1/runs?async=true', {
      key: api.keys.ann,
      body: { input: 'echo later' },
    })
    expect(response.status).toBe(202)
    const accepted = await json(response)
    expect(accepted.status).toBe('queued')
    expect(response.headers.get('location')).toBe(`/v1/runs/${accepted.runId}`)
    const done = await eventually(async () => {
      const run = await json(
        await call(api.app, 'GET', `/v1/runs/${accepted.runId}`, { key: api.keys.ann }),
      )
      return run.status === 'succeeded' ? run : undefined
    })
    expect(done.output).toEqual({ echo: 'later', length: 5 })
    expect(done.runId).toBe(accepted.runId)
  })

  it('an async repeat with the same Idempotency-Key returns the same run id', async () => {
    const headers = { 'idempotency-key': 'async-1' }
    const a = await json(
      await call(api.app, 'POST', '/v1/runs?async=true', {
        key: api.keys.ann,
        body: { input: 'echo same' },
        headers,
      }),
    )
    const b = await call(api.app, 'POST', '/v1/runs?async=true', {
      key: api.keys.ann,
      body: { input: 'echo same' },
      headers,
    })
    expect(b.status).toBe(202)
    expect(b.headers.get('idempotent-replayed')).toBe('true')
    expect((await json(b)).runId).toBe(a.runId)
  })
})

describe('runs: events, cancel, answer', () => {
  it('lists a run trace as JSON and as Server-Sent Events', async () => {
    const run = await json(
      await call(api.app, 'POST', '/v1/runs', { key: api.keys.ann, body: { input: 'echo sse' } }),
    )
    const listed = await json(
      await call(api.app, 'GET', `/v1/runs/${run.runId}/events`, { key: api.keys.ann }),
    )
    expect(listed.events.length).toBe(run.trace.length)
    const after = await json(
      await call(api.app, 'GET', `/v1/runs/${run.runId}/events?after=1`, { key: api.keys.ann }),
    )
    expect(after.events[0].seq).toBe(2)
    const sse = await call(api.app, 'GET', `/v1/runs/${run.runId}/events`, {
      key: api.keys.ann,
      headers: { accept: 'text/event-stream' },
    })
    expect(sse.headers.get('content-type')).toContain('text/event-stream')
    const text = await sse.text()
    expect(text).toContain('event: run.started')
    expect(text).toContain('event: run.completed')
    expect(text.match(/^id: /gm)?.length).toBe(run.trace.length)
  })

  it('streams the events of an async run live until it ends', async () => {
    const accepted = await json(
      await call(api.app, 'POST', '/v1/runs?async=true', {
        key: api.keys.ann,
        body: { skill: 'util/slow', params: { ms: 300 } },
      }),
    )
    const sse = await call(api.app, 'GET', `/v1/runs/${accepted.runId}/events`, {
      key: api.keys.ann,
      headers: { accept: 'text/event-stream' },
    })
    const text = await sse.text()
    expect(text).toContain('event: step.completed')
    expect(text).toContain('event: run.completed')
  })

  it('cancels a queued run at once, and refuses to cancel a finished one', async () => {
    // No queue worker here: the accepted run stays queued until the cancel, whatever the timing.
    const idle = await createTestApi({ startQueue: false })
    try {
      const accepted = await idle.os.submit({
        tenant: 'acme',
        principal: { id: 'ann' },
        skill: 'util/slow',
        params: { ms: 1 },
      })
      const response = await call(idle.app, 'POST', `/v1/runs/${accepted.run.runId}/cancel`, {
        key: idle.keys.ann,
      })
      expect(response.status).toBe(200)
      const run = await json(
        await call(idle.app, 'GET', `/v1/runs/${accepted.run.runId}`, { key: idle.keys.ann }),
      )
      expect(run.status).toBe('cancelled')
      const again = await call(idle.app, 'POST', `/v1/runs/${accepted.run.runId}/cancel`, {
        key: idle.keys.ann,
      })
      expect(again.status).toBe(409)
    } finally {
      await idle.close()
    }
  })

  it('cancels a running run before its next step', async () => {
    const accepted = await json(
      await call(api.app, 'POST', '/v1/runs?async=true', {
        key: api.keys.ann,
        body: { skill: 'util/slow', params: { ms: 50 } },
      }),
    )
    await eventually(async () => {
      const run = await json(
        await call(api.app, 'GET', `/v1/runs/${accepted.runId}`, { key: api.keys.ann }),
      )
      return run.status !== 'queued' ? run : undefined
    })
    const response = await call(api.app, 'POST', `/v1/runs/${accepted.runId}/cancel`, {
      key: api.keys.ann,
    })
    expect([200, 202, 409]).toContain(response.status)
  })

  it('lets only the run owner (or an admin) cancel', async () => {
    const accepted = await api.os.submit({
      tenant: 'acme',
      principal: { id: 'ann' },
      skill: 'util/slow',
      params: { ms: 1 },
    })
    const response = await call(api.app, 'POST', `/v1/runs/${accepted.run.runId}/cancel`, {
      key: api.keys.bob,
    })
    expect(response.status).toBe(403)
    expect((await json(response)).code).toBe('PERMISSION_DENIED')
  })

  it('continues a needs_input run with the answer', async () => {
    const run = await json(
      await call(api.app, 'POST', '/v1/runs', {
        key: api.keys.ann,
        body: { skill: 'util/echo', input: 'please repeat' },
      }),
    )
    expect(run.status).toBe('needs_input')
    expect(run.missing[0].field).toBe('text')
    const answered = await call(api.app, 'POST', `/v1/runs/${run.runId}/answer`, {
      key: api.keys.ann,
      body: { answer: { text: 'answered' } },
    })
    expect(answered.status).toBe(200)
    expect((await json(answered)).output).toEqual({ echo: 'answered', length: 8 })
  })
})

describe('approvals', () => {
  it('pauses a high-risk run for approval; an approver lists it and approves; the payment happens once', async () => {
    const before = payments.length
    const run = await json(
      await call(api.app, 'POST', '/v1/runs', {
        key: api.keys.ann,
        body: { skill: 'finance/pay-invoice', params: { invoice: 7 } },
      }),
    )
    expect(run.status).toBe('awaiting_approval')
    expect(payments.length).toBe(before)

    const mine = await json(await call(api.app, 'GET', '/v1/approvals', { key: api.keys.ann }))
    expect(mine.approvals).toEqual([])
    const bobs = await json(await call(api.app, 'GET', '/v1/approvals', { key: api.keys.bob }))
    const pending = bobs.approvals.find((a: { runId: string }) => a.runId === run.runId)
    expect(pending.id).toBe(run.approval.id)
    expect(pending.skill.id).toBe('finance/pay-invoice')

    const byRequester = await call(api.app, 'POST', `/v1/approvals/${run.approval.id}/approve`, {
      key: api.keys.ann,
      body: {},
    })
    expect(byRequester.status).toBe(403)
    expect((await json(byRequester)).code).toBe('POLICY_DENIED')

    const approved = await call(api.app, 'POST', `/v1/approvals/${run.approval.id}/approve`, {
      key: api.keys.bob,
      body: { comment: 'ok' },
    })
    expect(approved.status).toBe(200)
    const result = await json(approved)
    expect(result.status).toBe('succeeded')
    expect(result.output).toEqual({ paid: 7, reference: 'pay-7' })
    expect(payments.slice(before)).toEqual([7])

    const twice = await call(api.app, 'POST', `/v1/approvals/${run.approval.id}/approve`, {
      key: api.keys.bob,
    })
    expect(twice.status).toBe(409)
  })

  it('rejects: the run ends refused and nothing is paid', async () => {
    const before = payments.length
    const run = await json(
      await call(api.app, 'POST', '/v1/runs', {
        key: api.keys.ann,
        body: { skill: 'finance/pay-invoice', params: { invoice: 8 } },
      }),
    )
    const rejected = await json(
      await call(api.app, 'POST', `/v1/approvals/${run.approval.id}/reject`, {
        key: api.keys.bob,
        body: { comment: 'no' },
      }),
    )
    expect(rejected.status).toBe('refused')
    expect(payments.length).toBe(before)
  })

  it('cancelling a run that waits for approval closes the approval', async () => {
    const run = await json(
      await call(api.app, 'POST', '/v1/runs', {
        key: api.keys.ann,
        body: { skill: 'finance/pay-invoice', params: { invoice: 9 } },
      }),
    )
    const cancelled = await call(api.app, 'POST', `/v1/runs/${run.runId}/cancel`, {
      key: api.keys.ann,
    })
    expect(cancelled.status).toBe(200)
    expect((await json(cancelled)).status).toBe('cancelled')
    const late = await call(api.app, 'POST', `/v1/approvals/${run.approval.id}/approve`, {
      key: api.keys.bob,
    })
    expect(late.status).toBe(409)
  })

  it('cancels a run resumed by an approval while its handler runs: it ends cancelled, nothing paid', async () => {
    const run = await json(
      await call(api.app, 'POST', '/v1/runs', {
        key: api.keys.ann,
        body: { skill: 'finance/pay-invoice', params: { invoice: HELD_INVOICE } },
      }),
    )
    expect(run.status).toBe('awaiting_approval')
    const approving = call(api.app, 'POST', `/v1/approvals/${run.approval.id}/approve`, {
      key: api.keys.bob,
      body: {},
    })
    // The payment has started and holds: the run is executing again.
    await eventually(async () => (holding.includes(HELD_INVOICE) ? true : undefined))
    const cancel = await call(api.app, 'POST', `/v1/runs/${run.runId}/cancel`, {
      key: api.keys.ann,
    })
    expect(cancel.status).toBe(202)
    const approved = await approving
    expect(approved.status).toBe(200)
    const result = await json(approved)
    expect(result.status).toBe('cancelled')
    expect(result.error.code).toBe('CANCELLED')
    expect(result.trace.at(-1)).toMatchObject({
      type: 'run.cancelled',
      by: 'ann',
      from: 'running',
    })
    expect(payments).not.toContain(HELD_INVOICE)
    const stored = await json(
      await call(api.app, 'GET', `/v1/runs/${run.runId}`, { key: api.keys.ann }),
    )
    expect(stored.status).toBe('cancelled')
  })
})

describe('skills and routing', () => {
  it('lists, searches and gets skills', async () => {
    const list = await json(await call(api.app, 'GET', '/v1/skills', { key: api.keys.ann }))
    expect(list.skills.map((s: { id: string }) => s.id)).toEqual([
      'finance/pay-invoice',
      'util/echo',
      'util/slow',
    ])
    const found = await json(
      await call(api.app, 'GET', '/v1/skills/search?q=pay%20invoice', { key: api.keys.ann }),
    )
    expect(found.results[0].id).toBe('finance/pay-invoice')
    const one = await json(
      await call(api.app, 'GET', '/v1/skills/util/echo', { key: api.keys.ann }),
    )
    expect(one.skill.name).toBe('Echo')
    expect(one.versions).toEqual(['1.0.0'])
    const missing = await call(api.app, 'GET', '/v1/skills/util/nothing', { key: api.keys.ann })
    expect(missing.status).toBe(404)
    const tagged = await json(
      await call(api.app, 'GET', '/v1/skills?tag=finance', { key: api.keys.ann }),
    )
    expect(tagged.skills.map((s: { id: string }) => s.id)).toEqual(['finance/pay-invoice'])
  })

  it('routes without running', async () => {
    const routed = await json(
      await call(api.app, 'POST', '/v1/route', {
        key: api.keys.ann,
        body: { input: 'pay invoice 42' },
      }),
    )
    expect(routed.skill).toBe('finance/pay-invoice')
  })
})

describe('budgets', () => {
  it('reports the caller own limits; other users need budget:manage', async () => {
    const mine = await call(api.app, 'GET', '/v1/budgets', { key: api.keys.ann })
    expect(mine.status).toBe(200)
    expect(Array.isArray((await json(mine)).limits)).toBe(true)
    const others = await call(api.app, 'GET', '/v1/budgets?user=bob', { key: api.keys.ann })
    expect(others.status).toBe(403)
    const admin = await call(api.app, 'GET', '/v1/budgets?user=bob', { key: api.keys.carol })
    expect(admin.status).toBe(200)
  })

  it("replaces the tenant's run-time limits with budget:manage, validated, versioned", async () => {
    const limits = [{ id: 'user-daily', scope: 'user', window: 'day', usd: 3 }]
    const denied = await call(api.app, 'PUT', '/v1/budgets/limits', {
      key: api.keys.ann,
      body: { limits },
    })
    expect(denied.status).toBe(403)
    const before = await json(
      await call(api.app, 'GET', '/v1/budgets/limits', { key: api.keys.ann }),
    )
    const set = await call(api.app, 'PUT', '/v1/budgets/limits', {
      key: api.keys.carol,
      body: { limits, expectedVersion: before.version },
    })
    expect(set.status).toBe(200)
    const stored = await json(set)
    expect(stored).toMatchObject({
      tenant: 'acme',
      version: before.version + 1,
      limits: [{ id: 'user-daily', scope: 'user', window: 'day', usd: 3, tenant: 'acme' }],
    })
    // The report shows the new limit for the caller at once.
    const report = await json(await call(api.app, 'GET', '/v1/budgets', { key: api.keys.ann }))
    expect(report.limits).toContainEqual(
      expect.objectContaining({ limitId: 'acme:user-daily', limit: 3 }),
    )
    const stale = await call(api.app, 'PUT', '/v1/budgets/limits', {
      key: api.keys.carol,
      body: { limits: [], expectedVersion: before.version },
    })
    expect(stale.status).toBe(409)
    const bad = await call(api.app, 'PUT', '/v1/budgets/limits', {
      key: api.keys.carol,
      body: { limits: [{ scope: 'user', window: 'day' }] },
    })
    expect(bad.status).toBe(400)
    expect((await json(bad)).detail).toMatch(/limits\.0\.usd/)
    const after = await json(
      await call(api.app, 'GET', '/v1/budgets/limits', { key: api.keys.ann }),
    )
    expect(after.version).toBe(before.version + 1)
    // Leave the tenant as the other tests expect it.
    await call(api.app, 'PUT', '/v1/budgets/limits', { key: api.keys.carol, body: { limits: [] } })
  })
})

describe('operations', () => {
  it('answers /healthz, /readyz, /metrics and the OpenAPI document', async () => {
    expect(await json(await call(api.app, 'GET', '/healthz'))).toEqual({ status: 'ok' })
    const ready = await json(await call(api.app, 'GET', '/readyz'))
    expect(ready).toEqual({ status: 'ready', checks: { database: 'ok', kv: 'ok' } })
    const metrics = await (await call(api.app, 'GET', '/metrics')).text()
    expect(metrics).toContain('# TYPE')
    const doc = await json(await call(api.app, 'GET', '/openapi.json'))
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/runs',
        '/v1/runs/{id}',
        '/v1/approvals',
        '/v1/webhooks',
        '/v1/skills/search',
      ]),
    )
    const docs = await call(api.app, 'GET', '/docs')
    expect(docs.status).toBe(200)
    expect(await docs.text()).toContain('/openapi.json')
  })

  it('answers an unknown route with 404 problem+json', async () => {
    const response = await call(api.app, 'GET', '/v2/nothing', { key: api.keys.ann })
    expect(response.status).toBe(404)
    expect((await json(response)).code).toBe('NOT_FOUND')
  })

  it('refuses a body over the limit with 413', async () => {
    const response = await call(api.app, 'POST', '/v1/runs', {
      key: api.keys.ann,
      body: { input: 'x'.repeat(api.config.api.maxBodyBytes + 10) },
    })
    expect(response.status).toBe(413)
    expect((await json(response)).code).toBe('PAYLOAD_TOO_LARGE')
  })
})
