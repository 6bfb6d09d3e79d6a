import { ValidationError, type RunEvent } from '@skillos/contracts'
import { openDatabase, type Database } from '@skillos/store'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { internalAddressKind } from './destination.js'
import { createWebhooks, type Webhooks } from './webhooks.js'

let database: Database
beforeAll(async () => {
  database = await openDatabase('memory://')
})
afterAll(async () => {
  await database?.close()
})

const event = (tenant: string, runId: string): RunEvent => ({
  type: 'run.cancelled',
  runId,
  tenant,
  seq: 0,
  at: new Date().toISOString(),
  by: 'ann',
  from: 'queued',
  usage: { tokens: { input: 0, output: 0 }, costUsd: 0, ms: 1 },
})

async function refusal(webhooks: Webhooks, url: string): Promise<ValidationError | undefined> {
  try {
    await webhooks.subscribe('acme', { url, events: ['*'], createdBy: 'carol' })
    return undefined
  } catch (error) {
    if (error instanceof ValidationError) return error
    throw error
  }
}

describe('the SSRF guard', () => {
  it('knows loopback, private, link-local, unique-local and metadata addresses, and no public one', () => {
    expect(internalAddressKind('127.0.0.1')).toBe('loopback')
    expect(internalAddressKind('::1')).toBe('loopback')
    expect(internalAddressKind('10.20.30.40')).toBe('private')
    expect(internalAddressKind('172.16.0.1')).toBe('private')
    expect(internalAddressKind('192.168.1.1')).toBe('private')
    expect(internalAddressKind('169.254.169.254')).toBe('cloud metadata')
    expect(internalAddressKind('169.254.10.1')).toBe('link-local')
    expect(internalAddressKind('fe80::1')).toBe('link-local')
    expect(internalAddressKind('fd12:3456::1')).toBe('unique-local')
    expect(internalAddressKind('::ffff:10.0.0.1')).toBe('private')
    expect(internalAddressKind('0.0.0.0')).toBe('unspecified')
    for (const address of ['93.184.216.34', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(internalAddressKind(address), address).toBeUndefined()
  })

  it('judges an IPv6 address that carries an IPv4 one (NAT64, 6to4) by the IPv4 address', () => {
    expect(internalAddressKind('64:ff9b::10.0.0.1')).toBe('private')
    expect(internalAddressKind('64:ff9b::a00:1')).toBe('private')
    expect(internalAddressKind('64:ff9b::7f00:1')).toBe('loopback')
    expect(internalAddressKind('64:ff9b::169.254.169.254')).toBe('cloud metadata')
    expect(internalAddressKind('2002:a00:1::1')).toBe('private')
    expect(internalAddressKind('2002:7f00:1::')).toBe('loopback')
    expect(internalAddressKind('64:ff9b:1::8.8.8.8')).toBe('local NAT64')
    expect(internalAddressKind('::ffff:0:10.0.0.1')).toBe('private')
    expect(internalAddressKind('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toBe('reserved')
    for (const address of [
      '64:ff9b::8.8.8.8',
      '2002:808:808::1',
      '2001:db8::10.0.0.1',
      '2001:4860:4860::8888',
      '::ffff:0:8.8.8.8',
    ])
      expect(internalAddressKind(address), address).toBeUndefined()
  })

  it('refuses a subscription to an internal address, naming the url field', async () => {
    const webhooks = createWebhooks({ database })
    for (const [url, reason] of [
      ['http://127.0.0.1:8080/hook', '127.0.0.1 is a loopback address'],
      ['http://2130706433/hook', '127.0.0.1 is a loopback address'],
      ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is a cloud metadata address'],
      ['https://10.0.0.5/hook', '10.0.0.5 is a private address'],
      ['http://[::1]:9/hook', '::1 is a loopback address'],
      ['http://[fd00::7]/hook', 'fd00::7 is a unique-local address'],
      ['http://[fe80::1]/hook', 'fe80::1 is a link-local address'],
      ['http://localhost:3000/hook', 'localhost is a loopback name'],
      ['http://api.localhost/hook', 'api.localhost is a loopback name'],
    ]) {
      const error = await refusal(webhooks, url!)
      expect(error?.message, url).toContain(reason)
      expect(error?.issues[0]?.path, url).toBe('url')
    }
    expect(await webhooks.list('acme')).toEqual([])
    // Names are resolved at delivery, not here; a public address is fine.
    expect(await refusal(webhooks, 'https://hooks.example.com/in')).toBeUndefined()
    expect(await refusal(webhooks, 'https://93.184.216.34/in')).toBeUndefined()
  })

  it('accepts internal addresses when private networks are allowed', async () => {
    const webhooks = createWebhooks({ database, allowPrivateNetworks: true })
    expect(await refusal(webhooks, 'http://127.0.0.1:8080/hook')).toBeUndefined()
  })

  it('does not deliver to a host that resolves to an internal address, and logs why', async () => {
    const sent: string[] = []
    const addresses: Record<string, string[]> = {
      'inside.example.test': ['10.0.0.7'],
      'sneaky.example.test': ['93.184.216.34', 'fd00::1'],
      'outside.example.test': ['93.184.216.34'],
    }
    const webhooks = createWebhooks({
      database,
      pollMs: 20,
      backoffMs: 60_000,
      resolveHost: async (host) =>
        (addresses[host] ?? []).map((address) => ({
          address,
          family: address.includes(':') ? 6 : 4,
        })),
      fetch: async (url) => {
        sent.push(String(url))
        return new Response(null, { status: 204 })
      },
    })
    const subscribe = async (host: string) =>
      (
        await webhooks.subscribe('globex', {
          url: `https://${host}/in`,
          events: ['run.cancelled'],
          createdBy: 'gus',
        })
      ).subscription.id
    const inside = await subscribe('inside.example.test')
    const sneaky = await subscribe('sneaky.example.test')
    const outside = await subscribe('outside.example.test')
    webhooks.start()
    try {
      webhooks.listener(event('globex', 'run_1'))
      await webhooks.flush()
      const settled = async (id: string) => {
        for (let i = 0; i < 200; i += 1) {
          const [delivery] = await webhooks.deliveries('globex', id)
          if (delivery && delivery.attempts > 0) return delivery
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
        throw new Error(`no attempt for ${id}`)
      }
      expect((await settled(outside)).status).toBe('succeeded')
      const refused = await settled(inside)
      expect(refused.status).toBe('pending')
      expect(refused.lastError).toContain(
        'not sent: inside.example.test resolves to 10.0.0.7, a private address',
      )
      expect((await settled(sneaky)).lastError).toContain('fd00::1, a unique-local address')
      expect(sent).toEqual(['https://outside.example.test/in'])
    } finally {
      await webhooks.stop()
    }
  })

  describe('the built-in sender', () => {
    let server: Server
    let port: number
    const received: string[] = []
    beforeAll(async () => {
      server = createServer((request, response) => {
        received.push(`${request.headers.host} ${request.url}`)
        request.resume()
        response.writeHead(204).end()
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      port = (server.address() as AddressInfo).port
    })
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve))
    })

    async function firstAttempt(webhooks: Webhooks, id: string, tenant = 'initech') {
      for (let i = 0; i < 300; i += 1) {
        const [delivery] = await webhooks.deliveries(tenant, id)
        if (delivery && delivery.attempts > 0) return delivery
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      throw new Error(`no attempt for ${id}`)
    }

    it('connects to the address it resolved and checked, keeping the host name', async () => {
      const webhooks = createWebhooks({
        database,
        pollMs: 20,
        allowPrivateNetworks: true,
        resolveHost: async (host) =>
          host === 'hooks.example.test' ? [{ address: '127.0.0.1', family: 4 }] : [],
      })
      const { subscription } = await webhooks.subscribe('initech', {
        url: `http://hooks.example.test:${port}/in`,
        events: ['run.cancelled'],
        createdBy: 'peter',
      })
      webhooks.start()
      try {
        webhooks.listener(event('initech', 'run_pinned'))
        await webhooks.flush()
        expect(await firstAttempt(webhooks, subscription.id)).toMatchObject({
          status: 'succeeded',
          lastStatusCode: 204,
        })
        expect(received).toContain(`hooks.example.test:${port} /in`)
      } finally {
        await webhooks.stop()
      }
    })

    it('asks once per attempt and connects to that answer, so a rebinding name cannot reach inside', async () => {
      const questions: string[] = []
      const webhooks = createWebhooks({
        database,
        pollMs: 20,
        backoffMs: 60_000,
        resolveHost: async (host) => {
          questions.push(host)
          // An attacker's name: loopback for its own server, public for the first question anywhere else.
          return host === 'inside.example.test' || questions.length > 1
            ? [{ address: '127.0.0.1', family: 4 }]
            : [{ address: '192.0.2.1', family: 4 }]
        },
        timeoutMs: 500,
      })
      const subscribe = async (host: string) =>
        (
          await webhooks.subscribe('umbrella', {
            url: `http://${host}:${port}/in`,
            events: ['run.cancelled'],
            createdBy: 'peter',
          })
        ).subscription.id
      const rebinding = await subscribe('rebind.example.test')
      const before = received.length
      webhooks.start()
      try {
        webhooks.listener(event('umbrella', 'run_rebound'))
        await webhooks.flush()
        // The one answer was public: the connection went there (and got nowhere), never inside.
        const first = await firstAttempt(webhooks, rebinding, 'umbrella')
        expect(first.status).toBe('pending')
        expect(first.lastError).not.toContain('127.0.0.1')
        expect(questions).toEqual(['rebind.example.test'])
        expect(received.length).toBe(before)

        const inside = await subscribe('inside.example.test')
        webhooks.listener(event('umbrella', 'run_inside'))
        await webhooks.flush()
        expect((await firstAttempt(webhooks, inside, 'umbrella')).lastError).toContain(
          'not sent: inside.example.test resolves to 127.0.0.1, a loopback address',
        )
        expect(received.length).toBe(before)
      } finally {
        await webhooks.stop()
      }
    })
  })
})
