import { maskUrl, SkillOSError, type ErrorCode } from '@skillos/contracts'
import { TaskCancelledError } from 'cockatiel'

const MAX_MESSAGE_CHARS = 500
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi
const CREDENTIAL_PATTERN = /\b(Bearer|Basic|Token)\s+[^\s,;"'()]+/gi

/** Network failures worth another attempt (Node's socket errors and undici's). */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
])
const TRANSIENT_SKILLOS_CODES: ReadonlySet<ErrorCode> = new Set([
  'UNAVAILABLE',
  'UPSTREAM_FAILED',
  'TIMEOUT',
])

function numericField(value: object, key: string): number | undefined {
  const field = (value as Record<string, unknown>)[key]
  return typeof field === 'number' && Number.isInteger(field) ? field : undefined
}

/** The HTTP status an error carries (`status`, `statusCode`, or a SkillOS error's `details.status`). */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const own = numericField(error, 'status') ?? numericField(error, 'statusCode')
  if (own !== undefined) return own
  if (SkillOSError.is(error) && error.details) return numericField(error.details, 'status')
  return undefined
}

function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

/**
 * The default `retryable`: network errors, SkillOS `UNAVAILABLE` / `UPSTREAM_FAILED` / `TIMEOUT`,
 * and HTTP 408, 429 and 5xx. An error that names another HTTP status (a 400, a 404) is not retried.
 */
export function isTransientError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false
  const status = httpStatusOf(error)
  if (status !== undefined) return isTransientStatus(status)
  if (SkillOSError.is(error)) return TRANSIENT_SKILLOS_CODES.has(error.code)
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return true
  // `fetch failed` is a TypeError whose cause holds the socket error.
  const cause = (error as { cause?: unknown }).cause
  return cause !== error && isTransientError(cause, depth + 1)
}

/** An error's message without credentials in URLs or headers, cut to a readable length. */
export function safeMessage(error: unknown): string {
  const raw =
    error instanceof Error ? error.message : typeof error === 'string' ? error : String(error)
  const masked = raw
    .replace(URL_PATTERN, (url) => maskUrl(url))
    .replace(CREDENTIAL_PATTERN, (_match, scheme: string) => `${scheme} ***`)
  return masked.length > MAX_MESSAGE_CHARS ? `${masked.slice(0, MAX_MESSAGE_CHARS)}…` : masked
}

/** `CANCELLED`: the run was cancelled while the tool was running or waiting to retry. */
export function toolCancelledError(tool: string): SkillOSError {
  return new SkillOSError({
    code: 'CANCELLED',
    message: `Tool "${tool}" was stopped: the run was cancelled`,
    details: { tool },
  })
}

/**
 * One attempt's failure as the SkillOS error the caller sees: `CANCELLED` when the run was
 * cancelled, `TIMEOUT` when the attempt ran out of time, a SkillOS error as thrown, and anything else
 * as `UPSTREAM_FAILED` with the original message (masked; never the stack or the cause).
 */
export function toToolError(
  error: unknown,
  where: { tool: string; timeoutMs: number; cancelled: boolean },
): SkillOSError {
  if (where.cancelled) return toolCancelledError(where.tool)
  // Not cockatiel's `isTaskCancelledError`: in 3.2.1 it tests the bulkhead's marker and is always false.
  if (error instanceof TaskCancelledError) {
    return new SkillOSError({
      code: 'TIMEOUT',
      message: `Tool "${where.tool}" timed out after ${where.timeoutMs} ms`,
      details: { tool: where.tool, timeoutMs: where.timeoutMs },
    })
  }
  if (SkillOSError.is(error)) return error
  const status = httpStatusOf(error)
  return new SkillOSError({
    code: 'UPSTREAM_FAILED',
    message: `Tool "${where.tool}" failed: ${safeMessage(error)}`,
    details: { tool: where.tool, ...(status === undefined ? {} : { status }) },
  })
}

/** The `error` of a `tool.failed` event: code and message only (details may hold caller data). */
export function errorBody(error: unknown): { code: ErrorCode; message: string } {
  if (SkillOSError.is(error)) return { code: error.code, message: error.message }
  return { code: 'INTERNAL', message: safeMessage(error) }
}
