import { createHmac, timingSafeEqual } from 'node:crypto'

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'skillos-signature'
/** The delivery id: the same on every retry of one delivery (deduplicate on it). */
export const WEBHOOK_ID_HEADER = 'skillos-webhook-id'

/**
 * Sign a webhook body: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The timestamp is
 * inside the signed text, so a captured delivery cannot be replayed later with a fresh timestamp.
 */
export function signWebhook(secret: string, body: string, timestampSec: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')
  return `t=${timestampSec},v1=${mac}`
}

export interface VerifyWebhookOptions {
  secret: string
  /** The raw request body, exactly as received (not re-serialised JSON). */
  body: string
  /** The `skillos-signature` header. */
  signature: string | null | undefined
  /** Oldest accepted signature age, in seconds (default 300). */
  toleranceSec?: number
  /** Clock in milliseconds (tests). */
  now?: number
}

/**
 * Check a delivery's signature in constant time and refuse stale ones (replays). Returns the
 * reason on failure, so a receiver can log it.
 *
 * @example
 * ```ts
 * const check = verifyWebhookSignature({ secret, body: rawBody, signature: req.headers['skillos-signature'] })
 * if (!check.ok) return res.writeHead(400).end(check.reason)
 * ```
 */
export function verifyWebhookSignature(
  options: VerifyWebhookOptions,
): { ok: true; timestamp: number } | { ok: false; reason: string } {
  const header = options.signature ?? ''
  const parts = new Map<string, string[]>()
  for (const piece of header.split(',')) {
    const at = piece.indexOf('=')
    if (at <= 0) continue
    const key = piece.slice(0, at).trim()
    parts.set(key, [...(parts.get(key) ?? []), piece.slice(at + 1).trim()])
  }
  const t = Number(parts.get('t')?.[0])
  const candidates = parts.get('v1') ?? []
  if (!Number.isSafeInteger(t) || candidates.length === 0)
    return { ok: false, reason: 'malformed signature header' }
  const tolerance = options.toleranceSec ?? 300
  const nowSec = Math.floor((options.now ?? Date.now()) / 1000)
  if (Math.abs(nowSec - t) > tolerance)
    return { ok: false, reason: `timestamp outside the ${tolerance} s tolerance` }
  const expected = Buffer.from(
    createHmac('sha256', options.secret).update(`${t}.${options.body}`).digest('hex'),
  )
  for (const candidate of candidates) {
    const given = Buffer.from(candidate)
    if (given.length === expected.length && timingSafeEqual(given, expected))
      return { ok: true, timestamp: t }
  }
  return { ok: false, reason: 'signature does not match' }
}
