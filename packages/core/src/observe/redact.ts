import { maskSecret, maskUrl } from '@skillos/contracts'

/** Objects nested deeper than this are cut off: a log line is not a place for a whole graph. */
const MAX_DEPTH = 12

/** Key names whose value is itself a secret wherever it appears (compared without `-`, `_`, case). */
const SECRET_KEY_PARTS = [
  'apikey',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'authorization',
  'cookie',
  'credential',
  'privatekey',
] as const

/**
 * Where a secret sits in a log object, for pino's own `redact` (a second line of defence for code
 * that logs through the same logger without `redactSecrets`). Wildcards reach two levels down.
 */
const SECRET_LOG_KEYS = [
  'apiKey',
  'api_key',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'secret',
  'clientSecret',
  'client_secret',
  'password',
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
] as const

function pathKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`
}

/**
 * Paths for pino's `redact` option: `apiKey`, `*.apiKey`, `*.*.apiKey`, `headers["set-cookie"]`, ….
 *
 * @example
 * ```ts
 * const logger = pino({ redact: { paths: [...secretLogPaths], censor: '***' } })
 * ```
 */
export const secretLogPaths: readonly string[] = SECRET_LOG_KEYS.flatMap((key) => {
  const tail = pathKey(key)
  return [tail.startsWith('.') ? key : tail, `*${tail}`, `*.*${tail}`]
})

/** True for keys that name a secret: `apiKey`, `X-Api-Key`, `accessToken`, `DB_PASSWORD`, `Cookie`. */
function isSecretKey(key: string): boolean {
  const name = key.toLowerCase().replace(/[-_\s.]/g, '')
  // `…token` but not `tokens` / `maxTokens`: token counts are usage, not credentials.
  return name.endsWith('token') || SECRET_KEY_PARTS.some((part) => name.includes(part))
}

/** `scheme://…` inside free text, up to whitespace or a quote. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi
/** A URL worth masking: user info (`user:pass@`) or a secret-looking query parameter. */
const URL_WITH_CREDENTIALS = /^[^/]*\/\/[^/?#]*@|[?&][^=&#]*(?:pass|secret|token|key)[^=&#]*=/i
/** `Authorization: Bearer abc…` / `Basic dXNlcjpwYXNz` written into a message. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g
/** Well-known API key shapes: OpenAI/Anthropic `sk-…`, GitHub `ghp_…`, Slack `xox?-…`, AWS `AKIA…`. */
const KNOWN_KEY_SHAPES =
  /\b(?:sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16})/g

function redactText(text: string): string {
  return text
    .replace(URL_IN_TEXT, (url) => (URL_WITH_CREDENTIALS.test(url) ? maskUrl(url) : url))
    .replace(AUTH_SCHEME, '$1 ***')
    .replace(KNOWN_KEY_SHAPES, (key) => maskSecret(key))
}

/** The value of a secret key: strings keep at most their last 4 characters, anything else goes. */
function maskValue(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value
  return typeof value === 'string' ? maskSecret(value) : '***'
}

function redactError(error: Error, path: WeakSet<object>, depth: number): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    type: error.name,
    message: redactText(error.message),
  }
  if (error.stack) fields.stack = redactText(error.stack)
  for (const [key, value] of Object.entries(error)) {
    fields[key] = isSecretKey(key) ? maskValue(value) : redactValue(value, path, depth + 1)
  }
  if (error.cause !== undefined && !('cause' in fields)) {
    fields.cause = redactValue(error.cause, path, depth + 1)
  }
  return fields
}

function redactValue(value: unknown, path: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactText(value)
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value
  }
  if (path.has(value)) return '[Circular]'
  if (depth >= MAX_DEPTH) return '[Truncated]'
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`
  path.add(value)
  try {
    if (value instanceof Error) return redactError(value, path, depth)
    if (Array.isArray(value)) return value.map((item) => redactValue(item, path, depth + 1))
    if (value instanceof Map) {
      return redactValue(Object.fromEntries(value), path, depth)
    }
    if (value instanceof Set) return redactValue([...value], path, depth)
    // Dates, URLs and other objects that know their JSON form: redact that form.
    if ('toJSON' in value && typeof value.toJSON === 'function') {
      return redactValue((value.toJSON as (this: object) => unknown).call(value), path, depth)
    }
    const copy: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      copy[key] = isSecretKey(key) ? maskValue(item) : redactValue(item, path, depth + 1)
    }
    return copy
  } finally {
    path.delete(value)
  }
}

/**
 * A copy of `value` safe to log: values under keys that name a secret (`apiKey`, `token`,
 * `password`, `secret`, `authorization`, `cookie`, …; any case, `-`/`_` ignored) are masked with
 * `maskSecret`, credentials in URLs with `maskUrl`, and bearer tokens or well-known API key shapes
 * (`sk-…`, `ghp_…`, `AKIA…`) inside any string are masked too. Token *counts* (`tokens`,
 * `maxTokens`) are kept. Errors become `{ type, message, stack, …fields }`, Dates and URLs their
 * JSON form, cycles `'[Circular]'`; the input is never modified.
 *
 * @example
 * ```ts
 * redactSecrets({ apiKey: 'sk-live-0123456789abcdefghij', url: 'postgres://app:hunter2@db/app' })
 * // { apiKey: '***ghij', url: 'postgres://app:***@db/app' }
 * ```
 */
export function redactSecrets(value: string): string
export function redactSecrets(value: Record<string, unknown>): Record<string, unknown>
export function redactSecrets(value: unknown): unknown
export function redactSecrets(value: unknown): unknown {
  return redactValue(value, new WeakSet(), 0)
}
