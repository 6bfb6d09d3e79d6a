import { createRoute, z } from '@hono/zod-openapi'
import type { ApiApp } from '../app.js'
import {
  ApprovalSchema,
  DecisionSchema,
  IdParams,
  RunResultSchema,
  commonErrors,
  responses,
} from '../schemas.js'
import { bearer, wire, type RouteDeps } from './deps.js'

const listApprovals = createRoute({
  method: 'get',
  path: '/v1/approvals',
  tags: ['approvals'],
  summary: 'Pending approvals the caller may decide',
  security: bearer,
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }) },
  responses: {
    200: responses.json(z.object({ approvals: z.array(ApprovalSchema) }), 'Pending approvals'),
    ...commonErrors,
  },
})

const decide = (decision: 'approve' | 'reject') =>
  createRoute({
    method: 'post',
    path: `/v1/approvals/{id}/${decision}`,
    tags: ['approvals'],
    summary:
      decision === 'approve'
        ? 'Approve: the run continues (policy, approver role, four eyes)'
        : 'Reject: the run ends refused',
    security: bearer,
    request: {
      params: IdParams('apr_m3x9k2a1b2c3d4e5f6a7b8'),
      body: { content: { 'application/json': { schema: DecisionSchema } }, required: false },
    },
    responses: {
      200: responses.json(RunResultSchema, 'The run after the decision'),
      409: responses.problem('Decided or expired already'),
      ...commonErrors,
    },
  })

export function registerApprovalRoutes(app: ApiApp, deps: RouteDeps): void {
  const { os } = deps

  app.openapi(listApprovals, async (c) => {
    const { tenant, principal } = c.get('identity')
    const limit = c.req.valid('query').limit
    const approvals = await os.pendingApprovals({ tenant, principal, ...(limit ? { limit } : {}) })
    return c.json({ approvals: wire<z.infer<typeof ApprovalSchema>[]>(approvals) }, 200)
  })

  for (const decision of ['approve', 'reject'] as const) {
    app.openapi(decide(decision), async (c) => {
      const { tenant, principal } = c.get('identity')
      const approvalId = c.req.valid('param').id
      // The body is optional: without a JSON content type there is none.
      const comment = (c.req.valid('json') as z.infer<typeof DecisionSchema> | undefined)?.comment
      const request = { tenant, approvalId, principal, ...(comment ? { comment } : {}) }
      const result = decision === 'approve' ? await os.approve(request) : await os.reject(request)
      return c.json(wire<z.infer<typeof RunResultSchema>>(result), 200)
    })
  }
}
