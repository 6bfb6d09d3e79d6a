import type { SkillProblem } from './problems.js'
import semver from 'semver'
import { pickVersion, sortVersionsDescending, type Versioned } from './versions.js'

/** What dependency resolution needs of a skill. */
export interface DependencyNode extends Versioned {
  id: string
  /** `{ "finance/exchange-rates": "^1.2.0" }` */
  dependencies: Readonly<Record<string, string>>
}

export interface DependencyResolution<T extends DependencyNode> {
  /** Skills whose whole dependency tree resolved, each with the version picked for every dependency. */
  resolved: Map<T, Record<string, string>>
  /** Skills that cannot run, with why (missing, no matching version, a cycle, a failed dependency). */
  failed: Map<T, SkillProblem[]>
}

const key = (node: DependencyNode) => `${node.id}@${node.version}`

/**
 * Resolve every skill's dependencies against the installed set, side-by-side versions allowed: each
 * dependency gets the highest installed version matching its range (non-deprecated first) that
 * itself resolves. A skill whose dependency is missing, matches no installed version, failed, or
 * lies on a cycle fails too, and the reason names the dependency, the range and what is installed.
 *
 * @param place fills the file / line / field of a problem about `node`'s dependency `id`.
 */
export function resolveDependencies<T extends DependencyNode>(
  nodes: readonly T[],
  place: (node: T, dependency: string) => Omit<SkillProblem, 'code' | 'message'>,
): DependencyResolution<T> {
  const byId = new Map<string, T[]>()
  for (const node of nodes) {
    const list = byId.get(node.id) ?? []
    list.push(node)
    byId.set(node.id, list)
  }
  const failed = new Map<T, SkillProblem[]>()
  const fail = (node: T, problem: SkillProblem) => {
    const list = failed.get(node) ?? []
    list.push(problem)
    failed.set(node, list)
  }

  // 1. What no choice of versions can fix: a dependency that is not installed or matches nothing.
  for (const node of nodes) {
    for (const [id, range] of Object.entries(node.dependencies)) {
      const installed = byId.get(id) ?? []
      if (installed.length === 0) {
        fail(node, {
          code: 'DEPENDENCY_MISSING',
          ...place(node, id),
          message: `depends on "${id}" ${range}, which is not installed`,
        })
      } else if (semver.validRange(range) === null) {
        fail(node, {
          code: 'DEPENDENCY_CONFLICT',
          ...place(node, id),
          message: `"${range}" is not a semver range`,
        })
      } else if (!pickVersion(installed, range)) {
        const versions = sortVersionsDescending(installed).map((n) => n.version)
        fail(node, {
          code: 'DEPENDENCY_CONFLICT',
          ...place(node, id),
          message: `depends on "${id}" ${range}, but the installed versions are ${versions.join(', ')}`,
        })
      }
    }
  }

  // 2. Pick among healthy versions only, until nothing changes: a skill whose range no longer finds
  //    a healthy version fails. 3. Every skill on a cycle of picks fails; then pick again.
  let picks = pickHealthy(nodes, byId, failed, fail, place)
  while (failCycles(picks, failed, fail, place))
    picks = pickHealthy(nodes, byId, failed, fail, place)

  const resolved = new Map<T, Record<string, string>>()
  for (const [node, chosen] of picks) {
    resolved.set(node, Object.fromEntries([...chosen].map(([id, n]) => [id, n.version])))
  }
  return { resolved, failed }
}

type Fail<T> = (node: T, problem: SkillProblem) => void
type Place<T> = (node: T, dependency: string) => Omit<SkillProblem, 'code' | 'message'>

function pickHealthy<T extends DependencyNode>(
  nodes: readonly T[],
  byId: Map<string, T[]>,
  failed: Map<T, SkillProblem[]>,
  fail: Fail<T>,
  place: Place<T>,
): Map<T, Map<string, T>> {
  let picks = new Map<T, Map<string, T>>()
  let changed = true
  while (changed) {
    changed = false
    picks = new Map()
    for (const node of nodes) {
      if (failed.has(node)) continue
      const chosen = new Map<string, T>()
      for (const [id, range] of Object.entries(node.dependencies)) {
        const healthy = (byId.get(id) ?? []).filter((n) => !failed.has(n))
        const pick = pickVersion(healthy, range)
        if (pick) {
          chosen.set(id, pick)
          continue
        }
        const broken = pickVersion(byId.get(id) ?? [], range)
        fail(node, {
          code: 'DEPENDENCY_FAILED',
          ...place(node, id),
          message: `depends on "${id}" ${range}; the matching version ${broken?.version ?? '?'} cannot load`,
        })
        changed = true
        break
      }
      if (!failed.has(node)) picks.set(node, chosen)
    }
  }
  return picks
}

/** Fail every skill on a cycle of picks; true when any failed. */
function failCycles<T extends DependencyNode>(
  picks: Map<T, Map<string, T>>,
  failed: Map<T, SkillProblem[]>,
  fail: Fail<T>,
  place: Place<T>,
): boolean {
  const state = new Map<T, 'visiting' | 'done'>()
  const stack: T[] = []
  let found = false
  const visit = (node: T) => {
    state.set(node, 'visiting')
    stack.push(node)
    for (const next of picks.get(node)?.values() ?? []) {
      if (state.get(next) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(next))
        const path = [...cycle, next].map(key).join(' → ')
        cycle.forEach((member, i) => {
          if (failed.has(member)) return
          const to = cycle[(i + 1) % cycle.length] ?? next
          fail(member, {
            code: 'DEPENDENCY_CYCLE',
            ...place(member, to.id),
            message: `dependency cycle: ${path}`,
          })
          found = true
        })
      } else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(node, 'done')
  }
  for (const node of picks.keys()) if (!state.has(node)) visit(node)
  return found
}
