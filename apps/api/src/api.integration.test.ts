import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolveConfig } from '@skillos/contracts'
import { createApiKeys, verifyWebhookSignature } from '@skillos/core'
import { createTestDatabase, type TestDatabase } from '@skillos/store/testing'
import { integrationUrl } from '@skillos/vitest-config'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApi, type RunningApi } from './server.js'
import {
  HELD_INVOICE,
  eventually,
  holding,
  payments,
  testTools,
  writeTestSkills,
} from './test-support.js'

const databaseServer = integrationUrl('SKILLOS_TEST_DATABASE_URL')
const redisUrl = integrationUrl('SKILLOS_TEST_REDIS_URL')

describe.skipIf(!databaseServer || !redisUrl)(
  'the API over a real socket on PostgreSQL + Redis',
  () => {
    let testDb: TestDatabase
    let skills: Awaited<ReturnType<typeof writeTestSkills>>
    let api: RunningApi
    let receiver: Server
    let hookUrl: string
    const received: { signature: string; body: string }[] = []
    const keys: Record<string, string> = {}
    const queueName = `skillos-test-runs-${randomBytes(4).toString('hex')}`

    const start = async () =>
      startApi({
        config: resolveConfig({
          file: {
            path: '(integration test)',
            data: {
              database: { url: testDb.url },
              redis: { url: redisUrl },
              skills: { roots: [skills.root] },
              log: { level: 'silent' },
              // The receiver listens on 127.0.0.1.
              api: { webhooks: { allowPrivateNetworks: true } },
            },
          },
        }),
        port: 0,
        logger: false,
        queueName,
        skillos: { skills: [skills.root], tools: testTools() },
      })

    const request = async (method: string, path: string, key: string, body?: unknown) => {
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      })
      return {
        status: response.status,
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies in assertions
        body: (await response.json()) as Record<string, any>,
        headers: response.headers,
      }
    }

    beforeAll(async () => {
      testDb = await createTestDatabase(databaseServer!)
      skills = await writeTestSkills()
      receiver = createServer((req, res) => {
        let body = ''
        req.on('data', (chunk) => (body += chunk))
        req.on('end', () => {
          received.push({ signature: String(req.headers['skillos-signature']), body })
          res.writeHead(200).end('ok')
        })
      })
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
      hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`
      api = await start()
      const apiKeys = createApiKeys(api.os.database)
      for (const [name, tenant, roles] of [
        ['ann', 'acme', ['analyst']],
        ['bob', 'acme', ['approver']],
        ['carol', 'acme', ['admin']],
        ['gus', 'globex', ['admin', 'approver']],
      ] as const)
        keys[name] = (
          await apiKeys.create(tenant, { name, principalId: name, roles: [...roles] })
        ).key
    })

    afterAll(async () => {
      await api?.close()
      await new Promise<void>((resolve) => receiver?.close(() => resolve()))
      await skills?.cleanup()
      await testDb?.drop()
    })

    it('is ready: PostgreSQL and Redis answer', async () => {
      const response = await fetch(`${api.url}/readyz`)
      expect(await response.json()).toEqual({
        status: 'ready',
        checks: { database: 'ok', kv: 'ok' },
      })
    })

    it('async run → approval → webhook delivery, verified by a receiving server', async () => {
      const hook = await request('POST', '/v1/webhooks', keys.carol!, {
        url: hookUrl,
        events: ['approval.requested', 'run.completed'],
      })
      expect(hook.status).toBe(201)
      const secret = hook.body.secret as string

      const accepted = await request('POST', '/v1/runs?async=true', keys.ann!, {
        skill: 'finance/pay-invoice',
        params: { invoice: 4242 },
      })
      expect(accepted.status).toBe(202)
      const runId = accepted.body.runId as string

      const waiting = await eventually(async () => {
        const run = await request('GET', `/v1/runs/${runId}`, keys.ann!)
        return run.body.status === 'awaiting_approval' ? run.body : undefined
      }, 20_000)
      expect(payments).not.toContain(4242)
      expect((await request('GET', `/v1/runs/${runId}`, keys.gus!)).status).toBe(404)

      const pending = await request('GET', '/v1/approvals', keys.bob!)
      expect(pending.body.approvals.map((a: { id: string }) => a.id)).toContain(waiting.approval.id)
      const approved = await request(
        'POST',
        `/v1/approvals/${waiting.approval.id}/approve`,
        keys.bob!,
        {
          comment: 'invoice checked',
        },
      )
      expect(approved.status).toBe(200)
      expect(approved.body.status).toBe('succeeded')
      expect(approved.body.output).toEqual({ paid: 4242, reference: 'pay-4242' })
      expect(payments.filter((p) => p === 4242)).toHaveLength(1)

      const completed = await eventually(
        async () =>
          received.find((r) => {
            const body = JSON.parse(r.body)
            return body.runId === runId && body.type === 'run.completed'
          }),
        20_000,
      )
      expect(
        verifyWebhookSignature({ secret, body: completed.body, signature: completed.signature }).ok,
      ).toBe(true)
      expect(JSON.parse(completed.body).event.status).toBe('succeeded')
      expect(
        received.some(
          (r) =>
            JSON.parse(r.body).runId === runId && JSON.parse(r.body).type === 'approval.requested',
        ),
      ).toBe(true)
    })

    it('cancels a queued run and a run resumed by an approval; subscribers hear run.cancelled', async () => {
      const hook = await request('POST', '/v1/webhooks', keys.carol!, {
        url: hookUrl,
        events: ['run.cancelled'],
      })
      expect(hook.status).toBe(201)
      const queued = await api.os.submit({
        tenant: 'acme',
        principal: { id: 'ann' },
        input: 'echo never',
      })
      const cancelQueued = await request('POST', `/v1/runs/${queued.run.runId}/cancel`, keys.ann!)
      expect([200, 202]).toContain(cancelQueued.status)

      const waiting = await request('POST', '/v1/runs', keys.ann!, {
        skill: 'finance/pay-invoice',
        params: { invoice: HELD_INVOICE },
      })
      expect(waiting.body.status).toBe('awaiting_approval')
      const approving = request(
        'POST',
        `/v1/approvals/${waiting.body.approval.id}/approve`,
        keys.bob!,
        {},
      )
      await eventually(async () => (holding.includes(HELD_INVOICE) ? true : undefined), 20_000)
      const cancelResumed = await request(
        'POST',
        `/v1/runs/${waiting.body.runId}/cancel`,
        keys.ann!,
      )
      expect(cancelResumed.status).toBe(202)
      const approved = await approving
      expect(approved.body.status).toBe('cancelled')
      expect(approved.body.trace.at(-1)).toMatchObject({ type: 'run.cancelled', from: 'running' })
      expect(payments).not.toContain(HELD_INVOICE)

      for (const runId of [queued.run.runId, waiting.body.runId]) {
        const stored = await eventually(async () => {
          const run = await request('GET', `/v1/runs/${runId}`, keys.ann!)
          return run.body.status === 'cancelled' ? run.body : undefined
        }, 20_000)
        expect(stored.trace.at(-1)).toMatchObject({ type: 'run.cancelled', by: 'ann' })
        const delivered = await eventually(
          async () =>
            received.find((r) => {
              const body = JSON.parse(r.body)
              return body.runId === runId && body.type === 'run.cancelled'
            }),
          20_000,
        )
        expect(JSON.parse(delivered.body).event).toMatchObject({ by: 'ann', runId })
      }
    })

    it('keeps accepted runs across a restart: a run accepted while no worker runs is executed after', async () => {
      // Accept directly into the durable queue without dispatching it, as if the process died right after.
      const submitted = await api.os.submit({
        tenant: 'acme',
        principal: { id: 'ann' },
        input: 'echo survived',
      })
      await api.close()
      api = await start()
      const done = await eventually(async () => {
        const run = await request('GET', `/v1/runs/${submitted.run.runId}`, keys.ann!)
        return run.body.status === 'succeeded' ? run.body : undefined
      }, 20_000)
      expect(done.output).toEqual({ echo: 'survived', length: 8 })
    })

    it('streams run events over SSE on the socket', async () => {
      const run = await request('POST', '/v1/runs', keys.ann!, { input: 'echo streamed' })
      const response = await fetch(`${api.url}/v1/runs/${run.body.runId}/events`, {
        headers: { authorization: `Bearer ${keys.ann}`, accept: 'text/event-stream' },
      })
      const text = await response.text()
      expect(text).toContain('event: run.completed')
    })
  },
)
