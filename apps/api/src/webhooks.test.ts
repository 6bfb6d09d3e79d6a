import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWebhookSignature } from '@skillos/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, createTestApi, eventually, type TestApi } from './test-support.js'

let api: TestApi
let server: Server
let url: string
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = []
let failNext = 0

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies in assertions
const json = async (response: Response) => (await response.json()) as Record<string, any>

beforeAll(async () => {
  api = await createTestApi({
    config: { api: { webhooks: { disableAfterFailures: 3, maxAttempts: 2 } } },
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
  })
})
