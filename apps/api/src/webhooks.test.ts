import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWebhookSignature } from '@skillos/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, createTestApi, eventually, type TestApi, json } from './test-support.js'

let api: TestApi
let server: Server
let url: string
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = []
let failNext = 0

beforeAll(async () => {
  api = await createTestApi({
    // The receiver below listens on 127.0.0.1: allow it (refused by default, see the SSRF tests).
    config: {
      api: { webhooks: { disableAfterFailures: 3, maxAttempts: 2, allowPrivateNetworks: true } },
    },
  })
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      if (failNext > 0) {
        failNext -= 1
        res.writeHead(500).end()
        return
      }
      received.push({ headers: req.headers, body })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`
})
afterAll(async () => {
  await api?.close()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('webhooks', () => {
  it('refuses subscriptions to principals without webhook:manage, and unknown event types', async () => {
    const denied = await call(api.app, 'POST', '/v1/webhooks', {
      key: api.keys.ann,
      body: { url, events: ['run.completed'] },
    })
    expect(denied.status).toBe(403)
    expect((await json(denied)).code).toBe('POLICY_DENIED')
    const unknown = await call(api.app, 'POST', '/v1/webhooks', {
      key: api.keys.carol,
      body: { url, events: ['run.exploded'] },
    })
    expect(unknown.status).toBe(400)
    expect((await json(unknown)).issues[0].path).toBe('events')
    const badUrl = await call(api.app, 'POST', '/v1/webhooks', {
      key: api.keys.carol,
      body: { url: 'ftp://x', events: ['*'] },
    })
    expect(badUrl.status).toBe(400)
  })

  it('delivers signed run events; the receiver verifies them; the log shows the delivery', async () => {
    const created = await call(api.app, 'POST', '/v1/webhooks', {
      key: api.keys.carol,
      body: { url, events: ['run.completed'] },
    })
    expect(created.status).toBe(201)
    const { webhook, secret } = await json(created)
    expect(secret).toMatch(/^whsec_/)
    const shown = await json(
      await call(api.app, 'GET', `/v1/webhooks/${webhook.id}`, { key: api.keys.carol }),
    )
    expect(JSON.stringify(shown)).not.toContain(secret)

    const run = await json(
      await call(api.app, 'POST', '/v1/runs', { key: api.keys.ann, body: { input: 'echo hook' } }),
    )
    const delivery = await eventually(async () =>
      received.find((r) => JSON.parse(r.body).runId === run.runId),
    )
    const check = verifyWebhookSignature({
      secret,
      body: delivery.body,
      signature: delivery.headers['skillos-signature'] as string,
    })
    expect(check.ok).toBe(true)
    const payload = JSON.parse(delivery.body)
    expect(payload.type).toBe('run.completed')
    expect(payload.event.status).toBe('succeeded')
    expect(delivery.headers['skillos-webhook-id']).toBe(payload.id)
    // A changed body or an old timestamp does not verify.
    expect(
      verifyWebhookSignature({
        secret,
        body: delivery.body + ' ',
        signature: delivery.headers['skillos-signature'] as string,
      }).ok,
    ).toBe(false)
    expect(
      verifyWebhookSignature({
        secret,
        body: delivery.body,
        signature: delivery.headers['skillos-signature'] as string,
        now: Date.now() + 600_000,
      }).ok,
    ).toBe(false)

    const log = await eventually(async () => {
      const body = await json(
        await call(api.app, 'GET', `/v1/webhooks/${webhook.id}/deliveries`, {
          key: api.keys.carol,
        }),
      )
      return body.deliveries.find(
        (d: { runId: string; status: string }) => d.runId === run.runId && d.status === 'succeeded',
      )
    })
    expect(log.attempts).toBe(1)
    expect(log.lastStatusCode).toBe(204)
    await call(api.app, 'DELETE', `/v1/webhooks/${webhook.id}`, { key: api.keys.carol })
  })

  it('retries with backoff, marks the delivery failed, and disables the subscription after repeated failures', async () => {
    const { webhook } = await json(
      await call(api.app, 'POST', '/v1/webhooks', {
        key: api.keys.carol,
        body: { url, events: ['run.completed'] },
      }),
    )
    failNext = 100
    for (const text of ['echo f1', 'echo f2'])
      await call(api.app, 'POST', '/v1/runs', { key: api.keys.ann, body: { input: text } })
    const disabled = await eventually(async () => {
      const body = await json(
        await call(api.app, 'GET', `/v1/webhooks/${webhook.id}`, { key: api.keys.carol }),
      )
      return body.status === 'disabled' ? body : undefined
    })
    expect(disabled.disabledReason).toContain('3 failed attempts')
    const log = await json(
      await call(api.app, 'GET', `/v1/webhooks/${webhook.id}/deliveries`, { key: api.keys.carol }),
    )
    expect(
      log.deliveries.some(
        (d: { status: string; attempts: number; lastError: string }) =>
          d.status === 'failed' && d.attempts === 2 && d.lastError === 'HTTP 500',
      ),
    ).toBe(true)

    failNext = 0
    const enabled = await call(api.app, 'POST', `/v1/webhooks/${webhook.id}/enable`, {
      key: api.keys.carol,
    })
    expect((await json(enabled)).status).toBe('active')
    const run = await json(
      await call(api.app, 'POST', '/v1/runs', { key: api.keys.ann, body: { input: 'echo back' } }),
    )
    await eventually(async () => received.find((r) => JSON.parse(r.body).runId === run.runId))
    await call(api.app, 'DELETE', `/v1/webhooks/${webhook.id}`, { key: api.keys.carol })
  })

  it('tells subscribers of run.cancelled when a run is cancelled before it started', async () => {
    const created = await call(api.app, 'POST', '/v1/webhooks', {
      key: api.keys.carol,
      body: { url, events: ['run.cancelled'] },
    })
    expect(created.status).toBe(201)
    const { webhook } = await json(created)
    const submitted = await api.os.submit({
      tenant: 'acme',
      principal: { id: 'ann' },
      skill: 'util/slow',
      // Long enough that the queue's sweep (every 100 ms) cannot take it and finish it before the
      // cancel arrives, however slow the machine.
      params: { ms: 10_000 },
    })
    const runId = submitted.run.runId
    const cancelled = await call(api.app, 'POST', `/v1/runs/${runId}/cancel`, {
      key: api.keys.ann,
    })
    // Not notified to the queue, so it is most likely still queued. A worker's sweep may take it
    // first: then its step is stopped at once, and it is cancelled all the same.
    expect([200, 202]).toContain(cancelled.status)
    const delivery = await eventually(async () =>
      received.find((r) => JSON.parse(r.body).runId === runId),
    )
    const payload = JSON.parse(delivery.body)
    expect(payload.type).toBe('run.cancelled')
    expect(payload.event).toMatchObject({ type: 'run.cancelled', runId, tenant: 'acme', by: 'ann' })
    expect(['queued', 'running']).toContain(payload.event.from)
    const run = await eventually(async () => {
      const body = await json(
        await call(api.app, 'GET', `/v1/runs/${runId}`, { key: api.keys.ann }),
      )
      return body.status === 'cancelled' ? body : undefined
    })
    // One event ends the trace: run.cancelled, never run.completed.
    const ends = run.trace
      .map((e: { type: string }) => e.type)
      .filter((t: string) => t === 'run.cancelled' || t === 'run.completed')
    expect(ends).toEqual(['run.cancelled'])
    expect(received.filter((r) => JSON.parse(r.body).runId === runId)).toHaveLength(1)
    await call(api.app, 'DELETE', `/v1/webhooks/${webhook.id}`, { key: api.keys.carol })
  })
})

describe('webhooks to internal networks (the default: refused)', () => {
  let guarded: TestApi
  beforeAll(async () => {
    guarded = await createTestApi()
  })
  afterAll(async () => {
    await guarded?.close()
  })

  it('refuses loopback, private, link-local, unique-local and metadata URLs, naming the url field', async () => {
    for (const [target, kind] of [
      [url, 'loopback'],
      ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
      ['http://10.1.2.3/hooks', 'private'],
      ['http://[fe80::1]/hooks', 'link-local'],
      ['http://[fd00::1]/hooks', 'unique-local'],
      ['http://localhost:8080/hooks', 'loopback'],
    ]) {
      const response = await call(guarded.app, 'POST', '/v1/webhooks', {
        key: guarded.keys.carol,
        body: { url: target, events: ['run.completed'] },
      })
      expect(response.status, target).toBe(400)
      const problem = await json(response)
      expect(problem.code).toBe('VALIDATION_FAILED')
      expect(problem.issues[0].path, target).toBe('url')
      expect(problem.detail, target).toContain(kind)
    }
    const listed = await json(
      await call(guarded.app, 'GET', '/v1/webhooks', { key: guarded.keys.carol }),
    )
    expect(listed.webhooks).toEqual([])
    // A public name is accepted (its addresses are checked again at each delivery).
    const ok = await call(guarded.app, 'POST', '/v1/webhooks', {
      key: guarded.keys.carol,
      body: { url: 'https://hooks.example.com/skillos', events: ['run.cancelled'] },
    })
    expect(ok.status).toBe(201)
  })
})
