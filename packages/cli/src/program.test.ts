import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from './program.js'

const dirs: string[] = []
afterEach(() => {
  process.exitCode = undefined
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function cli(
  args: string[],
  env: Record<string, string> = {},
  files: Record<string, string> = {},
) {
  const cwd = mkdtempSync(join(tmpdir(), 'skillos-cli-'))
  dirs.push(cwd)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text)
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, {
    cwd,
    env,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  })
  process.exitCode = undefined
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), cwd }
}

describe('skillos doctor', () => {
  it('prints the store and key-value adapters in use on the embedded default', async () => {
    const { code, stdout, stderr, cwd } = await cli(['doctor'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toMatch(/✓ store\s+pglite\s+pglite:\/\/\.\/\.skillos\/db\s+migrations (\d+)\/\1/)
    expect(stdout).toMatch(/✓ key-value\s+memory \(in-process\)\s+memory:\/\//)
    expect(stdout).toContain('All checks passed.')
    expect(existsSync(join(cwd, '.skillos', 'db'))).toBe(true)
  })

  it('prints a JSON report with --json and exits 1 when a service is unreachable', async () => {
    const { code, stdout } = await cli(['doctor', '--json'], {
      SKILLOS_DATABASE_URL: 'memory://',
      SKILLOS_REDIS_URL: 'redis://127.0.0.1:1',
    })
    expect(code).toBe(1)
    const report = JSON.parse(stdout) as {
      ok: boolean
      checks: { port: string; ok: boolean; error?: { code: string } }[]
    }
    expect(report.ok).toBe(false)
    expect(report.checks.find((c) => c.port === 'key-value')?.error?.code).toBe('UNAVAILABLE')
    expect(report.checks.find((c) => c.port === 'database')?.ok).toBe(true)
  })

  it('refuses bad configuration with one clear line, and creates nothing', async () => {
    const { code, stdout, stderr, cwd } = await cli(['doctor'], {
      SKILLOS_DATABASE_URL: 'sqlite://./db',
    })
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      'skillos: CONFIG_INVALID: Invalid SkillOS configuration: SKILLOS_DATABASE_URL (database.url): unknown scheme "sqlite:" in "sqlite://./db"; allowed: postgres:, postgresql:, pglite:, memory: (e.g. postgres://user@host:5432/skillos)',
    )
    expect(existsSync(join(cwd, '.skillos'))).toBe(false)
  })

  it('reads the config file named by --config', async () => {
    const { code, stdout } = await cli(
      ['--config', 'ops.yaml', 'doctor'],
      {},
      { 'ops.yaml': 'database:\n  url: memory://\n' },
    )
    expect(code).toBe(0)
    expect(stdout).toContain('ops.yaml')
    expect(stdout).toMatch(/✓ store\s+pglite \(in memory\)/)
  })
})

describe('skillos config', () => {
  it('prints the resolved configuration with secrets masked', async () => {
    const { code, stdout } = await cli(['config'], {
      SKILLOS_DATABASE_URL: 'postgres://app:hunter2@db:5432/skillos',
      SKILLOS_MODEL_API_KEY: 'sk-live-0123456789abcdefghij',
    })
    expect(code).toBe(0)
    const printed = JSON.parse(stdout) as {
      config: { database: { url: string }; model: { apiKey: string } }
    }
    expect(printed.config.database.url).toBe('postgres://app:***@db:5432/skillos')
    expect(printed.config.model.apiKey).toBe('***ghij')
    expect(stdout).not.toContain('hunter2')
  })

  it('exits 2 (bad usage) on an unknown command', async () => {
    const { code, stderr } = await cli(['launch'])
    expect(code).toBe(2)
    expect(stderr).toContain("unknown command 'launch'")
  })
})

describe('skillos policy test', () => {
  const policy = `version: 1
roles:
  analyst: {}
rules:
  - { id: analysts-run, effect: allow, actions: [skill:run], roles: [analyst] }
`
  const cases = (expectSecond: string) => `policies: policy.yaml
principals:
  ann: { id: ann, tenant: acme, roles: [analyst] }
cases:
  - name: an analyst runs a skill
    principal: ann
    action: skill:run
    resource: { id: finance/report, tenant: acme }
    expect: allow
  - name: an analyst reads the audit log
    principal: ann
    action: audit:read
    resource: { id: audit, tenant: acme }
    expect: ${expectSecond}
`

  it('exits 0 when every case passes, printing the summary', async () => {
    const { code, stdout, stderr } = await cli(
      ['policy', 'test', 'cases.yaml'],
      {},
      {
        'policy.yaml': policy,
        'cases.yaml': cases('deny'),
      },
    )
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^2 passed, 0 failed — 2 cases against policy [0-9a-f]{12} \(1 file\)$/)
  })

  it('exits 1 and prints each failing case with what differed', async () => {
    const { code, stdout } = await cli(
      ['policy', 'test', 'cases.yaml', '--verbose'],
      {},
      {
        'policy.yaml': policy,
        'cases.yaml': cases('allow'),
      },
    )
    expect(code).toBe(1)
    expect(stdout.split('\n')).toEqual([
      '✓ an analyst runs a skill',
      '✗ an analyst reads the audit log (cases.yaml:10:5)',
      '    decision: expected allow, got deny',
      '    explanation: Denied by default: no rule allows "audit:read" on "audit" for "ann" (roles: analyst).',
      expect.stringMatching(/^1 passed, 1 failed — 2 cases/),
    ])
  })

  it('tests against the policies given with --policies', async () => {
    const { code, stdout } = await cli(
      ['policy', 'test', 'cases.yaml', '--policies', 'other.yaml'],
      {},
      {
        'policy.yaml': policy,
        'other.yaml': policy.replace('skill:run', 'audit:read'),
        'cases.yaml': cases('allow'),
      },
    )
    expect(code).toBe(1)
    expect(stdout).toContain('✗ an analyst runs a skill (cases.yaml:5:5)')
  })

  it('exits 1 with the place of the problem when the policy does not load', async () => {
    const { code, stdout, stderr } = await cli(
      ['policy', 'test', 'cases.yaml'],
      {},
      {
        'policy.yaml': policy.replace('roles: [analyst]', 'roles: [analyts]'),
        'cases.yaml': cases('deny'),
      },
    )
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      'skillos: VALIDATION_FAILED: Invalid policy: policy.yaml:5:70 rules[0].roles[0]: unknown role "analyts" (did you mean "analyst"?); defined roles: analyst',
    )
  })

  it('passes the example policy shipped with @skillos/policy', async () => {
    const example = fileURLToPath(
      new URL('../../policy/examples/policy-tests.yaml', import.meta.url),
    )
    const { code, stdout } = await cli(['policy', 'test', example])
    expect(code).toBe(0)
    expect(stdout).toMatch(
      /^(\d+) passed, 0 failed — \1 cases against policy [0-9a-f]{12} \(2 files\)$/,
    )
  })
})
