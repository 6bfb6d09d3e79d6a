import { createRoute, z } from '@hono/zod-openapi'
import type { RunEvent } from '@skillos/contracts'
import { streamSSE } from 'hono/streaming'
import type { ApiApp } from '../app.js'
import { apiError } from '../problem.js'
import {
  AnswerSchema,
  RunAcceptedSchema,
  RunCreateSchema,
  RunIdParams,
  RunResultSchema,
  commonErrors,
  responses,
} from '../schemas.js'
import { bearer, wire, type RouteDeps } from './deps.js'

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({ description: 'Same key + same body → the stored result; another body → 409' }),
})

const createRun = createRoute({
  method: 'post',
  path: '/v1/runs',
  tags: ['runs'],
  summary: 'Run a request (sync), or accept it to run later (`?async=true` → 202)',
  security: bearer,
  request: {
    query: z.object({ async: z.enum(['true', 'false']).optional() }),
    headers: IdempotencyHeaders,
    body: { content: { 'application/json': { schema: RunCreateSchema } }, required: true },
  },
  responses: {
    200: responses.json(RunResultSchema, 'The run, finished or waiting for a person'),
    202: responses.json(RunAcceptedSchema, 'Accepted: runs in the background'),
    409: responses.problem('Idempotency key reused with another body, or still in progress'),
    413: responses.problem('Body too large'),
    ...commonErrors,
  },
})

const getRun = createRoute({
  method: 'get',
  path: '/v1/runs/{id}',
  tags: ['runs'],
  summary: 'A run: status, output, usage and trace',
  security: bearer,
  request: { params: RunIdParams },
  responses: { 200: responses.json(RunResultSchema, 'The run'), ...commonErrors },
})

const runEvents = createRoute({
  method: 'get',
  path: '/v1/runs/{id}/events',
  tags: ['runs'],
  summary: 'The run trace; with `Accept: text/event-stream`, Server-Sent Events while it runs',
  security: bearer,
  request: {
    params: RunIdParams,
    query: z.object({ after: z.coerce.number().int().min(-1).max(1_000_000).optional() }),
  },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({ events: z.array(z.record(z.string(), z.unknown())) }),
        },
        'text/event-stream': { schema: z.string() },
      },
      description: 'Events in order (`seq`); SSE ends when the run stops running',
    },
    ...commonErrors,
  },
})

const cancelRun = createRoute({
  method: 'post',
  path: '/v1/runs/{id}/cancel',
  tags: ['runs'],
  summary: 'Cancel a run (queued or waiting: now; executing: its current step is stopped)',
  security: bearer,
  request: { params: RunIdParams },
  responses: {
    200: responses.json(RunResultSchema, 'Cancelled'),
    202: responses.json(
      RunResultSchema,
      'Cancellation requested: the run is executing (resumed ones too) and stops shortly',
    ),
    409: responses.problem('The run has finished already'),
    ...commonErrors,
  },
})

const answerRun = createRoute({
  method: 'post',
  path: '/v1/runs/{id}/answer',
  tags: ['runs'],
  summary: 'Answer a run that needs input (text, or the missing fields)',
  security: bearer,
  request: {
    params: RunIdParams,
    body: { content: { 'application/json': { schema: AnswerSchema } }, required: true },
  },
  responses: {
    200: responses.json(RunResultSchema, 'The run, continued'),
    409: responses.problem('The run is not waiting for input'),
    ...commonErrors,
  },
})

const SSE_MAX_MS = 10 * 60_000
const SSE_POLL_MS = 1000

export function registerRunRoutes(app: ApiApp, deps: RouteDeps): void {
  const { os } = deps

  app.openapi(createRun, async (c) => {
    const { tenant, principal } = c.get('identity')
    const body = c.req.valid('json')
    const key = c.req.valid('header')['idempotency-key']
    const request = {
      ...body,
      input: body.input ?? '',
      tenant,
      principal,
      ...(key ? { idempotencyKey: key } : {}),
    }
    if (c.req.valid('query').async === 'true') {
      const queue = deps.queue
      if (!queue) throw apiError('UNAVAILABLE', 'Async runs are not enabled on this server')
      if (queue.depth() >= deps.config.queue.maxQueued)
        throw apiError('UNAVAILABLE', 'The run queue is full; retry later', {
          retryAfterMs: 5000,
        })
      const submitted = await os.submit(request)
      if (submitted.accepted) await queue.notify(tenant, submitted.run.runId)
      else c.header('idempotent-replayed', 'true')
      const runId = submitted.run.runId
      c.header('location', `/v1/runs/${runId}`)
      return c.json(
        {
          runId,
          status: submitted.run.status,
          links: {
            self: `/v1/runs/${runId}`,
            events: `/v1/runs/${runId}/events`,
            cancel: `/v1/runs/${runId}/cancel`,
          },
        },
        202,
      )
    }
    const result = await os.run(request)
    return c.json(wire<z.infer<typeof RunResultSchema>>(result), 200)
  })

  app.openapi(getRun, async (c) => {
    const { tenant } = c.get('identity')
    const result = await os.getRun(tenant, c.req.valid('param').id)
    if (!result) throw apiError('NOT_FOUND', `Run ${c.req.valid('param').id} not found`)
    return c.json(wire<z.infer<typeof RunResultSchema>>(result), 200)
  })

  app.openapi(runEvents, async (c) => {
    const { tenant } = c.get('identity')
    const { id } = c.req.valid('param')
    const lastEventId = Number(c.req.header('last-event-id'))
    const after =
      c.req.valid('query').after ?? (Number.isSafeInteger(lastEventId) ? lastEventId : -1)
    const stored = await os.events(tenant, id, { afterSeq: after })
    if (!stored) throw apiError('NOT_FOUND', `Run ${id} not found`)
    if (!(c.req.header('accept') ?? '').includes('text/event-stream'))
      return c.json({ events: wire<Record<string, unknown>[]>(stored) }, 200)
    return streamSSE(c, async (stream) => {
      let last = after
      let ended = false
      const live: RunEvent[] = []
      let wake: (() => void) | undefined
      const off = os.on((event) => {
        if (event.tenant !== tenant || event.runId !== id) return
        live.push(event)
        wake?.()
      })
      stream.onAbort(() => {
        ended = true
        wake?.()
      })
      const send = async (event: RunEvent) => {
        if (event.seq <= last) return
        last = event.seq
        await stream.writeSSE({
          id: String(event.seq),
          event: event.type,
          data: JSON.stringify(event),
        })
      }
      try {
        for (const event of stored) await send(event)
        const deadline = deps.now() + SSE_MAX_MS
        while (!ended && deps.now() < deadline) {
          while (live.length > 0) {
            const event = live.shift()!
            await send(event)
            if (event.type === 'run.completed' || event.type === 'run.cancelled') ended = true
          }
          if (ended) break
          // Events persisted by another instance, and whether the run still runs.
          const run = await os.runs.get(tenant, id)
          for (const event of (await os.events(tenant, id, { afterSeq: last })) ?? [])
            await send(event)
          if (!run || (run.status !== 'queued' && run.status !== 'running')) break
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, SSE_POLL_MS)
            wake = () => {
              clearTimeout(timer)
              resolve()
            }
          })
          wake = undefined
        }
      } finally {
        off()
      }
    }) as never
  })

  app.openapi(cancelRun, async (c) => {
    const { tenant, principal } = c.get('identity')
    const cancelled = await os.cancel({ tenant, runId: c.req.valid('param').id, principal })
    return c.json(
      wire<z.infer<typeof RunResultSchema>>(cancelled.run),
      cancelled.outcome === 'cancelled' ? 200 : 202,
    )
  })

  app.openapi(answerRun, async (c) => {
    const { tenant, principal } = c.get('identity')
    const result = await os.answer({
      tenant,
      runId: c.req.valid('param').id,
      principal,
      answer: c.req.valid('json').answer,
    })
    return c.json(wire<z.infer<typeof RunResultSchema>>(result), 200)
  })
}
