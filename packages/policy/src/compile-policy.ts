import { createHash } from 'node:crypto'
import {
  actionsMatching,
  policyActions,
  policyDocumentSchema,
  type PolicyContext,
  type PolicyDecision,
  type PolicyDocument,
  type PolicyObligation,
  type PolicyPrincipal,
  type PolicyResource,
  type RateLimitRule,
} from '@skillos/contracts'
import {
  attributeRoots,
  builtInAttributes,
  closestName,
  type AttributeRoot,
  type AttributeVocabulary,
} from './attributes.js'
import {
  ConditionError,
  createConditionCompiler,
  type Condition,
  type RequestView,
} from './condition.js'
import { PolicyLoadError, type PolicyIssue } from './errors.js'
import { parseIpAddress, type IpAddress } from './ip-address.js'
import { parseYamlSource, type YamlSource } from './yaml-source.js'

/** One policy file's name (used in every error) and text. */
export interface PolicySource {
  path: string
  text: string
}

export interface CompilePolicyOptions {
  /** The clock for requests without `context.time`; default `Date.now`. */
  now?: () => number
}

/** Where a rule or limit came from, for tools and explanations. */
export interface PolicyRuleInfo {
  id: string
  effect: 'allow' | 'deny'
  description?: string
  /** The tenant of the file it is in; undefined: every tenant. */
  tenant?: string
  /** `policies/finance.yaml:12:5`. */
  source: string
}

export type PolicyRateLimit = RateLimitRule & {
  tenant?: string
  source: string
  /** Whether the limit counts this skill or tool id (its `resources` patterns). */
  matchesResource(id: string): boolean
}

/**
 * A validated, compiled policy set: immutable, safe to share, cheap to ask.
 *
 * @example
 * ```ts
 * const policy = compilePolicy([{ path: 'policy.yaml', text }])
 * const decision = policy.decide(
 *   { id: 'ann', tenant: 'acme', roles: ['analyst'] },
 *   'skill:run',
 *   { id: 'finance/report', tenant: 'acme', risk: 'low' },
 *   { time: new Date(), ip: '10.20.1.7' },
 * )
 * decision.allowed // true or false, with decision.explanation saying why
 * ```
 */
export interface Policy {
  /** First 12 hex digits of the SHA-256 of the files' names and texts. */
  readonly version: string
  readonly files: readonly string[]
  readonly rules: readonly PolicyRuleInfo[]
  readonly rateLimits: readonly PolicyRateLimit[]
  /**
   * The one decision point. Tenants first: a principal never acts on another tenant's resource, and
   * no rule is evaluated then. Otherwise any matching deny rule denies; else any matching allow rule
   * allows, with the union of their obligations; else the request is denied by default.
   */
  decide(
    principal: PolicyPrincipal,
    action: string,
    resource: PolicyResource,
    context?: PolicyContext,
  ): PolicyDecision
  /** The rate limits that count `action` in `tenant`. */
  rateLimitsFor(action: string, tenant: string): readonly PolicyRateLimit[]
}

interface CompiledRule {
  id: string
  description: string | undefined
  /** Principal roles that hold one of the rule's roles (directly or by inheritance); null: anyone. */
  grantedTo: ReadonlySet<string> | null
  resourcePattern: RegExp | null
  conditions: Condition[]
  obligations: readonly PolicyObligation[]
}

interface Bucket {
  deny: CompiledRule[]
  allow: CompiledRule[]
}

interface ActionIndex {
  /** Rules of files without a tenant. */
  shared: Bucket
  /** Per tenant named by some file: its rules and the shared ones, in file order. */
  tenants: Map<string, Bucket>
}

interface LoadedDocument {
  source: YamlSource
  document: PolicyDocument
}

const EMPTY_CONTEXT: PolicyContext = Object.freeze({})
const GUARD = Symbol('unused')

/** `finance/*` → a regex where `*` matches any text; several patterns become one alternation. */
function resourcePatternRegex(patterns: readonly string[]): RegExp {
  const parts = patterns.map((pattern) =>
    pattern
      .split('*')
      .map((piece) => piece.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*'),
  )
  return new RegExp(`^(?:${parts.join('|')})$`)
}

function toEpochMs(value: unknown, now: () => number): number {
  if (value === undefined || value === null) return now()
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'number') return value
  if (typeof value === 'string') return Date.parse(value)
  return Number.NaN
}

class DecisionRequest implements RequestView {
  private roles: string[] | undefined
  private time: number | undefined
  private ip: IpAddress | null | typeof GUARD = GUARD

  constructor(
    readonly principal: PolicyPrincipal,
    readonly resource: PolicyResource,
    readonly context: PolicyContext,
    private readonly closure: ReadonlyMap<string, ReadonlySet<string>>,
    private readonly now: () => number,
  ) {}

  effectiveRoles(): readonly string[] {
    if (this.roles === undefined) {
      const roles = new Set<string>()
      for (const role of this.principal.roles ?? []) {
        const inherited = this.closure.get(role)
        if (inherited === undefined) roles.add(role)
        else for (const each of inherited) roles.add(each)
      }
      this.roles = [...roles]
    }
    return this.roles
  }

  timeMs(): number {
    if (this.time === undefined) this.time = toEpochMs(this.context.time, this.now)
    return this.time
  }

  ipAddress(): IpAddress | null {
    if (this.ip === GUARD) this.ip = parseIpAddress(this.context.ip)
    return this.ip
  }
}

function matches(rule: CompiledRule, request: DecisionRequest): boolean {
  if (rule.grantedTo !== null) {
    const roles = request.principal.roles
    let held = false
    if (roles !== undefined) {
      for (const role of roles) {
        if (rule.grantedTo.has(role)) {
          held = true
          break
        }
      }
    }
    if (!held) return false
  }
  if (rule.resourcePattern !== null && !rule.resourcePattern.test(request.resource.id)) return false
  for (const condition of rule.conditions) if (!condition(request)) return false
  return true
}

function quoteList(ids: readonly string[]): string {
  const quoted = ids.map((id) => `"${id}"`)
  if (quoted.length <= 1) return quoted.join('')
  return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`
}

function ruleNames(rules: readonly CompiledRule[]): string {
  const names = `${rules.length === 1 ? 'rule' : 'rules'} ${quoteList(rules.map((rule) => rule.id))}`
  const only = rules.length === 1 ? rules[0]!.description?.trim().replace(/\.$/, '') : undefined
  return only ? `${names} (${only})` : names
}

/**
 * Validate and compile a set of policy files. Every problem in every file is reported at once, as
 * one `PolicyLoadError` naming file, line, column and field; nothing of a failing set is returned.
 */
export function compilePolicy(
  sources: readonly PolicySource[],
  options: CompilePolicyOptions = {},
): Policy {
  const issues: PolicyIssue[] = []
  if (sources.length === 0) {
    throw new PolicyLoadError([
      {
        path: '(policy)',
        message: 'no policy files: give a .yaml file or a folder holding some',
        file: '(policy)',
        line: 1,
        column: 1,
        field: '',
      },
    ])
  }

  const loaded: LoadedDocument[] = []
  for (const { path, text } of sources) {
    const source = parseYamlSource(path, text)
    if (source.syntaxIssues.length > 0) {
      issues.push(...source.syntaxIssues)
      continue
    }
    if (source.data === null || source.data === undefined) {
      issues.push(source.issue([], 'the file is empty; a policy file starts with "version: 1"'))
      continue
    }
    const result = policyDocumentSchema.safeParse(source.data)
    if (!result.success) {
      issues.push(...source.zodIssues(result.error))
      continue
    }
    loaded.push({ source, document: result.data })
  }
  // Cross-file checks need every file; on top of broken ones they would only add noise.
  if (issues.length > 0) throw new PolicyLoadError(issues)

  const policy = buildPolicy(loaded, issues, options.now ?? Date.now, sources)
  if (issues.length > 0) throw new PolicyLoadError(issues)
  return policy
}

function buildPolicy(
  loaded: LoadedDocument[],
  issues: PolicyIssue[],
  now: () => number,
  sources: readonly PolicySource[],
): Policy {
  // Attribute vocabulary: the union of every file's declarations.
  const declared: Record<AttributeRoot, Set<string>> = {
    principal: new Set(),
    resource: new Set(),
    context: new Set(),
  }
  for (const { source, document } of loaded) {
    for (const root of attributeRoots) {
      document.attributes[root].forEach((name, index) => {
        if (builtInAttributes[root][name] !== undefined) {
          issues.push(
            source.issue(
              ['attributes', root, index],
              `${root}.${name} is built in; declare only custom attributes`,
            ),
          )
        }
        declared[root].add(name)
      })
    }
  }
  const vocabulary: AttributeVocabulary = declared

  // Roles: defined once across the set, inheriting only defined roles, without cycles.
  const roleHome = new Map<string, { source: YamlSource; inherits: string[] }>()
  for (const { source, document } of loaded) {
    for (const [name, role] of Object.entries(document.roles)) {
      const earlier = roleHome.get(name)
      if (earlier) {
        issues.push(
          source.issue(
            ['roles', name],
            `role "${name}" is already defined at ${earlier.source.where(['roles', name], { atKey: true })}`,
            { atKey: true },
          ),
        )
        continue
      }
      roleHome.set(name, { source, inherits: role.inherits })
    }
  }
  const roleNames = [...roleHome.keys()]
  const unknownRole = (name: string) => {
    const guess = closestName(name, roleNames)
    return `unknown role "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; defined roles: ${roleNames.join(', ') || '(none: define them under roles)'}`
  }
  for (const [name, { source, inherits }] of roleHome) {
    inherits.forEach((parent, index) => {
      if (!roleHome.has(parent)) {
        issues.push(source.issue(['roles', name, 'inherits', index], unknownRole(parent)))
      }
    })
  }
  const closure = new Map<string, Set<string>>()
  const visiting: string[] = []
  const reported = new Set<string>()
  const close = (name: string): Set<string> => {
    const done = closure.get(name)
    if (done) return done
    const cycleAt = visiting.indexOf(name)
    if (cycleAt !== -1) {
      const cycle = [...visiting.slice(cycleAt), name]
      if (!reported.has(name)) {
        for (const member of cycle) reported.add(member)
        const home = roleHome.get(name)!
        issues.push(
          home.source.issue(
            ['roles', name],
            `role "${name}" inherits itself: ${cycle.join(' → ')}`,
            { atKey: true },
          ),
        )
      }
      return new Set([name])
    }
    visiting.push(name)
    const roles = new Set([name])
    for (const parent of roleHome.get(name)?.inherits ?? []) {
      if (roleHome.has(parent)) for (const role of close(parent)) roles.add(role)
    }
    visiting.pop()
    closure.set(name, roles)
    return roles
  }
  for (const name of roleNames) close(name)

  // Rules and limits.
  const compiler = createConditionCompiler(vocabulary)
  const ruleHome = new Map<string, string>()
  const limitHome = new Map<string, string>()
  const infos: PolicyRuleInfo[] = []
  const limits: PolicyRateLimit[] = []
  const compiled: {
    rule: CompiledRule
    effect: 'allow' | 'deny'
    actions: Set<string>
    tenant?: string
  }[] = []
  const tenants = new Set<string>()

  for (const { source, document } of loaded) {
    if (document.tenant !== undefined) tenants.add(document.tenant)
    document.rules.forEach((rule, index) => {
      const where = source.where(['rules', index])
      const earlier = ruleHome.get(rule.id)
      if (earlier !== undefined) {
        issues.push(
          source.issue(
            ['rules', index, 'id'],
            `rule id "${rule.id}" is already used at ${earlier}`,
          ),
        )
      } else {
        ruleHome.set(rule.id, source.where(['rules', index, 'id']))
      }
      let grantedTo: Set<string> | null = null
      if (rule.roles !== undefined) {
        grantedTo = new Set()
        rule.roles.forEach((role, roleIndex) => {
          if (!roleHome.has(role)) {
            issues.push(source.issue(['rules', index, 'roles', roleIndex], unknownRole(role)))
          }
        })
        for (const [name, inherited] of closure) {
          if (rule.roles.some((role) => inherited.has(role))) grantedTo.add(name)
        }
      }
      const conditions: Condition[] = []
      ;(rule.when ?? []).forEach((text, whenIndex) => {
        try {
          conditions.push(compiler.compile(text))
        } catch (error) {
          if (!(error instanceof ConditionError)) throw error
          issues.push(
            source.issueInString(['rules', index, 'when', whenIndex], error.offset, error.message),
          )
        }
      })
      const actions = new Set(rule.actions.flatMap((pattern) => actionsMatching(pattern)))
      compiled.push({
        effect: rule.effect,
        actions,
        ...(document.tenant === undefined ? {} : { tenant: document.tenant }),
        rule: {
          id: rule.id,
          description: rule.description,
          grantedTo,
          resourcePattern: rule.resources ? resourcePatternRegex(rule.resources) : null,
          conditions,
          obligations: Object.freeze([...new Set(rule.obligations ?? [])]),
        },
      })
      infos.push({
        id: rule.id,
        effect: rule.effect,
        ...(rule.description === undefined ? {} : { description: rule.description }),
        ...(document.tenant === undefined ? {} : { tenant: document.tenant }),
        source: where,
      })
    })
    document.rateLimits.forEach((limit, index) => {
      const where = source.where(['rateLimits', index])
      const earlier = limitHome.get(limit.id)
      if (earlier !== undefined) {
        issues.push(
          source.issue(
            ['rateLimits', index, 'id'],
            `rate limit id "${limit.id}" is already used at ${earlier}`,
          ),
        )
      } else {
        limitHome.set(limit.id, source.where(['rateLimits', index, 'id']))
      }
      const pattern = limit.resources ? resourcePatternRegex(limit.resources) : null
      limits.push(
        Object.freeze({
          ...limit,
          ...(document.tenant === undefined ? {} : { tenant: document.tenant }),
          source: where,
          matchesResource: (id: string) => pattern === null || pattern.test(id),
        }),
      )
    })
  }

  // The index: per action, the candidate rules of each tenant, deny and allow apart.
  const index = new Map<string, ActionIndex>()
  for (const action of policyActions) {
    const bucketFor = (tenant: string | undefined): Bucket => {
      const bucket: Bucket = { deny: [], allow: [] }
      for (const entry of compiled) {
        if (!entry.actions.has(action)) continue
        if (entry.tenant !== undefined && entry.tenant !== tenant) continue
        bucket[entry.effect].push(entry.rule)
      }
      return bucket
    }
    index.set(action, {
      shared: bucketFor(undefined),
      tenants: new Map([...tenants].map((tenant) => [tenant, bucketFor(tenant)])),
    })
  }

  // Rate limits per action, and per tenant on first use (tenants without files share one list).
  const limitsByAction = new Map<string, PolicyRateLimit[]>()
  for (const action of policyActions) {
    limitsByAction.set(
      action,
      limits.filter((limit) =>
        limit.actions.some((pattern) => actionsMatching(pattern).some((each) => each === action)),
      ),
    )
  }
  const limitsByTenant = new Map<string, readonly PolicyRateLimit[]>()

  const hash = createHash('sha256')
  for (const { path, text } of sources) hash.update(path).update('\0').update(text).update('\0')
  const version = hash.digest('hex').slice(0, 12)

  return Object.freeze({
    version,
    files: Object.freeze(sources.map((source) => source.path)),
    rules: Object.freeze(infos),
    rateLimits: Object.freeze(limits),

    decide(
      principal: PolicyPrincipal,
      action: string,
      resource: PolicyResource,
      context: PolicyContext = EMPTY_CONTEXT,
    ): PolicyDecision {
      // A missing tenant on both sides must not read as "the same tenant".
      if (
        principal.tenant !== resource.tenant ||
        typeof principal.tenant !== 'string' ||
        principal.tenant === ''
      ) {
        return {
          allowed: false,
          reason: 'tenant-boundary',
          action,
          resource: resource.id,
          ruleIds: [],
          obligations: [],
          explanation: `Denied: principal "${principal.id}" belongs to tenant "${principal.tenant}" and "${resource.id}" to tenant "${resource.tenant}"; no rule applies across tenants.`,
        }
      }
      const entry = index.get(action)
      const bucket =
        entry === undefined ? undefined : (entry.tenants.get(principal.tenant) ?? entry.shared)
      if (bucket !== undefined) {
        const request = new DecisionRequest(principal, resource, context, closure, now)
        let denied: CompiledRule[] | undefined
        for (const rule of bucket.deny) {
          if (matches(rule, request)) (denied ??= []).push(rule)
        }
        if (denied !== undefined) {
          return {
            allowed: false,
            reason: 'denied-by-rule',
            action,
            resource: resource.id,
            ruleIds: denied.map((rule) => rule.id),
            obligations: [],
            explanation: `Denied by ${ruleNames(denied)}; a deny overrides any allow.`,
          }
        }
        let allowed: CompiledRule[] | undefined
        for (const rule of bucket.allow) {
          if (matches(rule, request)) (allowed ??= []).push(rule)
        }
        if (allowed !== undefined) {
          const obligations: PolicyObligation[] = []
          for (const rule of allowed) {
            for (const obligation of rule.obligations) {
              if (!obligations.includes(obligation)) obligations.push(obligation)
            }
          }
          return {
            allowed: true,
            reason: 'allowed-by-rule',
            action,
            resource: resource.id,
            ruleIds: allowed.map((rule) => rule.id),
            obligations,
            explanation:
              obligations.length === 0
                ? `Allowed by ${ruleNames(allowed)}.`
                : `Allowed by ${ruleNames(allowed)}, with obligations: ${obligations.join(', ')}.`,
          }
        }
      }
      const roles = principal.roles?.length ? `roles: ${principal.roles.join(', ')}` : 'no roles'
      return {
        allowed: false,
        reason: 'no-allowing-rule',
        action,
        resource: resource.id,
        ruleIds: [],
        obligations: [],
        explanation: `Denied by default: no rule allows "${action}" on "${resource.id}" for "${principal.id}" (${roles}).`,
      }
    },

    rateLimitsFor(action: string, tenant: string): readonly PolicyRateLimit[] {
      const key = `${action}\0${tenants.has(tenant) ? tenant : ''}`
      let found = limitsByTenant.get(key)
      if (found === undefined) {
        found = Object.freeze(
          (limitsByAction.get(action) ?? []).filter(
            (limit) => limit.tenant === undefined || limit.tenant === tenant,
          ),
        )
        limitsByTenant.set(key, found)
      }
      return found
    },
  })
}
