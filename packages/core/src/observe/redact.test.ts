import { describe, expect, it } from 'vitest'
import { redactSecrets } from './redact.js'

const LONG_KEY = 'sk-live-0123456789abcdefWXYZ'

describe('redactSecrets', () => {
  it('masks values under keys that name a secret, whatever their case or separators', () => {
    const masked = redactSecrets({
      apiKey: LONG_KEY,
      API_KEY: LONG_KEY,
      'x-api-key': 'short',
      Authorization: 'Bearer abc.def.ghi',
      cookie: 'session=1',
      accessToken: 'tok',
      'x-auth-token': 'tok',
      clientSecret: 'shh',
      DB_PASSWORD: 'hunter2',
      pin: 1234,
    })
    expect(masked).toEqual({
      apiKey: '***WXYZ',
      API_KEY: '***WXYZ',
      'x-api-key': '***',
      Authorization: '***',
      cookie: '***',
      accessToken: '***',
      'x-auth-token': '***',
      clientSecret: '***',
      DB_PASSWORD: '***',
      pin: 1234,
    })
  })

  it('masks a whole object or number held under a secret key', () => {
    expect(redactSecrets({ credentials: { user: 'u', pass: 'p' }, password: 123456 })).toEqual({
      credentials: '***',
      password: '***',
    })
  })

  it('keeps token counts, which are usage and not credentials', () => {
    const usage = { tokens: { input: 310, output: 92 }, maxTokens: 4096, costUsd: 0.0042 }
    expect(redactSecrets(usage)).toEqual(usage)
  })

  it('masks the password and secret query parameters of URLs, alone or inside text', () => {
    expect(
      redactSecrets({
        url: 'postgres://app:hunter2@db:5432/skillos',
        webhook: 'https://hooks.example.com/in?token=abc123&team=ops',
        message: 'cannot reach redis://:hunter2@cache:6379 after 3 attempts',
      }),
    ).toEqual({
      url: 'postgres://app:***@db:5432/skillos',
      webhook: 'https://hooks.example.com/in?token=***&team=ops',
      message: 'cannot reach redis://:***@cache:6379 after 3 attempts',
    })
  })

  it('leaves URLs without credentials exactly as written', () => {
    const text = 'see https://docs.example.com/runs for details'
    expect(redactSecrets(text)).toBe(text)
  })

  it('masks bearer tokens and well-known API key shapes inside free text', () => {
    expect(redactSecrets(`calling with ${LONG_KEY} and header Bearer eyJhbGciOiJIUzI1NiJ9.x`)).toBe(
      'calling with ***WXYZ and header Bearer ***',
    )
    expect(redactSecrets('aws key AKIAIOSFODNN7EXAMPLE')).toBe('aws key ***MPLE')
  })

  it('reaches into arrays, nested objects and errors without modifying the input', () => {
    const input = {
      calls: [{ headers: { authorization: 'Basic dXNlcjpwYXNz' } }],
      error: Object.assign(new Error('connect to postgres://u:pw@db/x failed'), {
        code: 'UNAVAILABLE',
        apiKey: LONG_KEY,
      }),
    }
    const masked = redactSecrets(input)
    expect(masked.calls).toEqual([{ headers: { authorization: '***' } }])
    expect(masked.error).toMatchObject({
      type: 'Error',
      message: 'connect to postgres://u:***@db/x failed',
      code: 'UNAVAILABLE',
      apiKey: '***WXYZ',
    })
    expect(JSON.stringify(masked)).not.toContain('pw@')
    expect(input.calls[0]?.headers.authorization).toBe('Basic dXNlcjpwYXNz')
    expect(input.error.apiKey).toBe(LONG_KEY)
  })

  it('turns dates into ISO strings, cycles into a marker and drops functions', () => {
    const node: Record<string, unknown> = { at: new Date('2025-06-02T09:00:00.000Z') }
    node.self = node
    node.callback = () => 1
    expect(redactSecrets(node)).toEqual({
      at: '2025-06-02T09:00:00.000Z',
      self: '[Circular]',
      callback: undefined,
    })
  })

  it('keeps an object that appears twice (not a cycle) in both places', () => {
    const shared = { currency: 'EUR' }
    expect(redactSecrets({ from: shared, to: shared })).toEqual({ from: shared, to: shared })
  })
})
