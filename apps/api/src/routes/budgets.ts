import { createRoute, z } from '@hono/zod-openapi'
import type { ApiApp } from '../app.js'
import { commonErrors, responses } from '../schemas.js'
import { bearer, wire, type RouteDeps } from './deps.js'
import { authorize } from './policy.js'

const LimitReportSchema = z
  .object({
    limitId: z.string(),
    scope: z.array(z.string()),
    subject: z.string(),
    window: z.string(),
    mode: z.string(),
    unit: z.string(),
    limit: z.number(),
    spent: z.number(),
    reserved: z.number(),
    remaining: z.number(),
    resetsAt: z.string().nullable(),
  })
  .openapi('BudgetLimitReport')

const getBudgets = createRoute({
  method: 'get',
  path: '/v1/budgets',
  tags: ['budgets'],
  summary: 'Spend and remaining per limit and window (yours; any user or skill with budget:manage)',
  security: bearer,
  request: {
    query: z.object({
      user: z.string().min(1).max(200).optional(),
      skill: z.string().min(1).max(300).optional(),
    }),
  },
  responses: {
    200: responses.json(
      z.object({ limits: z.array(LimitReportSchema) }),
      'Where each limit stands',
    ),
    ...commonErrors,
  },
})

export function registerBudgetRoutes(app: ApiApp, deps: RouteDeps): void {
  const { os } = deps
  app.openapi(getBudgets, async (c) => {
    const identity = c.get('identity')
    const { user, skill } = c.req.valid('query')
    if ((user && user !== identity.principal.id) || skill)
      authorize(os, identity, 'budget:manage', 'budget', deps.now())
    const limits = await os.budget.report({
      tenant: identity.tenant,
      user: user ?? identity.principal.id,
      ...(skill ? { skill } : {}),
    })
    return c.json({ limits: wire<z.infer<typeof LimitReportSchema>[]>(limits) }, 200)
  })
}
