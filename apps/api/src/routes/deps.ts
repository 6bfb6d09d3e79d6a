import type { Config } from '@skillos/contracts'
import type { RunQueue, SkillOS } from '@skillos/core'

export interface RouteDeps {
  os: SkillOS
  config: Config['api']
  queue?: RunQueue
  now: () => number
}

/**
 * A value typed as it goes over the wire: `c.json` serialises it, turning dates into ISO strings and
 * dropping `undefined` members, so no copy is made here (a run's trace is serialised once).
 */
export function wire<T>(value: unknown): T {
  return value as T
}

export const bearer = [{ bearer: [] }]
