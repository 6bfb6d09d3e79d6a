import type { Config } from '@skillos/contracts'
import type { RunQueue, SkillOS } from '@skillos/core'

export interface RouteDeps {
  os: SkillOS
  config: Config['api']
  queue?: RunQueue
  now: () => number
}

/** A value as it goes over the wire (dates as ISO strings). */
export function wire<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T
}

export const bearer = [{ bearer: [] }]
