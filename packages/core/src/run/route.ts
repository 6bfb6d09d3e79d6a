import { SkillOSError } from '@skillos/contracts'
import type { SkillIndex, SkillMatch } from '@skillos/recommender'
import type { LoadedSkill, SkillLoader } from '@skillos/registry'
import type { EmitEvent } from './events.js'

export interface Routed {
  skill: LoadedSkill
  confidence: number
  candidates: { id: string; score: number; confidence?: number }[]
}

export type RouteOutcome =
  { kind: 'routed'; routed: Routed } | { kind: 'no_match'; candidates: Routed['candidates'] }

const toCandidate = (m: SkillMatch) => ({
  id: m.id,
  score: round(m.score),
  confidence: round(m.confidence),
})
const round = (n: number) => Math.round(n * 1000) / 1000

/**
 * Step 3: the skill for a request. An explicit `id@range` bypasses routing; otherwise the skill index
 * picks the best match above its calibrated threshold, or nothing (never a guess).
 */
export async function routeRequest(
  text: string,
  options: {
    skill?: string
    tenant: string
    index: SkillIndex
    loader: SkillLoader
    emit: EmitEvent
  },
): Promise<RouteOutcome> {
  if (options.skill) {
    const { skill, deprecation } = options.loader.resolve(options.skill)
    options.emit({
      type: 'skill.routed',
      skill: skill.id,
      version: skill.version,
      confidence: 1,
      candidates: [],
    })
    if (deprecation) emitDeprecated(skill, deprecation, options.emit)
    return { kind: 'routed', routed: { skill, confidence: 1, candidates: [] } }
  }
  const route = await options.index.route(text, { filters: { tenant: options.tenant } })
  const candidates = route.candidates.slice(0, 5).map(toCandidate)
  if (!route.skill) {
    options.emit({ type: 'skill.no_match', candidates })
    return { kind: 'no_match', candidates }
  }
  let resolved
  try {
    resolved = options.loader.resolve(route.skill)
  } catch (error) {
    // The index knows a skill the loader no longer serves (removed a moment ago): no match.
    if (SkillOSError.is(error, 'SKILL_NOT_FOUND')) {
      options.emit({ type: 'skill.no_match', candidates })
      return { kind: 'no_match', candidates }
    }
    throw error
  }
  const { skill, deprecation } = resolved
  options.emit({
    type: 'skill.routed',
    skill: skill.id,
    version: skill.version,
    confidence: round(route.confidence),
    candidates,
  })
  if (deprecation) emitDeprecated(skill, deprecation, options.emit)
  return { kind: 'routed', routed: { skill, confidence: round(route.confidence), candidates } }
}

function emitDeprecated(
  skill: LoadedSkill,
  deprecation: { message: string; replacement?: string },
  emit: EmitEvent,
): void {
  emit({
    type: 'skill.deprecated',
    skill: skill.id,
    version: skill.version,
    message: deprecation.message,
    ...(deprecation.replacement ? { replacement: deprecation.replacement } : {}),
  })
}
