import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, createTestApi, type TestApi } from './test-support.js'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi({
    config: {
      api: { rateLimit: { tenant: { limit: 1_000_000 }, principal: { limit: 1_000_000 } } },
    },
  })
})
afterAll(async () => {
  await api?.close()
})

/** A small seeded generator (mulberry32): the same cases every run, and a failure names its seed. */
function random(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  return { next, pick }
}

const STRINGS = [
  '',
  ' ',
  'echo hi',
  'x'.repeat(5000),
  '\u0000\u0001',
  '💥🦪',
  '../../etc/passwd',
  "'; drop table runs; --",
  '%00',
  '{"a":',
  'null',
  '<script>',
  'переведи 100 долларов',
]
const VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  [],
  [1, 'a', null],
  {},
  { __proto__: { admin: true } },
  { constructor: { prototype: { x: 1 } } },
  ...STRINGS,
]

function value(r: ReturnType<typeof random>, depth = 0): unknown {
  const roll = r.next()
  if (depth < 3 && roll < 0.15) return Object.fromEntries([[r.pick(STRINGS), value(r, depth + 1)]])
  if (depth < 3 && roll < 0.25) return [value(r, depth + 1), value(r, depth + 1)]
  return r.pick(VALUES)
}

const FIELDS = [
  'input',
  'skill',
  'params',
  'mode',
  'dryRun',
  'context',
  'metadata',
  'answer',
  'comment',
  'url',
  'events',
  'name',
  'roles',
  'expiresAt',
  'tenant',
  'extra',
]

function body(r: ReturnType<typeof random>): string | undefined {
  const roll = r.next()
  if (roll < 0.1) return undefined
  if (roll < 0.25)
    return r.pick([
      '{',
      '[',
      '{"input":}',
      'not json',
      '\u0000',
      '{"input":"a"}{"x":1}',
      '"string"',
      '1',
    ])
  if (roll < 0.35) return JSON.stringify(value(r))
  const object: Record<string, unknown> = {}
  for (let i = 0; i < 1 + Math.floor(r.next() * 4); i += 1) object[r.pick(FIELDS)] = value(r)
  return JSON.stringify(object)
}

const IDS = ['x', 'run_0', '%2F..%2F', 'a'.repeat(300), '%F0%9F%92%A5', 'null', '-1']

function fill(path: string, r: ReturnType<typeof random>): string {
  return path.replace(/\{[^}]+\}/g, () => r.pick(IDS))
}

describe('fuzz: malformed bodies, headers and parameters on every endpoint', () => {
  it('answers only 2xx/4xx (never 5xx) and always JSON problems on errors', async () => {
    const doc = (await (await call(api.app, 'GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    )
    routes.push({ method: 'GET', path: '/metrics' }, { method: 'PATCH', path: '/v1/runs' })
    expect(routes.length).toBeGreaterThan(15)
    const failures: string[] = []
    for (const route of routes) {
      for (let seed = 1; seed <= 12; seed += 1) {
        const r = random(seed * 7919 + route.path.length)
        const headers: Record<string, string> = {}
        if (r.next() < 0.85)
          headers.authorization = `Bearer ${r.pick([api.keys.carol, api.keys.ann, 'sk_bad', 'a.b.c', ''])}`
        if (r.next() < 0.7)
          headers['content-type'] = r.pick([
            'application/json',
            'text/plain',
            'application/json; charset=utf-16',
            'multipart/form-data; boundary=x',
            'application/x-www-form-urlencoded',
          ])
        if (r.next() < 0.3)
          headers['idempotency-key'] = r.pick(['', 'k', 'x'.repeat(300), '💥'.normalize()])
        if (r.next() < 0.3) headers.accept = r.pick(['text/event-stream', '*/*', 'application/xml'])
        if (r.next() < 0.2)
          headers['last-event-id'] = r.pick(['abc', '-5', '1e9', '99999999999999999999'])
        const query =
          r.next() < 0.5
            ? `?${r.pick(['async=maybe', 'async=true', 'limit=-1', 'limit=abc', 'after=NaN', 'q=', 'q=' + 'x'.repeat(3000), 'tag=%00', 'user=%FF'])}`
            : ''
        const path = fill(route.path, r) + query
        const payload = body(r)
        let response: Response
        try {
          response = await api.app.request(path, {
            method: route.method,
            headers: Object.fromEntries(
              Object.entries(headers).filter(([, v]) => /^[\x20-\x7e]*$/.test(v)),
            ),
            ...(payload !== undefined && route.method !== 'GET' ? { body: payload } : {}),
          })
        } catch (error) {
          failures.push(`${route.method} ${path} threw ${String(error)}`)
          continue
        }
        if (response.status >= 500) {
          failures.push(
            `${route.method} ${path} (seed ${seed}) → ${response.status} ${await response.text()}`,
          )
          continue
        }
        if (response.status >= 400) {
          expect(response.headers.get('content-type')).toContain('application/problem+json')
          const text = await response.text()
          expect(text).not.toMatch(/\n\s+at /)
        } else await response.body?.cancel()
      }
    }
    expect(failures).toEqual([])
  }, 120_000)
})
