import type { RiskLevel, SideEffectClass } from '@skillos/contracts'
import { matchesIn } from '../extract/regex.js'

/** Parts of a request that look like separate asks, and how they relate. */
export interface IntentSplit {
  parts: string[]
  /** `sequence`: "…, then …" (each feeds the next); `independent`: "… and …". */
  relation: 'single' | 'independent' | 'sequence'
}

// `\b` is ASCII-only in JS regular expressions: Russian words are bounded by spaces instead.
const SEQUENCE =
  /\s*(?:;?\s*(?:\band\s+)?\bthen\b|,?\s+(?:[аи]\s+)?(?:затем|потом|после\s+этого)(?=\s|$))[,\s]*/iu
const INDEPENDENT =
  /\s*(?:;|\band also\b|\bas well as\b|\band\b|,?\s+а\s+также(?=\s)|\s+и(?=\s))[,\s]*/iu

/**
 * Split a request into the asks it contains. Only a split whose every part is long enough to be a
 * request on its own counts; the plan step keeps it only when each part routes to a skill.
 */
export function splitIntents(text: string): IntentSplit {
  const sequence = text.split(SEQUENCE).map(tidy).filter(Boolean)
  if (sequence.length > 1 && sequence.every(isRequestLike))
    return { parts: sequence, relation: 'sequence' }
  const independent = text.split(INDEPENDENT).map(tidy).filter(Boolean)
  if (independent.length > 1 && independent.every(isRequestLike))
    return { parts: independent, relation: 'independent' }
  return { parts: [text.trim()], relation: 'single' }
}

const tidy = (part: string) => part.replace(/^[\s,;.]+|[\s,;.]+$/gu, '')

/**
 * An ask has at least two words and at least one that is not capitalised: "rate of USD" and
 * "pay invoice 99" are asks, "St Petersburg" or "Нижний Новгород" in a list of cities is a name.
 */
function isRequestLike(part: string): boolean {
  const words = part.split(/\s+/u).filter((w) => /\p{L}/u.test(w))
  return words.length >= 2 && words.some((w) => /^[^\p{L}]*\p{Ll}/u.test(w))
}

export interface Analysis {
  /** 0–1: how many asks, how long, how many dependencies and parameters. */
  complexity: number
  /** 0–1: the candidates' declared risk and side effects, money, outside communication. */
  risk: number
  /** Human-readable reasons, in the trace. */
  factors: string[]
}

const RISK_SCORE: Record<RiskLevel, number> = { low: 0.1, medium: 0.4, high: 0.7, critical: 1 }
const EFFECT_SCORE: Record<SideEffectClass, number> = {
  read: 0,
  write: 0.3,
  'external-communication': 0.6,
  payment: 0.8,
}
const MONEY =
  /(\d[\d\s.,]*)\s*(?:k|к|тыс\.?|млн|million|m)?\s*(?:\$|€|₽|¥|£|usd|eur|rub|руб|cny|долл|евро|юан)/giu
const OUTWARD =
  /\b(?:send|email|e-mail|mail|post|publish|pay|transfer|wire|order|book|отправ|напиш|оплат|перевед|закаж|заброниру|опубликуй)\w*/iu

/**
 * Score a request before running it, with the reasons. Candidates are the skills it may run (their
 * declared risk and side effects).
 *
 * @example
 * ```ts
 * analyzeRequest('pay invoice 42 for 12 000 EUR', [{ id: 'finance/pay-invoice', risk: 'high', sideEffects: 'payment', dependencies: 0 }])
 * // { complexity: 0.1…, risk: 0.8, factors: ['finance/pay-invoice declares risk high', 'side effects: payment', 'money amount: 12 000 EUR', …] }
 * ```
 */
export function analyzeRequest(
  text: string,
  candidates: readonly {
    id: string
    risk: RiskLevel
    sideEffects: SideEffectClass
    dependencies: number
    requiredInputs?: number
  }[],
  split: IntentSplit = splitIntents(text),
): Analysis {
  const factors: string[] = []
  const intents = split.parts.length
  if (intents > 1) factors.push(`${intents} asks (${split.relation})`)
  const words = text.split(/\s+/u).filter(Boolean).length
  const dependencies = Math.max(0, ...candidates.map((c) => c.dependencies))
  const inputs = Math.max(0, ...candidates.map((c) => c.requiredInputs ?? 0))
  if (dependencies > 0) factors.push(`depends on ${dependencies} other skill(s)`)
  const complexity = clamp(
    0.1 +
      0.25 * (intents - 1) +
      Math.min(0.2, words / 500) +
      0.1 * Math.min(3, dependencies) +
      0.03 * Math.min(5, inputs),
  )

  let risk = 0
  for (const candidate of candidates) {
    const declared = RISK_SCORE[candidate.risk]
    const effect = EFFECT_SCORE[candidate.sideEffects]
    if (declared >= risk) risk = declared
    if (effect > risk) risk = effect
    factors.push(
      `${candidate.id} declares risk ${candidate.risk}, side effects ${candidate.sideEffects}`,
    )
  }
  const amounts = matchesIn(text, MONEY).map((m) => m[0].trim())
  if (amounts.length > 0) {
    factors.push(`money mentioned: ${amounts.slice(0, 3).join(', ')}`)
    risk = Math.max(risk, 0.3)
  }
  if (OUTWARD.test(text)) {
    factors.push('asks to send, pay, order or publish something')
    risk = Math.max(risk, 0.4)
  }
  return { complexity: round(complexity), risk: round(clamp(risk)), factors }
}

/** The run's risk as a level, for approval thresholds. */
export function riskLevelOf(score: number): RiskLevel {
  if (score >= 0.95) return 'critical'
  if (score >= 0.7) return 'high'
  if (score >= 0.4) return 'medium'
  return 'low'
}

const clamp = (n: number) => Math.min(1, Math.max(0, n))
const round = (n: number) => Math.round(n * 1000) / 1000
