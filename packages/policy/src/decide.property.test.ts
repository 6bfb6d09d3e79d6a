// `decide` against a reference evaluator written here from the rules in docs/decisions/006-policy.md,
// with plain loops and no code shared with the engine: random policies are rendered to YAML text
// (so the engine's parser is under test too), the reference reads the generated structure directly.
// CIDR membership in the reference uses node:net's BlockList (the engine uses ipaddr.js), and local
// time uses fixed zone offsets (the engine uses Intl).
import { BlockList, isIPv4, isIPv6 } from 'node:net'
import fc from 'fast-check'
import { stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
import { compilePolicy } from './compile-policy.js'

// ─── The generated model ──────────────────────────────────────────────────────────────────────────

const RISKS = ['low', 'medium', 'high', 'critical'] as const
const SIDE_EFFECTS = ['read', 'write', 'external-communication', 'payment'] as const
const ACTIONS = [
  'skill:run',
  'skill:publish',
  'skill:install',
  'tool:call',
  'approval:decide',
  'budget:manage',
  'audit:read',
] as const
const ACTION_PATTERNS = [...ACTIONS, 'skill:*', 'tool:*', '*'] as const
const ROLE_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4'] as const
const TENANTS = ['t0', 't1'] as const
const RESOURCE_IDS = ['fin/report', 'fin/pay', 'res/search', 'ops/deploy', 'web.search'] as const
const RESOURCE_PATTERNS = ['fin/*', 'res/search', '*', 'web.*', 'ops/deploy', '*/pay'] as const
const DEPARTMENTS = ['finance', 'research', 'ops'] as const
const TAGS = ['internal', 'pii', 'beta'] as const
const CHANNELS = ['web', 'api', 'cli'] as const
const CIDRS = [
  '10.0.0.0/8',
  '192.168.1.0/24',
  '172.16.0.0/12',
  '192.168.1.77/32',
  '2001:db8::/32',
  'fd00::/8',
] as const
const IPS = [
  '10.0.0.1',
  '10.255.255.255',
  '11.0.0.0',
  '192.168.1.77',
  '192.168.1.78',
  '192.168.2.1',
  '172.16.5.4',
  '172.32.0.1',
  '2001:db8::1',
  '2001:db9::1',
  'fd12::3',
  'not-an-ip',
] as const
/** Zones whose offset has not changed in 2015–2035, so the reference can use a constant. */
const ZONES = { UTC: 0, 'Europe/Moscow': 180, 'Asia/Kolkata': 330, 'Asia/Tokyo': 540 } as const
type Zone = keyof typeof ZONES
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const
const OBLIGATIONS = ['require_approval', 'redact_output'] as const
const NOW = Date.UTC(2026, 4, 13, 9, 30) // Wednesday
type Op = '<' | '<=' | '>' | '>='

type Cond =
  | { kind: 'riskIn'; levels: string[] }
  | { kind: 'riskCmp'; op: Op; level: string }
  | { kind: 'sideEffects'; negate: boolean; value: string }
  | { kind: 'deptOwner'; negate: boolean }
  | { kind: 'dept'; value: string }
  | { kind: 'tags'; tag: string }
  | { kind: 'tagsAny'; tags: string[] }
  | { kind: 'domain'; domains: string[] }
  | { kind: 'level'; op: Op; n: number }
  | { kind: 'roles'; role: string }
  | { kind: 'channel'; channels: string[] }
  | {
      kind: 'time'
      start: number
      end: number
      days: { from: number; to: number }[] | null
      zone: Zone
      showZone: boolean
    }
  | { kind: 'cidr'; ranges: string[] }
  | { kind: 'not'; inner: Cond }
  | { kind: 'and' | 'or'; parts: [Cond, Cond] }

interface GenRule {
  effect: 'allow' | 'deny'
  actions: string[]
  roles?: string[]
  resources?: string[]
  when?: Cond[]
  obligations?: string[]
}

interface GenDocument {
  tenant?: string
  rules: GenRule[]
}

interface GenPolicy {
  roles: { name: string; inherits: string[] }[]
  documents: GenDocument[]
}

interface GenRequest {
  principal: {
    id: string
    tenant: string
    roles: string[]
    attributes: { department?: unknown; level?: unknown }
  }
  action: string
  resource: {
    id: string
    tenant: string
    risk?: string
    sideEffects?: string
    tags?: string[]
    attributes: { owner?: string }
  }
  context: { time?: string | number | Date; ip?: string; channel?: string }
}

// ─── Arbitraries ─────────────────────────────────────────────────────────────────────────────────

const op = fc.constantFrom<Op>('<', '<=', '>', '>=')
const someOf = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 1 })

const atom: fc.Arbitrary<Cond> = fc.oneof(
  fc.record({ kind: fc.constant('riskIn' as const), levels: someOf(RISKS) }),
  fc.record({ kind: fc.constant('riskCmp' as const), op, level: fc.constantFrom(...RISKS) }),
  fc.record({
    kind: fc.constant('sideEffects' as const),
    negate: fc.boolean(),
    value: fc.constantFrom(...SIDE_EFFECTS),
  }),
  fc.record({ kind: fc.constant('deptOwner' as const), negate: fc.boolean() }),
  fc.record({ kind: fc.constant('dept' as const), value: fc.constantFrom(...DEPARTMENTS) }),
  fc.record({ kind: fc.constant('tags' as const), tag: fc.constantFrom(...TAGS) }),
  fc.record({ kind: fc.constant('tagsAny' as const), tags: someOf(TAGS) }),
  fc.record({ kind: fc.constant('domain' as const), domains: someOf(['fin', 'res', 'ops']) }),
  fc.record({ kind: fc.constant('level' as const), op, n: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('roles' as const), role: fc.constantFrom(...ROLE_NAMES) }),
  fc.record({ kind: fc.constant('channel' as const), channels: someOf(CHANNELS) }),
  fc
    .record({
      kind: fc.constant('time' as const),
      start: fc.integer({ min: 0, max: 1439 }),
      end: fc.integer({ min: 1, max: 1440 }),
      days: fc.option(
        fc.array(
          fc.record({ from: fc.integer({ min: 0, max: 6 }), to: fc.integer({ min: 0, max: 6 }) }),
          { minLength: 1, maxLength: 2 },
        ),
        { nil: null },
      ),
      zone: fc.constantFrom(...(Object.keys(ZONES) as Zone[])),
      showZone: fc.boolean(),
    })
    .filter((c) => c.start !== c.end)
    .map((c) => (c.showZone ? c : { ...c, zone: 'UTC' as const })),
  fc.record({ kind: fc.constant('cidr' as const), ranges: someOf(CIDRS) }),
)

const condition: fc.Arbitrary<Cond> = fc.letrec<{ cond: Cond }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: atom, weight: 6 },
    { arbitrary: fc.record({ kind: fc.constant('not' as const), inner: tie('cond') }), weight: 1 },
    {
      arbitrary: fc.record({
        kind: fc.constantFrom('and' as const, 'or' as const),
        parts: fc.tuple(tie('cond'), tie('cond')),
      }),
      weight: 1,
    },
  ),
})).cond

const ruleArb = (roleNames: string[]): fc.Arbitrary<GenRule> =>
  fc
    .record(
      {
        effect: fc.constantFrom('allow' as const, 'deny' as const),
        actions: someOf(ACTION_PATTERNS),
        roles: roleNames.length > 0 ? someOf(roleNames) : fc.constant(undefined),
        resources: someOf(RESOURCE_PATTERNS),
        when: fc.array(condition, { minLength: 1, maxLength: 3 }),
        obligations: fc.subarray([...OBLIGATIONS]),
      },
      { requiredKeys: ['effect', 'actions'] },
    )
    .map((rule) => {
      const clean: GenRule = { effect: rule.effect, actions: rule.actions }
      if (rule.roles) clean.roles = rule.roles
      if (rule.resources) clean.resources = rule.resources
      if (rule.when) clean.when = rule.when
      if (rule.effect === 'allow' && rule.obligations && rule.obligations.length > 0)
        clean.obligations = rule.obligations
      return clean
    })

const policyArb: fc.Arbitrary<GenPolicy> = fc
  .integer({ min: 0, max: ROLE_NAMES.length })
  .chain((roleCount) => {
    const names = ROLE_NAMES.slice(0, roleCount)
    // A role inherits only roles defined before it, so the graph has no cycles.
    const roles = fc.tuple(
      ...names.map((name, i) =>
        fc.subarray(names.slice(0, i)).map((inherits) => ({ name, inherits })),
      ),
    )
    const documents = fc.array(
      fc.record(
        {
          tenant: fc.constantFrom(...TENANTS),
          rules: fc.array(ruleArb([...names]), { maxLength: 8 }),
        },
        { requiredKeys: ['rules'] },
      ),
      { minLength: 1, maxLength: 3 },
    )
    return fc.record({ roles, documents })
  })

const timeArb = fc.oneof(
  fc.constant(undefined),
  fc
    .integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2035, 0, 1) })
    .chain((ms) =>
      fc.constantFrom<string | number | Date>(ms, new Date(ms), new Date(ms).toISOString()),
    ),
  fc.constant('soon'),
)

const requestArb: fc.Arbitrary<GenRequest> = fc
  .record({
    principalTenant: fc.constantFrom(...TENANTS),
    sameTenant: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
    roles: fc.subarray([...ROLE_NAMES, 'ghost']),
    department: fc.option(fc.constantFrom<unknown>(...DEPARTMENTS, 7), { nil: undefined }),
    level: fc.option(fc.constantFrom<unknown>(0, 1, 2, 3, 4, 5, '3', 2.5), { nil: undefined }),
    action: fc.constantFrom<string>(...ACTIONS, 'skill:fly'),
    resourceId: fc.constantFrom(...RESOURCE_IDS),
    risk: fc.option(fc.constantFrom(...RISKS), { nil: undefined }),
    sideEffects: fc.option(fc.constantFrom(...SIDE_EFFECTS), { nil: undefined }),
    tags: fc.option(fc.subarray([...TAGS]), { nil: undefined }),
    owner: fc.option(fc.constantFrom(...DEPARTMENTS), { nil: undefined }),
    time: timeArb,
    ip: fc.option(fc.constantFrom(...IPS), { nil: undefined }),
    channel: fc.option(fc.constantFrom(...CHANNELS), { nil: undefined }),
  })
  .map((r) => {
    const request: GenRequest = {
      principal: {
        id: 'p',
        tenant: r.principalTenant,
        roles: r.roles,
        attributes: {},
      },
      action: r.action,
      resource: {
        id: r.resourceId,
        tenant: r.sameTenant ? r.principalTenant : r.principalTenant === 't0' ? 't1' : 't0',
        attributes: {},
      },
      context: {},
    }
    if (r.department !== undefined) request.principal.attributes.department = r.department
    if (r.level !== undefined) request.principal.attributes.level = r.level
    if (r.risk !== undefined) request.resource.risk = r.risk
    if (r.sideEffects !== undefined) request.resource.sideEffects = r.sideEffects
    if (r.tags !== undefined) request.resource.tags = r.tags
    if (r.owner !== undefined) request.resource.attributes.owner = r.owner
    if (r.time !== undefined) request.context.time = r.time
    if (r.ip !== undefined) request.context.ip = r.ip
    if (r.channel !== undefined) request.context.channel = r.channel
    return request
  })

// ─── Rendering to YAML (minimal parentheses, so precedence is exercised) ─────────────────────────

const PRECEDENCE = { or: 1, and: 2, not: 3 } as const
function precedence(cond: Cond): number {
  return cond.kind === 'or' || cond.kind === 'and' || cond.kind === 'not'
    ? PRECEDENCE[cond.kind]
    : 4
}

function render(cond: Cond): string {
  const child = (inner: Cond, min: number) =>
    precedence(inner) < min ? `(${render(inner)})` : render(inner)
  switch (cond.kind) {
    case 'riskIn':
      return `resource.risk in [${cond.levels.join(', ')}]`
    case 'riskCmp':
      return `resource.risk ${cond.op} ${cond.level}`
    case 'sideEffects':
      return `resource.sideEffects ${cond.negate ? '!=' : '=='} ${cond.value}`
    case 'deptOwner':
      return `principal.department ${cond.negate ? '!=' : '=='} resource.owner`
    case 'dept':
      return `principal.department == ${cond.value}`
    case 'tags':
      return `resource.tags contains ${cond.tag}`
    case 'tagsAny':
      return `resource.tags in [${cond.tags.join(', ')}]`
    case 'domain':
      return `resource.domain in [${cond.domains.join(',')}]`
    case 'level':
      return `principal.level ${cond.op} ${cond.n}`
    case 'roles':
      return `principal.roles contains ${cond.role}`
    case 'channel':
      return `context.channel in ["${cond.channels.join('", "')}"]`
    case 'time': {
      const hhmm = (m: number) =>
        `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
      const days = cond.days
        ? ` ${cond.days.map((d) => (d.from === d.to ? DAY_NAMES[d.from] : `${DAY_NAMES[d.from]}-${DAY_NAMES[d.to]}`)).join(',')}`
        : ''
      return `context.time within ${hhmm(cond.start)}-${hhmm(cond.end)}${days}${cond.showZone ? ` ${cond.zone}` : ''}`
    }
    case 'cidr':
      return `context.ip in cidr [${cond.ranges.join(', ')}]`
    case 'not':
      return `not ${child(cond.inner, 3)}`
    case 'and':
    case 'or': {
      const min = PRECEDENCE[cond.kind]
      return `${child(cond.parts[0], min)} ${cond.kind} ${child(cond.parts[1], min + 1)}`
    }
  }
}

function toSources(policy: GenPolicy): { path: string; text: string }[] {
  return policy.documents.map((document, d) => {
    const data: Record<string, unknown> = { version: 1 }
    if (d === 0) {
      data.attributes = { principal: ['department', 'level'], resource: ['owner'] }
      data.roles = Object.fromEntries(
        policy.roles.map((role) => [
          role.name,
          role.inherits.length ? { inherits: role.inherits } : {},
        ]),
      )
    }
    if (document.tenant !== undefined) data.tenant = document.tenant
    data.rules = document.rules.map((rule, r) => ({
      id: `d${d}-r${r}`,
      ...rule,
      ...(rule.when ? { when: rule.when.map(render) } : {}),
    }))
    return { path: `gen-${d}.yaml`, text: stringify(data) }
  })
}

// ─── The reference evaluator ─────────────────────────────────────────────────────────────────────

function actionMatches(pattern: string, action: string): boolean {
  // Rules name only known actions, so an unknown action matches no pattern, not even "*".
  if (!known(action)) return false
  if (pattern === '*') return true
  if (pattern.endsWith(':*')) return action.split(':')[0] === pattern.split(':')[0]
  return pattern === action
}

/** `*` matches any run of characters: a small backtracking matcher. */
function globMatches(pattern: string, text: string): boolean {
  if (pattern === '') return text === ''
  if (pattern[0] === '*') {
    for (let i = 0; i <= text.length; i++)
      if (globMatches(pattern.slice(1), text.slice(i))) return true
    return false
  }
  return text.length > 0 && pattern[0] === text[0] && globMatches(pattern.slice(1), text.slice(1))
}

function effectiveRoles(policy: GenPolicy, held: string[]): string[] {
  const result: string[] = []
  const queue = [...held]
  while (queue.length > 0) {
    const role = queue.shift()!
    if (result.includes(role)) continue
    result.push(role)
    const defined = policy.roles.find((r) => r.name === role)
    if (defined) queue.push(...defined.inherits)
  }
  return result
}

function compareNumbers(a: number, o: Op, b: number): boolean {
  if (o === '<') return a < b
  if (o === '<=') return a <= b
  if (o === '>') return a > b
  return a >= b
}

function requestTime(request: GenRequest): number {
  const time = request.context.time
  if (time === undefined) return NOW
  if (time instanceof Date) return time.getTime()
  if (typeof time === 'number') return time
  return Date.parse(String(time))
}

function holds(cond: Cond, request: GenRequest, roles: string[]): boolean {
  const { principal, resource, context } = request
  switch (cond.kind) {
    case 'riskIn':
      return resource.risk !== undefined && cond.levels.includes(resource.risk)
    case 'riskCmp':
      return (
        resource.risk !== undefined &&
        compareNumbers(
          RISKS.indexOf(resource.risk as never),
          cond.op,
          RISKS.indexOf(cond.level as never),
        )
      )
    case 'sideEffects':
      if (resource.sideEffects === undefined) return false
      return cond.negate ? resource.sideEffects !== cond.value : resource.sideEffects === cond.value
    case 'deptOwner': {
      const a = principal.attributes.department
      const b = resource.attributes.owner
      if (a === undefined || b === undefined) return false
      return cond.negate ? a !== b : a === b
    }
    case 'dept':
      return principal.attributes.department === cond.value
    case 'tags':
      return resource.tags !== undefined && resource.tags.includes(cond.tag)
    case 'tagsAny':
      return resource.tags !== undefined && resource.tags.some((tag) => cond.tags.includes(tag))
    case 'domain': {
      if (!resource.id.includes('/')) return false
      return cond.domains.includes(resource.id.split('/')[0]!)
    }
    case 'level': {
      const level = principal.attributes.level
      return typeof level === 'number' && compareNumbers(level, cond.op, cond.n)
    }
    case 'roles':
      return roles.includes(cond.role)
    case 'channel':
      return context.channel !== undefined && cond.channels.includes(context.channel)
    case 'time': {
      const time = requestTime(request)
      if (Number.isNaN(time)) return false
      const local = new Date(time + ZONES[cond.zone] * 60_000)
      const weekday = local.getUTCDay()
      const minute = local.getUTCHours() * 60 + local.getUTCMinutes()
      if (cond.days) {
        const days: number[] = []
        for (const { from, to } of cond.days) {
          let day = from
          days.push(day)
          while (day !== to) {
            day = (day + 1) % 7
            days.push(day)
          }
        }
        if (!days.includes(weekday)) return false
      }
      if (cond.start < cond.end) return minute >= cond.start && minute < cond.end
      return minute >= cond.start || minute < cond.end
    }
    case 'cidr': {
      const ip = context.ip
      if (ip === undefined) return false
      const type = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : undefined
      if (type === undefined) return false
      const list = new BlockList()
      for (const range of cond.ranges) {
        const [network, bits] = range.split('/') as [string, string]
        if (isIPv4(network)) list.addSubnet(network, Number(bits), 'ipv4')
        else list.addSubnet(network, Number(bits), 'ipv6')
      }
      return list.check(ip, type)
    }
    case 'not':
      return !holds(cond.inner, request, roles)
    case 'and':
      return holds(cond.parts[0], request, roles) && holds(cond.parts[1], request, roles)
    case 'or':
      return holds(cond.parts[0], request, roles) || holds(cond.parts[1], request, roles)
  }
}

interface ReferenceDecision {
  allowed: boolean
  reason: string
  ruleIds: string[]
  obligations: string[]
}

function referenceDecide(policy: GenPolicy, request: GenRequest): ReferenceDecision {
  if (request.principal.tenant !== request.resource.tenant) {
    return { allowed: false, reason: 'tenant-boundary', ruleIds: [], obligations: [] }
  }
  const roles = effectiveRoles(policy, request.principal.roles)
  const denies: string[] = []
  const allows: string[] = []
  const obligations: string[] = []
  // Deny rules first, then allow rules, each in file order: the order ruleIds are reported in.
  for (const effect of ['deny', 'allow'] as const) {
    policy.documents.forEach((document, d) => {
      if (document.tenant !== undefined && document.tenant !== request.principal.tenant) return
      document.rules.forEach((rule, r) => {
        if (rule.effect !== effect) return
        if (!rule.actions.some((pattern) => actionMatches(pattern, request.action))) return
        if (rule.roles && !rule.roles.some((role) => roles.includes(role))) return
        if (rule.resources && !rule.resources.some((p) => globMatches(p, request.resource.id)))
          return
        if (rule.when && !rule.when.every((cond) => holds(cond, request, roles))) return
        if (effect === 'deny') {
          denies.push(`d${d}-r${r}`)
        } else {
          allows.push(`d${d}-r${r}`)
          for (const obligation of rule.obligations ?? []) {
            if (!obligations.includes(obligation)) obligations.push(obligation)
          }
        }
      })
    })
  }
  if (denies.length > 0)
    return { allowed: false, reason: 'denied-by-rule', ruleIds: denies, obligations: [] }
  if (allows.length > 0)
    return { allowed: true, reason: 'allowed-by-rule', ruleIds: allows, obligations }
  return { allowed: false, reason: 'no-allowing-rule', ruleIds: [], obligations: [] }
}

// ─── The properties ──────────────────────────────────────────────────────────────────────────────

const REQUESTS_PER_POLICY = 100
const POLICIES = 1_000

function decideAll(policy: GenPolicy, requests: GenRequest[]) {
  const compiled = compilePolicy(toSources(policy), { now: () => NOW })
  return requests.map((request) => {
    const decision = compiled.decide(
      request.principal,
      request.action,
      request.resource as never,
      request.context,
    )
    return {
      allowed: decision.allowed,
      reason: decision.reason,
      ruleIds: decision.ruleIds,
      obligations: decision.obligations as string[],
    }
  })
}

describe('decide agrees with the reference evaluator', () => {
  it(`on ${POLICIES * REQUESTS_PER_POLICY} random requests over ${POLICIES} random policies, with 0 mismatches`, () => {
    let cases = 0
    let mismatches = 0
    const reasons = new Map<string, number>()
    fc.assert(
      fc.property(
        policyArb,
        fc.array(requestArb, { minLength: REQUESTS_PER_POLICY, maxLength: REQUESTS_PER_POLICY }),
        (policy, requests) => {
          const actual = decideAll(policy, requests)
          requests.forEach((request, i) => {
            const expected = referenceDecide(policy, request)
            cases += 1
            reasons.set(expected.reason, (reasons.get(expected.reason) ?? 0) + 1)
            if (JSON.stringify(actual[i]) !== JSON.stringify(expected)) {
              mismatches += 1
              expect({ request, decision: actual[i] }).toEqual({ request, decision: expected })
            }
          })
        },
      ),
      { numRuns: POLICIES, seed: Number(process.env.SKILLOS_TEST_SEED ?? 20_260_513) },
    )
    expect(mismatches).toBe(0)
    expect(cases).toBeGreaterThanOrEqual(100_000)
    // The comparison means something only if every outcome occurs often.
    for (const reason of [
      'tenant-boundary',
      'denied-by-rule',
      'allowed-by-rule',
      'no-allowing-rule',
    ]) {
      expect(reasons.get(reason) ?? 0, reason).toBeGreaterThan(2_000)
    }
  }, 300_000)

  it('denies by default: with only deny rules nothing is ever allowed', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(requestArb, { minLength: 20, maxLength: 20 }),
        (policy, requests) => {
          const denyOnly: GenPolicy = {
            ...policy,
            documents: policy.documents.map((document) => ({
              ...document,
              rules: document.rules.map(({ obligations: _, ...rule }) => ({
                ...rule,
                effect: 'deny' as const,
              })),
            })),
          }
          for (const decision of decideAll(denyOnly, requests)) {
            expect(decision.allowed).toBe(false)
            expect(decision.obligations).toEqual([])
          }
        },
      ),
      { numRuns: 300 },
    )
  }, 120_000)

  it('denies by default: an empty policy allows nothing, saying no rule allows', () => {
    const empty = compilePolicy([{ path: 'empty.yaml', text: 'version: 1\n' }])
    fc.assert(
      fc.property(requestArb, (request) => {
        const decision = empty.decide(
          request.principal,
          request.action,
          request.resource as never,
          request.context,
        )
        expect(decision.allowed).toBe(false)
        expect(decision.reason).toBe(
          request.principal.tenant === request.resource.tenant
            ? 'no-allowing-rule'
            : 'tenant-boundary',
        )
      }),
      { numRuns: 2_000 },
    )
  }, 120_000)

  it('lets a deny override: one matching deny rule anywhere turns every allow into a deny', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(requestArb, { minLength: 20, maxLength: 20 }),
        fc.nat(),
        (policy, requests, where) => {
          const d = where % policy.documents.length
          const withDeny: GenPolicy = {
            ...policy,
            documents: policy.documents.map((document, i) =>
              i === d
                ? { ...document, rules: [...document.rules, { effect: 'deny', actions: ['*'] }] }
                : document,
            ),
          }
          const denyId = `d${d}-r${policy.documents[d]!.rules.length}`
          const before = decideAll(policy, requests)
          const after = decideAll(withDeny, requests)
          requests.forEach((request, i) => {
            const applies =
              known(request.action) &&
              request.principal.tenant === request.resource.tenant &&
              (policy.documents[d]!.tenant === undefined ||
                policy.documents[d]!.tenant === request.principal.tenant)
            if (!applies) {
              expect(after[i]!.ruleIds).not.toContain(denyId)
              return
            }
            expect(after[i]!.allowed).toBe(false)
            expect(after[i]!.reason).toBe('denied-by-rule')
            expect(after[i]!.ruleIds).toContain(denyId)
            if (before[i]!.reason === 'denied-by-rule') {
              expect(after[i]!.ruleIds).toEqual(
                [...before[i]!.ruleIds, denyId].sort((a, b) => order(a) - order(b)),
              )
            }
          })
        },
      ),
      { numRuns: 300 },
    )
  }, 120_000)

  it('lets a deny override: adding an allow-everything rule never lifts a deny', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(requestArb, { minLength: 20, maxLength: 20 }),
        (policy, requests) => {
          const withAllow: GenPolicy = {
            ...policy,
            documents: [...policy.documents, { rules: [{ effect: 'allow', actions: ['*'] }] }],
          }
          const before = decideAll(policy, requests)
          const after = decideAll(withAllow, requests)
          requests.forEach((request, i) => {
            const unchanged =
              !known(request.action) ||
              before[i]!.reason === 'denied-by-rule' ||
              before[i]!.reason === 'tenant-boundary'
            if (unchanged) {
              expect(after[i]).toEqual(before[i])
            } else {
              expect(after[i]!.allowed).toBe(true)
            }
          })
        },
      ),
      { numRuns: 300 },
    )
  }, 120_000)
})

const known = (action: string) => (ACTIONS as readonly string[]).includes(action)

/** Position of a generated rule id in file order (`d1-r3` → 1003). */
function order(id: string): number {
  const [, d, r] = /^d(\d+)-r(\d+)$/.exec(id)!
  return Number(d) * 1000 + Number(r)
}
