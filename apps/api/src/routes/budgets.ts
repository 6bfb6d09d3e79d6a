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

const BudgetLimitSchema = z
  .object({
    id: z.string().optional(),
    scope: z.union([
      z.enum(['tenant', 'user', 'skill', 'run']),
      z.array(z.enum(['tenant', 'user', 'skill', 'run'])).min(1),
    ]),
    window: z.string(),
    usd: z.number().optional(),
    tokens: z.number().int().optional(),
    currency: z.string().optional(),
    mode: z.enum(['hard', 'soft']).optional(),
    tenant: z.string().optional(),
    user: z.string().optional(),
    skill: z.string().optional(),
  })
  .passthrough()
  .openapi('BudgetLimit', {
    description:
      'A limit as in budget.limits of the configuration (checked in full by the budget: scope, window, usd and/or tokens, mode, narrowing by user or skill)',
  })

const TenantLimitsSchema = z
  .object({
    tenant: z.string(),
    limits: z.array(BudgetLimitSchema),
    version: z.number().int(),
    updatedBy: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .openapi('TenantBudgetLimits')

const getLimits = createRoute({
  method: 'get',
  path: '/v1/budgets/limits',
  tags: ['budgets'],
  summary: "Your tenant's run-time limits (set with PUT; the configured limits apply besides)",
  security: bearer,
  responses: {
    200: responses.json(TenantLimitsSchema, 'The run-time limits and their version'),
    ...commonErrors,
  },
})

const putLimits = createRoute({
  method: 'put',
  path: '/v1/budgets/limits',
  tags: ['budgets'],
  summary:
    "Replace your tenant's run-time limits (budget:manage); they win over configured limits of the same scope, window and mode",
  security: bearer,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              limits: z.array(BudgetLimitSchema).max(200),
              /** Replace only if the stored version is this one (0: none yet); else 409. */
              expectedVersion: z.number().int().min(0).optional(),
            })
            .strict(),
        },
      },
      required: true,
    },
  },
  responses: {
    200: responses.json(TenantLimitsSchema, 'Replaced; reservations use them at once'),
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

  app.openapi(getLimits, async (c) => {
    const identity = c.get('identity')
    const stored = await os.budget.tenantLimits(identity.tenant)
    return c.json(wire<z.infer<typeof TenantLimitsSchema>>(stored), 200)
  })

  app.openapi(putLimits, async (c) => {
    const identity = c.get('identity')
    authorize(os, identity, 'budget:manage', 'budget', deps.now())
    const { limits, expectedVersion } = c.req.valid('json')
    const stored = await os.budget.setTenantLimits(identity.tenant, limits as never, {
      by: identity.principal.id,
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    })
    return c.json(wire<z.infer<typeof TenantLimitsSchema>>(stored), 200)
  })
}
