import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { PolicyLoadError } from './errors.js'
import { formatPolicyTestReport, runPolicyTests } from './policy-tests.js'

const examples = fileURLToPath(new URL('../examples/', import.meta.url))

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'skillos-policy-tests-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

const POLICY = `version: 1
roles:
  analyst: {}
rules:
  - id: analysts-run
    effect: allow
    actions: [skill:run]
    roles: [analyst]
    obligations: [redact_output]
`

async function refusal(promise: Promise<unknown>): Promise<PolicyLoadError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof PolicyLoadError) return error
    throw error
  }
  throw new Error('expected a PolicyLoadError')
}

describe('runPolicyTests', () => {
  it('passes every case of the shipped example, which encodes the admin’s sentence', async () => {
    const report = await runPolicyTests({ casesFile: join(examples, 'policy-tests.yaml') })
    expect(report.results.filter((result) => !result.passed)).toEqual([])
    expect(report.total).toBeGreaterThanOrEqual(15)
    expect(report.passed).toBe(report.total)
    expect(report.policyFiles).toHaveLength(2)
    expect(formatPolicyTestReport(report)).toMatch(
      new RegExp(
        `^${report.total} passed, 0 failed — ${report.total} cases against policy [0-9a-f]{12} \\(2 files\\)$`,
      ),
    )
  })

  it('reports each failing case with what differed, where it is written and the explanation', async () => {
    const dir = folderWith({
      'policy.yaml': POLICY,
      'cases.yaml': `policies: policy.yaml
principals:
  ann: { id: ann, tenant: acme, roles: [analyst] }
cases:
  - name: passes
    principal: ann
    action: skill:run
    resource: { id: finance/report, tenant: acme }
    expect: { allowed: true, obligations: [redact_output] }
  - name: expects a deny that is an allow
    principal: ann
    action: skill:run
    resource: { id: finance/pay, tenant: acme }
    expect: { allowed: false, ruleIds: [no-payments], obligations: [] }
  - name: expects the wrong reason and explanation
    principal: { id: bob, tenant: acme }
    action: audit:read
    resource: { id: audit, tenant: acme }
    expect: { allowed: false, reason: denied-by-rule, explanation: 'auditors only' }
`,
    })
    const report = await runPolicyTests({ casesFile: join(dir, 'cases.yaml') })
    expect([report.total, report.passed, report.failed]).toEqual([3, 1, 2])
    expect(report.results[1]).toMatchObject({
      name: 'expects a deny that is an allow',
      where: `${join(dir, 'cases.yaml')}:10:5`,
      passed: false,
      differences: [
        'decision: expected deny, got allow',
        'ruleIds: expected [no-payments], got [analysts-run]',
        'obligations: expected [], got [redact_output]',
      ],
    })
    const text = formatPolicyTestReport(report)
    expect(text.split('\n')).toEqual([
      `✗ expects a deny that is an allow (${join(dir, 'cases.yaml')}:10:5)`,
      '    decision: expected deny, got allow',
      '    ruleIds: expected [no-payments], got [analysts-run]',
      '    obligations: expected [], got [redact_output]',
      '    explanation: Allowed by rule "analysts-run", with obligations: redact_output.',
      `✗ expects the wrong reason and explanation (${join(dir, 'cases.yaml')}:15:5)`,
      '    reason: expected denied-by-rule, got no-allowing-rule',
      '    explanation: expected to contain "auditors only"',
      '    explanation: Denied by default: no rule allows "audit:read" on "audit" for "bob" (no roles).',
      expect.stringMatching(
        /^1 passed, 2 failed — 3 cases against policy [0-9a-f]{12} \(1 file\)$/,
      ),
    ])
  })

  it('takes the policy from policyPaths over the one the cases file names', async () => {
    const dir = folderWith({
      'allow.yaml': POLICY,
      'cases.yaml': `policies: missing.yaml
cases:
  - { name: c, principal: { id: a, tenant: t, roles: [analyst] }, action: skill:run, resource: { id: x/y, tenant: t }, expect: allow }
`,
    })
    const report = await runPolicyTests({
      casesFile: join(dir, 'cases.yaml'),
      policyPaths: join(dir, 'allow.yaml'),
    })
    expect(report.passed).toBe(1)
  })

  it.each([
    [
      'an unknown named principal',
      'principals:\n  ann: { id: ann, tenant: t }\ncases:\n  - { name: c, principal: bob, action: skill:run, resource: { id: x, tenant: t }, expect: allow }\n',
      /cases\.yaml:5:27 cases\[0\]\.principal: unknown principal "bob"; named principals: ann/,
    ],
    [
      'an unknown action',
      'cases:\n  - { name: c, principal: { id: a, tenant: t }, action: skill:fly, resource: { id: x, tenant: t }, expect: allow }\n',
      /cases\.yaml:3:57 cases\[0\]\.action: Invalid option/,
    ],
    [
      'a bad expectation',
      'cases:\n  - { name: c, principal: { id: a, tenant: t }, action: skill:run, resource: { id: x, tenant: t }, expect: maybe }\n',
      /cases\.yaml:3:108 cases\[0\]\.expect: must be allow, deny, or \{ allowed/,
    ],
    [
      'a bad resource field',
      'cases:\n  - { name: c, principal: { id: a, tenant: t }, action: skill:run, resource: { id: x, tenant: t, risk: huge }, expect: allow }\n',
      /cases\.yaml:3:104 cases\[0\]\.resource\.risk: Invalid option/,
    ],
    ['no cases', 'cases: []\n', /cases\.yaml:2:8 cases: must hold at least one case/],
  ])('refuses a cases file with %s, naming the place', async (_what, text, expected) => {
    const dir = folderWith({
      'policy.yaml': POLICY,
      'cases.yaml': `policies: policy.yaml\n${text}`,
    })
    const error = await refusal(runPolicyTests({ casesFile: join(dir, 'cases.yaml') }))
    expect(error.message).toMatch(/^Invalid policy tests/)
    expect(error.message).toMatch(expected)
  })

  it('refuses a cases file that names no policy, and a broken policy', async () => {
    const dir = folderWith({
      'cases.yaml':
        'cases:\n  - { name: c, principal: { id: a, tenant: t }, action: skill:run, resource: { id: x, tenant: t }, expect: allow }\n',
      'broken.yaml': 'version: 1\nrules: [{ id: a }]\n',
    })
    expect((await refusal(runPolicyTests({ casesFile: join(dir, 'cases.yaml') }))).message).toMatch(
      /no policy to test: name it under "policies:" in this file, or pass --policies/,
    )
    const broken = await refusal(
      runPolicyTests({ casesFile: join(dir, 'cases.yaml'), policyPaths: join(dir, 'broken.yaml') }),
    )
    expect(broken.message).toMatch(/^Invalid policy \(2 problems\)/)
    expect((await refusal(runPolicyTests({ casesFile: join(dir, 'nope.yaml') }))).message).toMatch(
      /nope\.yaml:1:1: no such file/,
    )
  })
})
