import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhookSignature } from './signature.js'

const secret = 'whsec_test'
const body = '{"type":"run.completed"}'
const now = Date.parse('2026-11-21T10:00:00Z')
const t = Math.floor(now / 1000)

describe('webhook signatures', () => {
  it('verifies what it signed', () => {
    expect(
      verifyWebhookSignature({ secret, body, signature: signWebhook(secret, body, t), now }),
    ).toEqual({ ok: true, timestamp: t })
  })

  it('refuses another body, another secret, a stale or future timestamp, and garbage', () => {
    const signature = signWebhook(secret, body, t)
    expect(verifyWebhookSignature({ secret, body: body + ' ', signature, now })).toEqual({
      ok: false,
      reason: 'signature does not match',
    })
    expect(verifyWebhookSignature({ secret: 'other', body, signature, now }).ok).toBe(false)
    expect(verifyWebhookSignature({ secret, body, signature, now: now + 301_000 })).toEqual({
      ok: false,
      reason: 'timestamp outside the 300 s tolerance',
    })
    expect(verifyWebhookSignature({ secret, body, signature, now: now - 301_000 }).ok).toBe(false)
    // Moving the timestamp forward (a replay with a fresh time) breaks the signature.
    const replay = signature.replace(`t=${t}`, `t=${t + 100}`)
    expect(verifyWebhookSignature({ secret, body, signature: replay, now: now + 100_000 }).ok).toBe(
      false,
    )
    for (const bad of [undefined, '', 't=x,v1=y', 'v1=abc', `t=${t}`])
      expect(verifyWebhookSignature({ secret, body, signature: bad, now }).ok).toBe(false)
  })

  it('accepts any one of several v1 signatures (secret rotation)', () => {
    const header = `${signWebhook('old', body, t)},v1=${signWebhook(secret, body, t).split('v1=')[1]}`
    expect(verifyWebhookSignature({ secret, body, signature: header, now }).ok).toBe(true)
  })
})
