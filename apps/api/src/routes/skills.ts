import { createRoute, z } from '@hono/zod-openapi'
import type { LoadedSkill } from '@skillos/registry'
import type { ApiApp } from '../app.js'
import { apiError } from '../problem.js'
import { RouteRequestSchema, SkillSchema, commonErrors, responses } from '../schemas.js'
import { bearer, wire, type RouteDeps } from './deps.js'

const segment = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase skill id segment')

const listSkills = createRoute({
  method: 'get',
  path: '/v1/skills',
  tags: ['skills'],
  summary: 'Every skill this server runs (newest version of each)',
  security: bearer,
  request: { query: z.object({ tag: z.string().min(1).max(100).optional() }) },
  responses: {
    200: responses.json(z.object({ skills: z.array(SkillSchema) }), 'Skills'),
    ...commonErrors,
  },
})

const searchSkills = createRoute({
  method: 'get',
  path: '/v1/skills/search',
  tags: ['skills'],
  summary: 'Search skills by meaning (EN/RU): ranked, with calibrated confidence',
  security: bearer,
  request: {
    query: z.object({
      q: z.string().min(1).max(2000),
      limit: z.coerce.number().int().min(1).max(100).optional(),
    }),
  },
  responses: {
    200: responses.json(
      z.object({
        results: z.array(
          z.object({
            id: z.string(),
            score: z.number(),
            confidence: z.number(),
            skill: SkillSchema,
          }),
        ),
      }),
      'Matches, best first',
    ),
    ...commonErrors,
  },
})

const getSkill = createRoute({
  method: 'get',
  path: '/v1/skills/{namespace}/{name}',
  tags: ['skills'],
  summary: 'One skill (`finance/convert-currency`): manifest summary and versions',
  security: bearer,
  request: {
    params: z.object({
      namespace: segment.openapi({ param: { name: 'namespace', in: 'path' }, example: 'finance' }),
      name: segment.openapi({ param: { name: 'name', in: 'path' }, example: 'convert-currency' }),
    }),
  },
  responses: {
    200: responses.json(
      z.object({ skill: SkillSchema, versions: z.array(z.string()) }),
      'The newest version, and every installed version',
    ),
    ...commonErrors,
  },
})

const routeRequest = createRoute({
  method: 'post',
  path: '/v1/route',
  tags: ['skills'],
  summary: 'Routing only: which skill a request would run, with the candidates',
  security: bearer,
  request: {
    body: { content: { 'application/json': { schema: RouteRequestSchema } }, required: true },
  },
  responses: {
    200: responses.json(
      z.object({
        skill: z.string().nullable(),
        confidence: z.number(),
        candidates: z.array(z.record(z.string(), z.unknown())),
      }),
      'The chosen skill (null: none is close enough), and the candidates',
    ),
    ...commonErrors,
  },
})

function summary(skill: LoadedSkill): z.infer<typeof SkillSchema> {
  const m = skill.manifest
  return wire({
    id: skill.id,
    version: skill.version,
    name: m.name,
    description: m.description,
    tags: [...m.tags],
    risk: m.risk,
    sideEffects: m.sideEffects,
    input: m.input,
    examples: [...(m.examples ?? [])],
    ...(skill.deprecated ? { deprecated: { message: skill.deprecated.message } } : {}),
  })
}

export function registerSkillRoutes(app: ApiApp, deps: RouteDeps): void {
  const { os } = deps

  const current = (id: string): LoadedSkill | undefined => {
    const [version] = os.loader.versions(id)
    return version ? os.loader.get(id, version) : undefined
  }

  app.openapi(listSkills, (c) => {
    const tag = c.req.valid('query').tag
    const skills = [...new Set(os.loader.list().map((s) => s.id))]
      .sort()
      .map((id) => current(id))
      .filter((s): s is LoadedSkill => s !== undefined)
      .filter((s) => !tag || s.manifest.tags.includes(tag))
    return c.json({ skills: skills.map(summary) }, 200)
  })

  app.openapi(searchSkills, async (c) => {
    const { tenant } = c.get('identity')
    const { q, limit } = c.req.valid('query')
    const matches = await os.index.search(q, { limit: limit ?? 10, filters: { tenant } })
    const results = matches.flatMap((match) => {
      const skill = current(match.id)
      return skill
        ? [
            {
              id: match.id,
              score: match.score,
              confidence: match.confidence,
              skill: summary(skill),
            },
          ]
        : []
    })
    return c.json({ results }, 200)
  })

  app.openapi(getSkill, (c) => {
    const { namespace, name } = c.req.valid('param')
    const id = `${namespace}/${name}`
    const skill = current(id)
    if (!skill) throw apiError('SKILL_NOT_FOUND', `Skill ${id} not found`)
    return c.json({ skill: summary(skill), versions: os.loader.versions(id) }, 200)
  })

  app.openapi(routeRequest, async (c) => {
    const { tenant } = c.get('identity')
    const routed = await os.route(c.req.valid('json').input, { tenant })
    return c.json(
      wire<{ skill: string | null; confidence: number; candidates: Record<string, unknown>[] }>(
        routed,
      ),
      200,
    )
  })
}
