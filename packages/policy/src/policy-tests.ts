import { readFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import {
  policyActionSchema,
  policyContextSchema,
  policyDecisionReasons,
  policyObligationSchema,
  policyPrincipalSchema,
  policyResourceSchema,
  type PolicyContext,
  type PolicyDecision,
  type PolicyPrincipal,
  type PolicyResource,
} from '@skillos/contracts'
import { z } from 'zod'
import { PolicyLoadError, type PolicyIssue } from './errors.js'
import { loadPolicy } from './load-policy.js'
import { parseYamlSource, type PathSegment, type YamlSource } from './yaml-source.js'

const expectationSchema = z.preprocess(
  (value) =>
    value === 'allow' ? { allowed: true } : value === 'deny' ? { allowed: false } : value,
  z.strictObject(
    {
      allowed: z.boolean(),
      reason: z.enum(policyDecisionReasons).optional(),
      /** The exact set of rule ids (order does not matter). */
      ruleIds: z.array(z.string()).optional(),
      /** The exact set of obligations. */
      obligations: z.array(policyObligationSchema).optional(),
      /** Text the explanation must contain. */
      explanation: z.string().min(1).optional(),
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type'
          ? 'must be allow, deny, or { allowed, reason?, ruleIds?, obligations?, explanation? }'
          : undefined,
    },
  ),
)
export type PolicyExpectation = z.output<typeof expectationSchema>

const casesFileSchema = z.strictObject({
  /** Policy file(s) or folder(s), relative to this file; `--policies` wins. */
  policies: z
    .preprocess(
      (value) => (typeof value === 'string' ? [value] : value),
      z.array(z.string().min(1)).min(1),
    )
    .optional(),
  /** Named principals, resources and contexts cases can refer to by name. */
  principals: z.record(z.string(), z.unknown()).default({}),
  resources: z.record(z.string(), z.unknown()).default({}),
  contexts: z.record(z.string(), z.unknown()).default({}),
  cases: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        principal: z.unknown(),
        action: z.string(),
        resource: z.unknown(),
        context: z.unknown().optional(),
        expect: expectationSchema,
      }),
    )
    .min(1, 'must hold at least one case'),
})

interface PolicyTestCase {
  name: string
  where: string
  principal: PolicyPrincipal
  action: string
  resource: PolicyResource
  context: PolicyContext
  expect: PolicyExpectation
}

export interface PolicyTestResult {
  name: string
  /** `cases.yaml:14:5`: where the case is written. */
  where: string
  passed: boolean
  expected: PolicyExpectation
  decision: PolicyDecision
  /** One line per expectation that did not hold: `allowed: expected true, got false`. */
  differences: string[]
}

export interface PolicyTestReport {
  casesFile: string
  policyVersion: string
  policyFiles: readonly string[]
  total: number
  passed: number
  failed: number
  results: PolicyTestResult[]
}

export interface RunPolicyTestsOptions {
  /** The YAML file of cases. */
  casesFile: string
  /** Policy file(s) or folder(s); default: the `policies` the cases file names (relative to it). */
  policyPaths?: string | readonly string[]
  /** The clock for cases without `context.time`; default `Date.now`. */
  now?: () => number
  /** Relative paths are read from here (default: the process's) and shown as given. */
  cwd?: string
}

function referenced<T>(
  source: YamlSource,
  issues: PolicyIssue[],
  value: unknown,
  path: readonly PathSegment[],
  named: ReadonlyMap<string, T>,
  kind: string,
  schema: z.ZodType<unknown, T>,
): T | undefined {
  if (typeof value === 'string') {
    const found = named.get(value)
    if (found === undefined) {
      issues.push(
        source.issue(
          path,
          `unknown ${kind} "${value}"; named ${kind}s: ${[...named.keys()].join(', ') || '(none)'}`,
        ),
      )
    }
    return found
  }
  const result = schema.safeParse(value)
  if (!result.success) {
    issues.push(...source.zodIssues(result.error, path))
    return undefined
  }
  return value as T
}

function parseCases(file: string, text: string): { cases: PolicyTestCase[]; policies?: string[] } {
  const source = parseYamlSource(file, text)
  if (source.syntaxIssues.length > 0) throw new PolicyLoadError(source.syntaxIssues, 'policy tests')
  const parsed = casesFileSchema.safeParse(source.data ?? {})
  if (!parsed.success) throw new PolicyLoadError(source.zodIssues(parsed.error), 'policy tests')
  const data = parsed.data
  const issues: PolicyIssue[] = []

  const named = <T>(
    key: 'principals' | 'resources' | 'contexts',
    schema: z.ZodType<unknown, T>,
  ): Map<string, T> => {
    const map = new Map<string, T>()
    for (const [name, value] of Object.entries(data[key])) {
      const result = schema.safeParse(value)
      if (result.success) map.set(name, value as T)
      else issues.push(...source.zodIssues(result.error, [key, name]))
    }
    return map
  }
  const principals = named('principals', policyPrincipalSchema)
  const resources = named('resources', policyResourceSchema)
  const contexts = named('contexts', policyContextSchema)

  const cases: PolicyTestCase[] = []
  data.cases.forEach((entry, index) => {
    const at = (field: string): PathSegment[] => ['cases', index, field]
    const principal = referenced(
      source,
      issues,
      entry.principal,
      at('principal'),
      principals,
      'principal',
      policyPrincipalSchema,
    )
    const resource = referenced(
      source,
      issues,
      entry.resource,
      at('resource'),
      resources,
      'resource',
      policyResourceSchema,
    )
    const context =
      entry.context === undefined
        ? {}
        : referenced(
            source,
            issues,
            entry.context,
            at('context'),
            contexts,
            'context',
            policyContextSchema,
          )
    const action = policyActionSchema.safeParse(entry.action)
    if (!action.success) issues.push(...source.zodIssues(action.error, at('action')))
    if (principal && resource && context && action.success) {
      cases.push({
        name: entry.name,
        where: source.where(['cases', index]),
        principal,
        action: action.data,
        resource,
        context,
        expect: entry.expect,
      })
    }
  })
  if (issues.length > 0) throw new PolicyLoadError(issues, 'policy tests')
  return { cases, ...(data.policies ? { policies: data.policies } : {}) }
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0')

const list = (values: readonly string[]) => `[${values.join(', ')}]`

function compare(expected: PolicyExpectation, decision: PolicyDecision): string[] {
  const differences: string[] = []
  if (expected.allowed !== decision.allowed) {
    differences.push(
      `decision: expected ${expected.allowed ? 'allow' : 'deny'}, got ${decision.allowed ? 'allow' : 'deny'}`,
    )
  }
  if (expected.reason !== undefined && expected.reason !== decision.reason) {
    differences.push(`reason: expected ${expected.reason}, got ${decision.reason}`)
  }
  if (expected.ruleIds !== undefined && !sameSet(expected.ruleIds, decision.ruleIds)) {
    differences.push(`ruleIds: expected ${list(expected.ruleIds)}, got ${list(decision.ruleIds)}`)
  }
  if (expected.obligations !== undefined && !sameSet(expected.obligations, decision.obligations)) {
    differences.push(
      `obligations: expected ${list(expected.obligations)}, got ${list(decision.obligations)}`,
    )
  }
  if (expected.explanation !== undefined && !decision.explanation.includes(expected.explanation)) {
    differences.push(`explanation: expected to contain "${expected.explanation}"`)
  }
  return differences
}

/**
 * Run a YAML file of policy test cases — principal, action, resource, context → the expected
 * decision — against a policy, like `opa test`. A broken cases file or policy throws
 * `PolicyLoadError`; failing cases are reported, not thrown.
 *
 * @example
 * ```ts
 * const report = await runPolicyTests({ casesFile: 'policy-tests.yaml', policyPaths: 'policies' })
 * console.log(formatPolicyTestReport(report))
 * process.exitCode = report.failed === 0 ? 0 : 1
 * ```
 */
export async function runPolicyTests(options: RunPolicyTestsOptions): Promise<PolicyTestReport> {
  let text: string
  try {
    text = await readFile(resolve(options.cwd ?? process.cwd(), options.casesFile), 'utf8')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    throw new PolicyLoadError(
      [
        {
          path: `${options.casesFile}:1:1`,
          message: code === 'ENOENT' ? 'no such file' : `cannot read (${String(code ?? cause)})`,
          file: options.casesFile,
          line: 1,
          column: 1,
          field: '',
        },
      ],
      'policy tests',
    )
  }
  const { cases, policies } = parseCases(options.casesFile, text)
  const policyPaths =
    options.policyPaths ??
    policies?.map((path) => (isAbsolute(path) ? path : join(dirname(options.casesFile), path)))
  if (policyPaths === undefined) {
    throw new PolicyLoadError(
      [
        {
          path: `${options.casesFile}:1:1`,
          message: 'no policy to test: name it under "policies:" in this file, or pass --policies',
          file: options.casesFile,
          line: 1,
          column: 1,
          field: '',
        },
      ],
      'policy tests',
    )
  }
  const policy = await loadPolicy(policyPaths, {
    ...(options.now ? { now: options.now } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  })
  const results = cases.map((testCase): PolicyTestResult => {
    const decision = policy.decide(
      testCase.principal,
      testCase.action,
      testCase.resource,
      testCase.context,
    )
    const differences = compare(testCase.expect, decision)
    return {
      name: testCase.name,
      where: testCase.where,
      passed: differences.length === 0,
      expected: testCase.expect,
      decision,
      differences,
    }
  })
  const passed = results.filter((result) => result.passed).length
  return {
    casesFile: options.casesFile,
    policyVersion: policy.version,
    policyFiles: policy.files,
    total: results.length,
    passed,
    failed: results.length - passed,
    results,
  }
}

/** The report as text: every failing case with what differed and the decision's explanation, then a summary line. */
export function formatPolicyTestReport(
  report: PolicyTestReport,
  options: { showPassed?: boolean } = {},
): string {
  const lines: string[] = []
  for (const result of report.results) {
    if (result.passed) {
      if (options.showPassed) lines.push(`✓ ${result.name}`)
      continue
    }
    lines.push(`✗ ${result.name} (${result.where})`)
    for (const difference of result.differences) lines.push(`    ${difference}`)
    lines.push(`    explanation: ${result.decision.explanation}`)
  }
  lines.push(
    `${report.passed} passed, ${report.failed} failed — ${report.total} cases against policy ${report.policyVersion} (${report.policyFiles.length} ${report.policyFiles.length === 1 ? 'file' : 'files'})`,
  )
  return lines.join('\n')
}
