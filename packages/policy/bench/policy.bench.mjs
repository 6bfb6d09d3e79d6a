// Benchmarks of the BUILT @skillos/policy (`pnpm bench` builds first): decisions per second and
// latency of `decide` on a 50-rule policy (target: p50 under 10 µs), the engine beside a hand-written
// if/else of the same rules (what the policy language costs), compiling a policy, and rate-limit
// checks on the in-process key-value store (and on Redis when SKILLOS_TEST_REDIS_URL is set).
//
//   SKILLOS_TEST_REDIS_URL  redis://127.0.0.1:6379
//   SKILLOS_BENCH_SCALE     multiplies every iteration count (default 1: about 15 s on 2 cores)
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { createBenchScale, describeMachine, measure, printTable } from '@skillos/bench'
import { openKeyValue } from '@skillos/store'
import { compilePolicy, createRateLimiter } from '../dist/index.js'

const redisUrl = process.env.SKILLOS_TEST_REDIS_URL || undefined
const {
  value: scale,
  scaled,
  describe: describeCounts,
} = createBenchScale(process.env.SKILLOS_BENCH_SCALE)
const TARGET_P50_US = 10

const COUNTS = {
  decide: { iterations: 200_000, warmup: 20_000 },
  compile: { iterations: 300, warmup: 30 },
  limiterMemory: { iterations: 100_000, warmup: 5_000 },
  limiterRedis: { iterations: 20_000, warmup: 1_000, concurrency: 50 },
}

// ─── A 50-rule policy ────────────────────────────────────────────────────────────────────────────

const DOMAINS = ['finance', 'research', 'sales', 'ops', 'hr', 'legal', 'support', 'marketing']

/**
 * 50 rules as an organisation would write them: per-domain allows for roles, risk- and time-bound
 * manager rules, office-network and data-classification denies. 24 of them concern `skill:run`,
 * the action every request below asks for, so each decision weighs many candidate rules.
 */
function fiftyRulePolicy() {
  const rules = []
  for (const [i, domain] of DOMAINS.entries()) {
    rules.push({
      id: `analysts-run-${domain}`,
      effect: 'allow',
      actions: ['skill:run'],
      roles: ['analyst'],
      resources: [`${domain}/*`],
      when: ['principal.department == resource.owner or resource.risk in [low, medium]'],
    })
    rules.push({
      id: `managers-run-risky-${domain}`,
      effect: 'allow',
      actions: ['skill:run'],
      roles: ['manager'],
      resources: [`${domain}/*`],
      when: ['resource.risk >= high', 'context.time within 08:00-20:00 Mon-Fri Europe/Moscow'],
      obligations: ['require_approval'],
    })
    rules.push({
      id: `${domain}-no-pii-outside-office`,
      effect: 'deny',
      actions: ['skill:*', 'tool:call'],
      resources: [`${domain}/*`],
      when: ['resource.tags contains pii', 'not context.ip in cidr [10.0.0.0/8, 192.168.0.0/16]'],
    })
    rules.push({
      id: `${domain}-publishers`,
      effect: 'allow',
      actions: ['skill:publish', 'skill:install'],
      roles: ['publisher'],
      resources: [`${domain}/*`],
      when: [`principal.department == ${domain} or principal.level >= ${3 + (i % 3)}`],
    })
    rules.push({
      id: `${domain}-tools`,
      effect: 'allow',
      actions: ['tool:call'],
      roles: ['viewer'],
      resources: [`${domain}.*`],
    })
  }
  rules.push(
    {
      id: 'payments-only-managers',
      effect: 'deny',
      actions: ['skill:run'],
      when: ['resource.sideEffects == payment', 'not principal.roles contains manager'],
    },
    {
      id: 'email-only-in-hours',
      effect: 'deny',
      actions: ['skill:run'],
      when: [
        'resource.sideEffects in [external-communication, payment]',
        'not context.time within 09:00-18:00 Mon-Fri Europe/Moscow',
      ],
    },
    {
      id: 'critical-needs-clearance',
      effect: 'deny',
      actions: ['skill:*'],
      when: ['resource.risk == critical', 'not principal.level >= 4'],
    },
    {
      id: 'auditors-read',
      effect: 'allow',
      actions: ['audit:read'],
      roles: ['auditor'],
    },
    {
      id: 'admins-manage-budgets',
      effect: 'allow',
      actions: ['budget:manage', 'approval:decide'],
      roles: ['admin'],
      when: ['context.channel in [web, cli]'],
    },
    {
      id: 'no-beta-for-viewers',
      effect: 'deny',
      actions: ['skill:run'],
      roles: ['viewer'],
      when: ['resource.tags contains beta', 'not principal.roles contains analyst'],
    },
    {
      id: 'support-runs-support',
      effect: 'allow',
      actions: ['skill:run'],
      roles: ['support'],
      resources: ['support/*'],
    },
    {
      id: 'night-freeze',
      effect: 'deny',
      actions: ['skill:publish'],
      when: ['context.time within 22:00-06:00 Europe/Moscow'],
    },
    {
      id: 'approvers-decide',
      effect: 'allow',
      actions: ['approval:decide'],
      roles: ['manager'],
      when: ['principal.department == resource.owner'],
    },
    {
      id: 'installs-low-risk',
      effect: 'allow',
      actions: ['skill:install'],
      roles: ['analyst'],
      when: ['resource.risk in [low]'],
    },
  )
  if (rules.length !== 50) throw new Error(`the benchmark policy has ${rules.length} rules, not 50`)
  const document = {
    version: 1,
    attributes: { principal: ['department', 'level'], resource: ['owner'] },
    roles: {
      viewer: {},
      analyst: { inherits: ['viewer'] },
      manager: { inherits: ['analyst'] },
      publisher: { inherits: ['viewer'] },
      support: { inherits: ['viewer'] },
      auditor: {},
      admin: { inherits: ['manager', 'auditor'] },
    },
    rules,
  }
  // JSON is YAML: no YAML writer needed here.
  return JSON.stringify(document, null, 2)
}

// Requests in one tenant, in business hours from the office (context.time defaults to now, as in a
// live system; the engine's clock is pinned to a Wednesday morning so the outcome is stable).
const NOW = Date.parse('2026-05-13T10:30:00+03:00')
const principals = [
  {
    id: 'ann',
    tenant: 'acme',
    roles: ['analyst'],
    attributes: { department: 'finance', level: 2 },
  },
  { id: 'max', tenant: 'acme', roles: ['manager'], attributes: { department: 'sales', level: 4 } },
  { id: 'vic', tenant: 'acme', roles: ['viewer'], attributes: { department: 'ops', level: 1 } },
]
const resource = (domain, extra = {}) => ({
  id: `${domain}/task`,
  tenant: 'acme',
  risk: 'medium',
  sideEffects: 'read',
  tags: [],
  attributes: { owner: domain },
  ...extra,
})
const office = { ip: '10.1.2.3', channel: 'web' }

const REQUEST_KINDS = {
  allowed: DOMAINS.map((domain) => [principals[0], 'skill:run', resource(domain), office]),
  'denied by a deny rule': DOMAINS.map((domain) => [
    principals[0],
    'skill:run',
    resource(domain, { sideEffects: 'payment', risk: 'high' }),
    office,
  ]),
  'denied by default': DOMAINS.map((domain) => [
    principals[2],
    'skill:run',
    resource(domain),
    office,
  ]),
  'tenant boundary': DOMAINS.map((domain) => [
    { ...principals[1], tenant: 'globex' },
    'skill:run',
    resource(domain),
    office,
  ]),
}
const EXPECTED_REASON = {
  allowed: 'allowed-by-rule',
  'denied by a deny rule': 'denied-by-rule',
  'denied by default': 'no-allowing-rule',
  'tenant boundary': 'tenant-boundary',
}

// ─── A small policy and its hand-written twin (the peer) ─────────────────────────────────────────

const examplePolicy = compilePolicy(
  ['roles.yaml', 'skills.yaml'].map((name) => {
    const path = new URL(`../examples/policies/${name}`, import.meta.url)
    return { path: name, text: readFileSync(path, 'utf8') }
  }),
  { now: () => NOW },
)

const INHERITS = { viewer: [], analyst: ['viewer'], manager: ['analyst', 'viewer'] }
const risky = (r) => r.sideEffects === 'payment' || r.sideEffects === 'external-communication'

/** The example policy's five rules, written by hand: what a team would code without the engine. */
function handWrittenDecide(principal, action, r, context) {
  if (principal.tenant !== r.tenant) return { allowed: false, reason: 'tenant-boundary' }
  if (r.tenant !== 'tenant-a' || action !== 'skill:run')
    return { allowed: false, reason: 'no-allowing-rule' }
  const roles = new Set()
  for (const role of principal.roles) {
    roles.add(role)
    for (const inherited of INHERITS[role] ?? []) roles.add(inherited)
  }
  if (risky(r)) {
    const denied = []
    if (!roles.has('manager')) denied.push('payments-and-email-only-for-managers')
    const local = new Date((context.time ?? NOW) + 3 * 3_600_000)
    const minute = local.getUTCHours() * 60 + local.getUTCMinutes()
    const day = local.getUTCDay()
    if (day === 0 || day === 6 || minute < 540 || minute >= 1080)
      denied.push('payments-and-email-only-in-business-hours')
    // 10.20.0.0/16 only: the twin's requests are all IPv4.
    if (!(context.ip ?? '').startsWith('10.20.'))
      denied.push('payments-and-email-only-from-the-office')
    if (denied.length > 0) return { allowed: false, reason: 'denied-by-rule', ruleIds: denied }
  }
  const allowed = []
  if (roles.has('analyst') && (r.id.startsWith('finance/') || r.id.startsWith('research/')))
    allowed.push('analysts-run-finance-and-research')
  if (roles.has('manager') && risky(r)) allowed.push('managers-run-payments-and-email')
  if (allowed.length === 0) return { allowed: false, reason: 'no-allowing-rule' }
  return {
    allowed: true,
    reason: 'allowed-by-rule',
    ruleIds: allowed,
    obligations: allowed.includes('managers-run-payments-and-email') ? ['require_approval'] : [],
  }
}

const exampleRequests = [
  [
    { id: 'ann', tenant: 'tenant-a', roles: ['analyst'] },
    'skill:run',
    { id: 'finance/report', tenant: 'tenant-a', sideEffects: 'read' },
    { ip: '10.20.4.7' },
  ],
  [
    { id: 'max', tenant: 'tenant-a', roles: ['manager'] },
    'skill:run',
    { id: 'finance/pay-invoice', tenant: 'tenant-a', sideEffects: 'payment' },
    { ip: '10.20.4.7' },
  ],
  [
    { id: 'ann', tenant: 'tenant-a', roles: ['analyst'] },
    'skill:run',
    { id: 'finance/pay-invoice', tenant: 'tenant-a', sideEffects: 'payment' },
    { ip: '10.20.4.7' },
  ],
  [
    { id: 'max', tenant: 'tenant-a', roles: ['manager'] },
    'skill:run',
    { id: 'ops/deploy', tenant: 'tenant-a', sideEffects: 'write' },
    { ip: '10.20.4.7' },
  ],
]

/** The hand-written twin must agree with the engine, or the comparison means nothing. */
function checkTwin() {
  for (const [principal, action, r, context] of exampleRequests) {
    const engine = examplePolicy.decide(principal, action, r, context)
    const hand = handWrittenDecide(principal, action, r, context)
    if (engine.allowed !== hand.allowed || engine.reason !== hand.reason) {
      throw new Error(
        `the hand-written twin disagrees on ${r.id} for ${principal.id}: ${engine.reason} vs ${hand.reason}`,
      )
    }
  }
}

// ─── Measurements ────────────────────────────────────────────────────────────────────────────────

async function benchDecide() {
  const text = fiftyRulePolicy()
  const policy = compilePolicy([{ path: 'bench-50.yaml', text }], { now: () => NOW })
  const options = scaled(COUNTS.decide)
  const rows = []
  const all = []
  for (const [kind, requests] of Object.entries(REQUEST_KINDS)) {
    for (const request of requests) {
      const decision = policy.decide(...request)
      if (decision.reason !== EXPECTED_REASON[kind]) {
        throw new Error(`${kind}: expected ${EXPECTED_REASON[kind]}, got ${decision.explanation}`)
      }
    }
    all.push(...requests)
    const row = await measure(
      `decide, 50 rules: ${kind}`,
      (i) => {
        policy.decide(...requests[i % requests.length])
      },
      options,
    )
    rows.push(row)
  }
  const mixed = await measure(
    'decide, 50 rules: mixed',
    (i) => {
      policy.decide(...all[i % all.length])
    },
    options,
  )
  rows.unshift(mixed)
  for (const row of rows) {
    if (row.name !== 'decide, 50 rules: tenant boundary') {
      row.target = `p50 < ${TARGET_P50_US} µs`
      row.meets = row.p50Us < TARGET_P50_US
    }
  }
  printTable(`Policy decisions, 50-rule policy — ${describeCounts(COUNTS.decide)}`, rows)

  // Throughput without the harness's per-call timing: a tight synchronous loop.
  const loop = Math.round(1_000_000 * scale)
  const started = performance.now()
  for (let i = 0; i < loop; i++) policy.decide(...all[i % all.length])
  const seconds = (performance.now() - started) / 1000
  console.log(
    `\ntight loop, mixed requests: ${Math.round(loop / seconds).toLocaleString('en-US')} decisions/s (${loop.toLocaleString('en-US')} calls, ${((seconds / loop) * 1e6).toFixed(2)} µs each)`,
  )

  const compile = await measure(
    'compilePolicy, 50 rules (YAML parse + validate + compile)',
    () => {
      compilePolicy([{ path: 'bench-50.yaml', text }])
    },
    scaled(COUNTS.compile),
  )
  printTable(`Loading a policy — ${describeCounts(COUNTS.compile)}`, [compile])
}

async function benchPeer() {
  checkTwin()
  const options = scaled(COUNTS.decide)
  const peer = await measure(
    'hand-written if/else (peer)',
    (i) => {
      const [principal, action, r, context] = exampleRequests[i % exampleRequests.length]
      handWrittenDecide(principal, action, r, context)
    },
    options,
  )
  const engine = await measure(
    'decide, example policy (5 rules)',
    (i) => {
      const [principal, action, r, context] = exampleRequests[i % exampleRequests.length]
      examplePolicy.decide(principal, action, r, context)
    },
    options,
  )
  printTable(
    `The engine beside hand-written code for the example policy — ${describeCounts(COUNTS.decide)}`,
    [peer, { ...engine, peer: peer.name }],
  )
}

async function benchLimiter(url, counts, title) {
  const prefix = `skillos-bench:${randomBytes(6).toString('hex')}:`
  const kv = await openKeyValue(url, { prefix })
  // Limits as a busy deployment sets them. The store keeps an exact log per window (decision 003),
  // so requests are spread over 500 tenants and 1,000 principals as real traffic would be, keeping
  // each window to a few hundred entries.
  const policy = compilePolicy([
    {
      path: 'limits.yaml',
      text: `version: 1
rateLimits:
  - { id: runs-per-person, per: principal, actions: [skill:run], limit: 1000, windowMs: 60000 }
  - { id: runs-per-tenant, per: tenant, actions: [skill:run], limit: 1000, windowMs: 60000 }
`,
    },
  ])
  const limiter = createRateLimiter({ kv, policy })
  try {
    const row = await measure(
      'rate limit check (2 limits: principal + tenant)',
      async (i) => {
        const result = await limiter.check({
          tenant: `t${i % 500}`,
          principal: `p${i % 1000}`,
          action: 'skill:run',
        })
        if (!result.allowed) throw new Error('the bench expects every check to be admitted')
      },
      scaled(counts),
    )
    printTable(`${title} — ${describeCounts(counts)}`, [row])
  } finally {
    try {
      await kv.clear()
    } finally {
      await kv.close()
    }
  }
}

const started = performance.now()
console.log(`@skillos/policy benchmarks — ${describeMachine()}, scale ${scale}`)
console.log(
  `target: decide on a 50-rule policy, p50 < ${TARGET_P50_US} µs (p50 includes the harness's own per-call timing)`,
)
console.log(
  `skipped: ${redisUrl ? 'none' : 'rate limits on Redis (SKILLOS_TEST_REDIS_URL is unset)'}`,
)

await benchDecide()
await benchPeer()
await benchLimiter(
  'memory://',
  COUNTS.limiterMemory,
  'Rate limits on the in-process key-value store',
)
if (redisUrl) {
  await benchLimiter(
    redisUrl,
    COUNTS.limiterRedis,
    'Rate limits on Redis (one pipelined connection)',
  )
}
console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(1)} s`)
