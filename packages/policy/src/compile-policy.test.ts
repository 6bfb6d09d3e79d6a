import { SkillOSError, policyDecisionSchema, type PolicyPrincipal } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { compilePolicy, type Policy } from './compile-policy.js'
import { PolicyLoadError } from './errors.js'

const ROLES = `
roles:
  viewer: {}
  analyst: { inherits: [viewer] }
  manager: { inherits: [analyst] }
  auditor:
`

function policyOf(text: string, path = 'policy.yaml'): Policy {
  return compilePolicy([{ path, text: `version: 1\n${ROLES}${text}` }])
}

function loadError(sources: { path: string; text: string }[]): PolicyLoadError {
  try {
    compilePolicy(sources)
  } catch (error) {
    if (error instanceof PolicyLoadError) return error
    throw error
  }
  throw new Error('expected the policy to be refused')
}

const ann: PolicyPrincipal = { id: 'ann', tenant: 'acme', roles: ['analyst'] }
const max: PolicyPrincipal = { id: 'max', tenant: 'acme', roles: ['manager'] }
const report = { id: 'finance/report', tenant: 'acme', risk: 'low' as const }

describe('decide', () => {
  const policy = policyOf(`
rules:
  - id: analysts-run-finance
    effect: allow
    actions: [skill:run]
    roles: [analyst]
    resources: [finance/*, research/*]
    obligations: [redact_output]
  - id: high-risk-needs-approval
    effect: allow
    actions: [skill:*]
    roles: [manager]
    when:
      - resource.risk in [high, critical]
    obligations: [require_approval, redact_output]
  - id: no-critical-for-analysts
    effect: deny
    description: Analysts never run critical skills.
    actions: [skill:run]
    when:
      - resource.risk == critical
      - not principal.roles contains manager
  - id: nobody-installs-internal
    effect: deny
    actions: [skill:install]
    when: [resource.tags contains internal]
  - id: anyone-installs
    effect: allow
    actions: [skill:install]
`)

  it('denies by default when no rule allows, naming the action, resource and roles', () => {
    const decision = policy.decide(ann, 'audit:read', { id: 'audit', tenant: 'acme' })
    expect(decision).toEqual({
      allowed: false,
      reason: 'no-allowing-rule',
      action: 'audit:read',
      resource: 'audit',
      ruleIds: [],
      obligations: [],
      explanation:
        'Denied by default: no rule allows "audit:read" on "audit" for "ann" (roles: analyst).',
    })
    expect(policyDecisionSchema.parse(decision)).toEqual(decision)
  })

  it('allows through a matching allow rule and returns its obligations', () => {
    expect(policy.decide(ann, 'skill:run', report)).toMatchObject({
      allowed: true,
      reason: 'allowed-by-rule',
      ruleIds: ['analysts-run-finance'],
      obligations: ['redact_output'],
      explanation: 'Allowed by rule "analysts-run-finance", with obligations: redact_output.',
    })
  })

  it('lets a role inherit the rules of the roles it inherits', () => {
    const risky = { ...report, risk: 'high' as const }
    const decision = policy.decide(max, 'skill:run', risky)
    expect(decision.ruleIds).toEqual(['analysts-run-finance', 'high-risk-needs-approval'])
    expect(decision.obligations).toEqual(['redact_output', 'require_approval'])
    expect(policy.decide({ ...ann, roles: ['viewer'] }, 'skill:run', report).allowed).toBe(false)
  })

  it('lets an explicit deny beat every allow, naming only the deny rules', () => {
    const critical = { ...report, risk: 'critical' as const }
    expect(policy.decide(ann, 'skill:run', critical)).toEqual({
      allowed: false,
      reason: 'denied-by-rule',
      action: 'skill:run',
      resource: 'finance/report',
      ruleIds: ['no-critical-for-analysts'],
      obligations: [],
      explanation:
        'Denied by rule "no-critical-for-analysts" (Analysts never run critical skills); a deny overrides any allow.',
    })
    expect(policy.decide(max, 'skill:run', critical).allowed).toBe(true)
    const internal = { id: 'ops/secret', tenant: 'acme', tags: ['internal'] }
    expect(policy.decide(max, 'skill:install', internal).ruleIds).toEqual([
      'nobody-installs-internal',
    ])
    expect(policy.decide(max, 'skill:install', { ...internal, tags: ['public'] }).ruleIds).toEqual([
      'anyone-installs',
    ])
  })

  it('checks the tenant boundary before any rule, even a rule that allows everyone', () => {
    const decision = policy.decide(
      { id: 'eve', tenant: 'globex', roles: ['manager'] },
      'skill:install',
      report,
    )
    expect(decision).toMatchObject({ allowed: false, reason: 'tenant-boundary', ruleIds: [] })
    expect(decision.explanation).toBe(
      'Denied: principal "eve" belongs to tenant "globex" and "finance/report" to tenant "acme"; no rule applies across tenants.',
    )
  })

  it('treats a request without tenants as crossing the boundary', () => {
    const noTenant = { id: 'x' } as unknown as typeof ann
    const resource = { id: 'finance/report' } as unknown as typeof report
    expect(policy.decide(noTenant, 'skill:install', resource).reason).toBe('tenant-boundary')
    expect(
      policy.decide({ ...ann, tenant: '' }, 'skill:install', { ...report, tenant: '' }).reason,
    ).toBe('tenant-boundary')
  })

  it('denies an action no rule names, and a principal with no or unknown roles', () => {
    expect(policy.decide(ann, 'skill:fly', report).reason).toBe('no-allowing-rule')
    expect(policy.decide({ id: 'x', tenant: 'acme' }, 'skill:run', report).explanation).toContain(
      '(no roles)',
    )
    expect(policy.decide({ ...ann, roles: ['stranger'] }, 'skill:run', report).allowed).toBe(false)
  })

  it('applies the rules of a tenant file only inside that tenant', () => {
    const scoped = compilePolicy([
      { path: 'shared.yaml', text: `version: 1\n${ROLES}` },
      {
        path: 'acme.yaml',
        text: `version: 1
tenant: acme
rules:
  - { id: acme-analysts-read-audit, effect: allow, actions: [audit:read], roles: [analyst] }
rateLimits:
  - { id: acme-runs, per: tenant, actions: [skill:run], limit: 5, windowMs: 1000 }
`,
      },
    ])
    const audit = { id: 'audit', tenant: 'acme' }
    expect(scoped.decide(ann, 'audit:read', audit).allowed).toBe(true)
    expect(
      scoped.decide({ ...ann, tenant: 'globex' }, 'audit:read', { ...audit, tenant: 'globex' })
        .allowed,
    ).toBe(false)
    expect(scoped.rateLimitsFor('skill:run', 'acme').map((limit) => limit.id)).toEqual([
      'acme-runs',
    ])
    expect(scoped.rateLimitsFor('skill:run', 'globex')).toEqual([])
    expect(scoped.rules.map((rule) => [rule.id, rule.tenant, rule.source])).toEqual([
      ['acme-analysts-read-audit', 'acme', 'acme.yaml:4:5'],
    ])
  })

  it('names the policy version by its content', () => {
    const text = 'version: 1\nrules: []\n'
    const a = compilePolicy([{ path: 'a.yaml', text }])
    expect(a.version).toMatch(/^[0-9a-f]{12}$/)
    expect(compilePolicy([{ path: 'a.yaml', text }]).version).toBe(a.version)
    expect(compilePolicy([{ path: 'a.yaml', text: `${text}# changed\n` }]).version).not.toBe(
      a.version,
    )
  })
})

describe('conditions', () => {
  const at = Date.parse('2025-03-03T10:00:00+03:00') // a Monday, 10:00 in Moscow
  function allows(condition: string) {
    const policy = compilePolicy(
      [
        {
          path: 'c.yaml',
          text: `version: 1
attributes:
  principal: [department, clearance, limit, labels]
  resource: [owner, amount, owners, region]
  context: [sourceIp, device]
rules:
  - id: r
    effect: allow
    actions: [skill:run]
    when: [${JSON.stringify(condition)}]
`,
        },
      ],
      { now: () => at },
    )
    return (
      principal: Partial<PolicyPrincipal> & { attributes?: Record<string, unknown> } = {},
      resource: Record<string, unknown> = {},
      context: Record<string, unknown> = {},
    ) =>
      policy.decide(
        { id: 'ann', tenant: 'acme', roles: [], ...principal },
        'skill:run',
        { id: 'finance/pay', tenant: 'acme', ...resource },
        context,
      ).allowed
  }

  it.each([
    ['resource.risk in [high, critical]', {}, { risk: 'high' }, {}, true],
    ['resource.risk in [high, critical]', {}, { risk: 'low' }, {}, false],
    ['resource.risk in [high, critical]', {}, {}, {}, false],
    ['resource.risk >= high', {}, { risk: 'critical' }, {}, true],
    ['resource.risk >= high', {}, { risk: 'medium' }, {}, false],
    ['resource.risk < medium', {}, { risk: 'low' }, {}, true],
    ['resource.domain == finance', {}, {}, {}, true],
    ['resource.name == pay', {}, {}, {}, true],
    ['resource.domain == finance', {}, { id: 'web.search' }, {}, false],
    ['resource.sideEffects != payment', {}, { sideEffects: 'read' }, {}, true],
    ['resource.sideEffects != payment', {}, {}, {}, false],
    ['not resource.sideEffects == payment', {}, {}, {}, true],
    [
      'principal.department == resource.owner',
      { attributes: { department: 'finance' } },
      { attributes: { owner: 'finance' } },
      {},
      true,
    ],
    [
      'principal.department == resource.owner',
      { attributes: { department: 'ops' } },
      { attributes: { owner: 'finance' } },
      {},
      false,
    ],
    ['principal.department == resource.owner', {}, {}, {}, false],
    ['principal.department != resource.owner', {}, { attributes: { owner: 'x' } }, {}, false],
    ['principal.clearance >= 3', { attributes: { clearance: 3 } }, {}, {}, true],
    ['principal.clearance >= 3', { attributes: { clearance: 2.5 } }, {}, {}, false],
    ['principal.clearance >= 3', { attributes: { clearance: '3' } }, {}, {}, false],
    [
      'principal.limit >= resource.amount',
      { attributes: { limit: 100 } },
      { attributes: { amount: 99 } },
      {},
      true,
    ],
    ['principal.clearance == 3', { attributes: { clearance: 3 } }, {}, {}, true],
    ['principal.clearance == "3"', { attributes: { clearance: 3 } }, {}, {}, false],
    ['principal.id == 42', { id: '42' }, {}, {}, true],
    ['resource.tags contains internal', {}, { tags: ['internal', 'x'] }, {}, true],
    ['not resource.tags contains internal', {}, { tags: ['public'] }, {}, true],
    ['not resource.tags contains internal', {}, {}, {}, true],
    ['resource.tags in [a, b]', {}, { tags: ['c', 'b'] }, {}, true],
    ['resource.tags in [a, b]', {}, { tags: ['c'] }, {}, false],
    ['principal.id in resource.owners', {}, { attributes: { owners: ['ann'] } }, {}, true],
    ['principal.id in resource.owners', {}, { attributes: { owners: 'ann' } }, {}, false],
    [
      'principal.labels contains "two words"',
      { attributes: { labels: ['two words'] } },
      {},
      {},
      true,
    ],
    ['principal.roles contains viewer', { roles: ['viewer'] }, {}, {}, true],
    ['context.channel in [web, api]', {}, {}, { channel: 'api' }, true],
    ['context.device == true', {}, {}, { device: true }, true],
    ['context.ip in cidr [10.0.0.0/8, 192.168.1.0/24]', {}, {}, { ip: '10.20.30.40' }, true],
    ['context.ip in cidr [10.0.0.0/8, 192.168.1.0/24]', {}, {}, { ip: '192.168.2.1' }, false],
    ['context.ip in cidr [10.0.0.0/8]', {}, {}, { ip: '::ffff:10.1.1.1' }, true],
    ['context.ip in cidr [10.0.0.0/8]', {}, {}, { ip: '10.1' }, false],
    ['context.ip in cidr [10.0.0.0/8]', {}, {}, {}, false],
    ['context.ip in cidr [2001:db8::/32]', {}, {}, { ip: '2001:db8::1' }, true],
    ['context.ip in cidr [2001:db8::/32]', {}, {}, { ip: '10.0.0.1' }, false],
    ['context.ip in cidr [203.0.113.7]', {}, {}, { ip: '203.0.113.7' }, true],
    ['context.sourceIp in cidr [10.0.0.0/8]', {}, {}, { sourceIp: '10.0.0.1' }, true],
    ['context.sourceIp in cidr [10.0.0.0/8]', {}, {}, { sourceIp: 42 }, false],
    ['context.time within 09:00-18:00 Mon-Fri Europe/Moscow', {}, {}, {}, true],
    [
      'context.time within 09:00-18:00 Mon-Fri Europe/Moscow',
      {},
      {},
      { time: '2025-03-03T18:00:00+03:00' },
      false,
    ],
    [
      'context.time within 09:00-18:00 Mon-Fri Europe/Moscow',
      {},
      {},
      { time: '2025-03-02T10:00:00+03:00' },
      false,
    ],
    [
      'context.time within 09:00-18:00 Sat,Sun Europe/Moscow',
      {},
      {},
      { time: '2025-03-02T10:00:00+03:00' },
      true,
    ],
    ['context.time within 09:00-18:00', {}, {}, { time: Date.parse('2025-03-03T09:00:00Z') }, true],
    ['context.time within 09:00-18:00', {}, {}, { time: new Date('2025-03-03T08:59:00Z') }, false],
    ['context.time within 22:00-06:00 UTC', {}, {}, { time: '2025-03-03T23:30:00Z' }, true],
    ['context.time within 22:00-06:00 UTC', {}, {}, { time: '2025-03-03T05:59:00Z' }, true],
    ['context.time within 22:00-06:00 UTC', {}, {}, { time: '2025-03-03T06:00:00Z' }, false],
    ['context.time within 00:00-24:00 Fri-Mon', {}, {}, { time: '2025-03-02T12:00:00Z' }, true],
    ['context.time within 00:00-24:00 Fri-Mon', {}, {}, { time: '2025-03-04T12:00:00Z' }, false],
    ['context.time within 09:00-18:00 UTC', {}, {}, { time: 'not a time' }, false],
    ['resource.risk == high or resource.risk == critical', {}, { risk: 'critical' }, {}, true],
    [
      'resource.risk == low and (resource.tags contains a or resource.tags contains b)',
      {},
      { risk: 'low', tags: ['b'] },
      {},
      true,
    ],
    ['not (resource.risk == low or resource.risk == medium)', {}, { risk: 'low' }, {}, false],
    ['not not resource.risk == low', {}, { risk: 'low' }, {}, true],
  ] as const)('%s with %j %j %j → %s', (condition, principal, resource, context, expected) => {
    expect(
      allows(condition)(
        principal as Partial<PolicyPrincipal>,
        resource as Record<string, unknown>,
        context as Record<string, unknown>,
      ),
    ).toBe(expected)
  })

  it('follows daylight saving time in the named zone', () => {
    const nine = allows('context.time within 09:00-10:00 America/New_York')
    // 09:30 local is 14:30Z in winter (EST, -5) and 13:30Z in summer (EDT, -4).
    expect(nine({}, {}, { time: '2025-01-15T14:30:00Z' })).toBe(true)
    expect(nine({}, {}, { time: '2025-07-15T13:30:00Z' })).toBe(true)
    expect(nine({}, {}, { time: '2025-07-15T14:30:00Z' })).toBe(false)
  })
})

describe('loading', () => {
  it('names file, line, column and field for an unknown attribute', () => {
    const error = loadError([
      {
        path: 'policies/finance.yaml',
        text: `version: 1
rules:
  - id: a
    effect: allow
    actions: [skill:run]
    when:
      - resource.rsk in [high]
`,
      },
    ])
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
    expect(error.message).toBe(
      'Invalid policy: policies/finance.yaml:7:9 rules[0].when[0]: unknown attribute "resource.rsk" (did you mean "resource.risk"?); known: resource.id, resource.kind, resource.tenant, resource.domain, resource.name, resource.risk, resource.sideEffects, resource.tags — declare custom ones under attributes.resource',
    )
    expect(error.issues).toEqual([
      expect.objectContaining({
        file: 'policies/finance.yaml',
        line: 7,
        column: 9,
        field: 'rules[0].when[0]',
        path: 'policies/finance.yaml:7:9 rules[0].when[0]',
      }),
    ])
  })

  const base = `version: 1
roles:
  analyst: {}
rules:
  - id: a
    effect: allow
    actions: [skill:run]
`
  const cond = (condition: string) => `${base}    when:\n      - ${condition}\n`
  it.each([
    ['YAML that does not parse', 'version: 1\nrules: [\n', /^p\.yaml:3:1: YAML: /],
    ['an empty file', '', /^p\.yaml:1:1: the file is empty/],
    ['a wrong version', 'version: 2\n', /^p\.yaml:1:10 version: must be 1/],
    [
      'an unknown top-level field',
      'version: 1\nrulez: []\n',
      /^p\.yaml:2:1 rulez: unknown field "rulez"/,
    ],
    [
      'a missing effect',
      'version: 1\nrules:\n  - id: a\n    actions: [skill:run]\n',
      /^p\.yaml:3:5 rules\[0\]\.effect: is required/,
    ],
    [
      'an unknown action',
      base.replace('skill:run', 'skil:run'),
      /^p\.yaml:7:15 rules\[0\]\.actions\[0\]: unknown action "skil:run"/,
    ],
    [
      'an unknown obligation',
      `${base}    obligations: [approve]\n`,
      /^p\.yaml:8:19 rules\[0\]\.obligations\[0\]: Invalid option/,
    ],
    [
      'obligations on a deny',
      `${base.replace('allow', 'deny')}    obligations: [redact_output]\n`,
      /^p\.yaml:8:18 rules\[0\]\.obligations: only allow rules carry obligations/,
    ],
    [
      'an unknown role in a rule',
      `${base}    roles: [analyts]\n`,
      /^p\.yaml:8:13 rules\[0\]\.roles\[0\]: unknown role "analyts" \(did you mean "analyst"\?\)/,
    ],
    [
      'an unknown inherited role',
      base.replace('analyst: {}', 'analyst: { inherits: [boss] }'),
      /^p\.yaml:3:25 roles\.analyst\.inherits\[0\]: unknown role "boss"/,
    ],
    [
      'an inheritance cycle',
      base.replace('analyst: {}', 'analyst: { inherits: [analyst] }'),
      /^p\.yaml:3:3 roles\.analyst: role "analyst" inherits itself: analyst → analyst/,
    ],
    [
      'a duplicate rule id',
      `${base}  - { id: a, effect: deny, actions: [audit:read] }\n`,
      /^p\.yaml:8:11 rules\[1\]\.id: "a" is used twice/,
    ],
    [
      'a declared built-in attribute',
      'version: 1\nattributes:\n  resource: [risk]\n',
      /^p\.yaml:3:14 attributes\.resource\[0\]: resource\.risk is built in/,
    ],
    [
      'a bad risk level',
      cond('resource.risk == hgh'),
      /^p\.yaml:9:26 rules\[0\]\.when\[0\]: "hgh" is not a value of resource\.risk; allowed: low, medium, high, critical/,
    ],
    [
      'a bad CIDR',
      cond('context.ip in cidr [10.0.0.0/33]'),
      /^p\.yaml:9:29 rules\[0\]\.when\[0\]: "10\.0\.0\.0\/33" has an impossible prefix length/,
    ],
    [
      'an unknown time zone',
      cond('context.time within 09:00-18:00 Mars/Olympus'),
      /^p\.yaml:9:41 rules\[0\]\.when\[0\]: unknown time zone "Mars\/Olympus"/,
    ],
    [
      'a bad time range',
      cond('context.time within 9-18'),
      /^p\.yaml:9:29 rules\[0\]\.when\[0\]: expected a time range such as 09:00-18:00, found "9-18"/,
    ],
    ['an empty time window', cond('context.time within 09:00-09:00'), /empty window/],
    [
      'a bad weekday',
      cond('context.time within 09:00-18:00 Mon-Fry'),
      /^p\.yaml:9:41 rules\[0\]\.when\[0\]: unknown weekday in "Mon-Fry"/,
    ],
    [
      'a missing operator',
      cond('resource.risk high'),
      /^p\.yaml:9:23 rules\[0\]\.when\[0\]: expected an operator \(==, !=, <, <=, >, >=, in, contains, within\) after resource\.risk but found "high"/,
    ],
    [
      'an unclosed list',
      cond('resource.risk in [high'),
      /^p\.yaml:9:31 rules\[0\]\.when\[0\]: expected "," or "\]" in the list but found the end of the condition/,
    ],
    [
      'a value where an attribute belongs',
      cond('high == resource.risk'),
      /^p\.yaml:9:9 rules\[0\]\.when\[0\]: expected an attribute such as resource\.risk/,
    ],
    [
      'a list compared with ==',
      cond('resource.tags == a'),
      /resource\.tags cannot be used with "==": it is a list/,
    ],
    ['"not in"', cond('resource.risk not in [high]'), /put "not" before the comparison/],
    [
      'a number compared with text',
      cond('resource.id > 3'),
      /resource\.id cannot be used with ">": it is not a number/,
    ],
    [
      'a word compared with <',
      'version: 1\nattributes: { principal: [level] }\nrules:\n  - { id: a, effect: allow, actions: ["*"], when: [principal.level < high] }\n',
      /expected a number after "<" but found "high"/,
    ],
    ['within on a non-time', cond('resource.id within 09:00-18:00'), /resource\.id is not a time/],
    [
      'trailing words',
      cond('resource.risk == high low'),
      /unexpected "low" after a complete comparison; join comparisons with "and" or "or"/,
    ],
    ['an unterminated string', cond('resource.id == "abc'), /unterminated string/],
    ['a lone =', cond('resource.id = abc'), /unexpected "="/],
  ])('refuses %s, naming the place', (_what, text, expected) => {
    const error = loadError([{ path: 'p.yaml', text }])
    expect(error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n')).toMatch(
      expected,
    )
  })

  it('reports problems in several files at once, and cross-file clashes with both places', () => {
    const error = loadError([
      {
        path: 'a.yaml',
        text: 'version: 1\nroles:\n  analyst: {}\nrules:\n  - { id: r, effect: allow, actions: ["*"] }\n',
      },
      {
        path: 'b.yaml',
        text: 'version: 1\nroles:\n  analyst: {}\nrules:\n  - { id: r, effect: deny, actions: ["*"] }\n',
      },
    ])
    expect(error.message).toBe(
      [
        'Invalid policy (2 problems):',
        '  b.yaml:3:3 roles.analyst: role "analyst" is already defined at a.yaml:3:3',
        '  b.yaml:5:11 rules[0].id: rule id "r" is already used at a.yaml:5:11',
      ].join('\n'),
    )
    const both = loadError([
      { path: 'a.yaml', text: 'version: 3\n' },
      { path: 'b.yaml', text: 'version: 1\nrules: 7\n' },
    ])
    expect(both.issues.map((issue) => issue.file)).toEqual(['a.yaml', 'b.yaml'])
  })

  it('shares declared attributes and roles across the files of a set', () => {
    const policy = compilePolicy([
      {
        path: 'a.yaml',
        text: 'version: 1\nattributes:\n  principal: [department]\nroles:\n  analyst: {}\n',
      },
      {
        path: 'b.yaml',
        text: 'version: 1\nrules:\n  - { id: r, effect: allow, actions: [skill:run], roles: [analyst], when: [principal.department == finance] }\n',
      },
    ])
    expect(
      policy.decide({ ...ann, attributes: { department: 'finance' } }, 'skill:run', report).allowed,
    ).toBe(true)
  })

  it('refuses an empty set of files', () => {
    expect(() => compilePolicy([])).toThrow(/no policy files/)
  })
})
