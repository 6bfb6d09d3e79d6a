import {
  SkillOSError,
  UnavailableError,
  ValidationError,
  errorCodeSchema,
  maskUrl,
  type ErrorCode,
  type ValidationIssue,
} from '@skillos/contracts'
import { z } from 'zod'

/** The code a status means when the body is not problem+json (a proxy's 502 page, say). */
const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
  504: 'TIMEOUT',
}

const problemBodySchema = z.looseObject({
  title: z.string().optional(),
  detail: z.string().optional(),
  code: z.string().optional(),
  instance: z.string().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
})

/** What a failed request was, for the error: method, masked URL, status. */
export interface FailedRequest {
  method: string
  url: string
  registry: string
}

/**
 * Turn a non-2xx registry response into the `SkillOSError` the server meant: the problem+json
 * `code` when it is one SkillOS knows, otherwise a code from the HTTP status. The message is the
 * server's `detail` (or `title`), and `details` name the status, method and (masked) URL.
 */
export async function errorFromResponse(
  response: Response,
  request: FailedRequest,
): Promise<SkillOSError> {
  const text = await response.text().catch(() => '')
  let body: z.output<typeof problemBodySchema> | undefined
  try {
    const parsed = problemBodySchema.safeParse(JSON.parse(text))
    if (parsed.success) body = parsed.data
  } catch {
    body = undefined
  }
  const known = errorCodeSchema.safeParse(body?.code)
  const code: ErrorCode = known.success
    ? known.data
    : (CODE_BY_STATUS[response.status] ??
      (response.status >= 500 ? 'UPSTREAM_FAILED' : 'VALIDATION_FAILED'))
  const where = `${request.method} ${maskUrl(request.url)}`
  const message =
    body?.detail ??
    body?.title ??
    `The registry answered ${where} with HTTP ${response.status}${text && !body ? `: ${text.slice(0, 200).trim()}` : ''}`
  const details: Record<string, unknown> = {
    status: response.status,
    method: request.method,
    url: maskUrl(request.url),
    registry: request.registry,
    ...(body?.details ?? {}),
    ...(body?.instance ? { instance: body.instance } : {}),
  }
  if (code === 'VALIDATION_FAILED') {
    const issues: ValidationIssue[] = body?.issues ?? []
    return new ValidationError(message, issues, { details })
  }
  return new SkillOSError({ code, message, details })
}

/**
 * The error for a request that got no response: refused, DNS failure, reset, timeout. It names the
 * registry URL (masked) and what to check.
 */
export function errorFromFailure(error: unknown, request: FailedRequest): SkillOSError {
  const registry = request.registry
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new SkillOSError({
      code: 'TIMEOUT',
      message: `The registry at ${registry} did not answer ${request.method} ${maskUrl(request.url)} in time; check that it is running and reachable`,
      details: { registry, url: maskUrl(request.url) },
      cause: error,
    })
  }
  const reason = describeNetworkError(error)
  return new UnavailableError(
    `Cannot reach the registry at ${registry} (${reason}); check the URL (--registry, registry.url or SKILLOS_REGISTRY_URL) and that the registry is running`,
    { url: registry, service: 'registry', reason },
    error,
  )
}

function describeNetworkError(error: unknown): string {
  // fetch wraps the reason: TypeError('fetch failed') → cause { code: 'ECONNREFUSED' } or Error('bad port').
  let current: unknown = error
  let innermost = error instanceof Error ? error.message : String(error)
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && code.length > 0) return code
    if (current instanceof Error && current.message) innermost = current.message
    current = (current as { cause?: unknown }).cause
  }
  // Messages may quote a URL: hide any user:password in it.
  return innermost.replace(/\/\/[^@/\s]*@/g, '//***@')
}
