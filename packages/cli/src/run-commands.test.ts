import { PassThrough } from 'node:stream'
import type { RunResult } from '@skillos/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliFixture, type CliFixture } from './cli-fixture.test-data.js'

let fixture: CliFixture
beforeAll(async () => {
  fixture = await createCliFixture()
  await fixture.write('notes.txt', 'Oysters arrive on Tuesday morning\n')
  await fixture.write('prices.xlsx', 'PK\u0003\u0004 not really a spreadsheet')
})
afterAll(() => fixture?.cleanup())

const MEMORY = ['--database', 'memory://']
/** A database that outlives one command, so a later command can answer or approve. */
const KEPT = ['--database', 'pglite://./runs-db']

describe('skillos run', () => {
  it('routes a request and prints status, skill, mode, output, cost and timings; progress on stderr', async () => {
    const { code, stdout, stderr } = await fixture.cli(['run', 'convert 250 EUR to RUB', ...MEMORY])
    expect(code).toBe(0)
    const lines = stdout.split('\n')
    expect(lines.slice(0, 4)).toEqual([
      'status     succeeded',
      'skill      finance/convert@1.0.0',
      'mode       single',
      'output     {',
    ])
    expect(stdout).toMatch(/^ {13}"amount": 25000,?$/m)
    expect(stdout).toContain('cost       $0.0000 · tokens 0 in, 0 out')
    expect(stdout).toMatch(/^time {7}\d+ ms · s1 finance\/convert \d+ ms$/m)
    expect(stdout).toMatch(/^run {8}run_\w+$/m)
    expect(stdout).not.toContain('next')
    expect(stderr.split('\n')).toEqual([
      expect.stringMatching(/^→ routed to finance\/convert@1\.0\.0 \(confidence 0\.\d+\)$/),
      '→ plan single: s1 finance/convert',
      '✓ policy allows skill:run on finance/convert',
      '▶ s1 finance/convert',
      expect.stringMatching(/^✓ s1 finance\/convert \d+ ms$/),
    ])
  })

  it('prints only the RunResult as JSON with --json', async () => {
    const { code, stdout, stderr } = await fixture.cli([
      'run',
      'convert 250 EUR to RUB',
      '--json',
      ...MEMORY,
    ])
    expect(code).toBe(0)
    expect(stderr).toBe('')
    const result = JSON.parse(stdout) as RunResult
    expect(result.status).toBe('succeeded')
    expect(result.skill).toEqual({ id: 'finance/convert', version: '1.0.0' })
    expect(result.output).toEqual({ amount: 25000, rate: 100, from: 'EUR', to: 'RUB' })
    expect(result.trace.at(-1)?.type).toBe('run.completed')
  })

  it('runs the skill named by --skill with --param values, numbers parsed', async () => {
    const { code, stdout } = await fixture.cli([
      'run',
      'convert',
      '--skill',
      'finance/convert@^1.0.0',
      '--param',
      'amount=2',
      '--param',
      'from=USD',
      '-p',
      'to=RUB',
      '--json',
      ...MEMORY,
    ])
    expect(code).toBe(0)
    expect((JSON.parse(stdout) as RunResult).output).toEqual({
      amount: 180,
      rate: 90,
      from: 'USD',
      to: 'RUB',
    })
  })

  it('passes a text --file as document + fileName, and a spreadsheet as documentBase64', async () => {
    const text = await fixture.cli([
      'run',
      'count the words',
      '--skill',
      'text/word-count',
      '--file',
      'notes.txt',
      '--json',
      ...MEMORY,
    ])
    expect(text.code).toBe(0)
    expect((JSON.parse(text.stdout) as RunResult).output).toEqual({
      fileName: 'notes.txt',
      words: 5,
    })
    const binary = await fixture.cli([
      'run',
      'count the bytes',
      '--skill',
      'text/word-count',
      '--file',
      'prices.xlsx',
      '--json',
      ...MEMORY,
    ])
    expect((JSON.parse(binary.stdout) as RunResult).output).toEqual({
      fileName: 'prices.xlsx',
      bytes: 29,
    })
  })

  it('plans a dry run without executing it', async () => {
    const { code, stdout, stderr } = await fixture.cli([
      'run',
      'pay invoice 5',
      '--dry-run',
      ...MEMORY,
    ])
    expect(code).toBe(0)
    expect(stdout).toContain('status     succeeded (dry run: nothing was executed)')
    expect(stdout).toContain('"approvalRequired": true')
    expect(stderr).not.toContain('▶ s1')
  })

  it('prints the whole trace with --debug', async () => {
    const { stdout } = await fixture.cli(['run', 'convert 1 EUR to RUB', '--debug', ...MEMORY])
    const trace = stdout.slice(stdout.indexOf('\ntrace\n') + '\ntrace\n'.length).split('\n')
    expect(trace.map((line) => line.trim().split(/\s+/)[2])).toEqual([
      'run.started',
      'skill.routed',
      'run.analyzed',
      'run.planned',
      'policy.decided',
      'budget.reserved',
      'step.started',
      'step.completed',
      'budget.released',
      'run.completed',
    ])
    expect(trace[0]).toMatch(
      /^\s+\+\d+ ms {2}run\.started {6}\{"principal":"ann","dryRun":false\}$/,
    )
  })

  it('holds before each step with --step, and skips the step on "s"', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true })
    const running = fixture.start(['run', 'convert 3 EUR to RUB', '--step', '--json', ...MEMORY], {
      stdin,
    })
    await expect.poll(() => running.stderr(), { timeout: 30_000 }).toContain('⏸ s1')
    expect(running.stderr()).toBe(
      '⏸ s1 finance/convert@1.0.0 with {"amount":3,"from":"EUR","to":"RUB"}: Enter runs it, s + Enter skips it',
    )
    stdin.write('s\n')
    const { code, stdout } = await running.done
    expect(code).toBe(0)
    const result = JSON.parse(stdout) as RunResult
    expect(result.status).toBe('succeeded')
    expect(result.output).toBeUndefined()
  })

  it('refuses a request no skill fits, exit 1, with the near misses and what to do next', async () => {
    const { code, stdout } = await fixture.cli([
      'run',
      'what will the weather be on Mars tomorrow',
      ...MEMORY,
    ])
    expect(code).toBe(1)
    expect(stdout).toContain('status     refused')
    expect(stdout).toMatch(/^error {6}NO_MATCH: /m)
    expect(stdout).toContain(
      'next       say it another way, name the skill with --skill <id>, or see the candidates with: skillos route "<text>"',
    )
  })

  it('exits 1 naming an unknown skill, and says how to see the skills that loaded', async () => {
    const { code, stdout, stderr } = await fixture.cli([
      'run',
      'convert',
      '--skill',
      'finance/nope',
      ...MEMORY,
    ])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(
      /^skillos: SKILL_NOT_FOUND: .*finance\/nope.*; see which skills loaded, and why others did not, with: skillos validate$/,
    )
  })
})

describe('skillos answer, approve and reject', () => {
  it('continues a run that asked for input with the answer given in a later command', async () => {
    const asked = await fixture.cli(['run', 'find a flight to Paris', ...KEPT])
    expect(asked.code).toBe(0)
    expect(asked.stdout).toContain('status     needs_input')
    expect(asked.stdout).toContain('missing    origin: What is the departure city (origin)?')
    const runId = /^run {8}(run_\w+)$/m.exec(asked.stdout)?.[1] ?? ''
    expect(asked.stdout).toContain(
      `next       skillos answer ${runId} "<your answer>" --database pglite://./runs-db`,
    )

    const done = await fixture.cli(['answer', runId, 'from Moscow', '--json', ...KEPT])
    expect(done.code).toBe(0)
    const result = JSON.parse(done.stdout) as RunResult
    expect(result.runId).toBe(runId)
    expect(result.output).toEqual({ route: 'Moscow → Paris', flights: 3 })

    const again = await fixture.cli(['answer', runId, 'from Rome', ...KEPT])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(
      /^skillos: CONFLICT: Run run_\w+ is succeeded, not waiting for input; /,
    )
  })

  it('says a memory:// run cannot be answered later', async () => {
    const { code, stdout } = await fixture.cli(['run', 'find a flight to Paris', ...MEMORY])
    expect(code).toBe(0)
    expect(stdout).toContain('next       runs in memory:// end with this command')
  })

  it('pauses a risky run for approval; the requester cannot approve it; an approver can', async () => {
    const paused = await fixture.cli(['run', 'pay invoice 42', ...KEPT])
    expect(paused.code).toBe(0)
    expect(paused.stdout).toContain('status     awaiting_approval')
    const approvalId = /^approval {3}(apr_\w+) \(expires /m.exec(paused.stdout)?.[1] ?? ''
    expect(paused.stdout).toContain(
      [
        `next       skillos approve ${approvalId} --user <approver> --roles approver --database pglite://./runs-db`,
        `           skillos reject ${approvalId} --user <approver> --roles approver --database pglite://./runs-db`,
        '           (four eyes: the approver must be someone other than ann)',
      ].join('\n'),
    )

    const self = await fixture.cli(['approve', approvalId, ...KEPT])
    expect(self.code).toBe(1)
    expect(self.stderr.split('\n').at(-1)).toBe(
      'skillos: POLICY_DENIED: ann requested this run and cannot approve it (four-eyes rule); decide as a person the policy allows, other than the requester, e.g. --user <approver> --roles approver',
    )

    const approved = await fixture.cli([
      'approve',
      approvalId,
      '--user',
      'boss',
      '--roles',
      'approver',
      '--comment',
      'ok',
      ...KEPT,
    ])
    expect(approved.code).toBe(0)
    expect(approved.stdout).toContain('status     succeeded')
    expect(approved.stdout).toContain('"reference": "PAY-42"')
    expect(approved.stderr).toContain('✓ approval approved by boss')
  })

  it('ends a rejected run refused, exit 1', async () => {
    const paused = await fixture.cli(['run', 'pay invoice 7', '--json', ...KEPT])
    const approvalId = (JSON.parse(paused.stdout) as RunResult).approval?.id ?? ''
    const { code, stdout } = await fixture.cli([
      'reject',
      approvalId,
      '--user',
      'boss',
      '-m',
      'wrong supplier',
      '--json',
      ...KEPT,
    ])
    expect(code).toBe(1)
    const result = JSON.parse(stdout) as RunResult
    expect(result.status).toBe('refused')
    expect(result.error?.message).toMatch(/wrong supplier/)
  })

  it('says how to find a run that is not there', async () => {
    const { code, stderr } = await fixture.cli(['answer', 'run_nope', 'from Moscow', ...KEPT])
    expect(code).toBe(1)
    expect(stderr).toBe(
      'skillos: NOT_FOUND: Run run_nope not found; check the id, and use the --tenant, --user and --database of the run that asked (see: skillos run --help)',
    )
  })
})

describe('bad usage', () => {
  it.each([
    [['run'], "error: missing required argument 'text'"],
    [['run', 'x', '--param', 'amount'], 'expected key=value, e.g. amount=250 (got "amount")'],
    [['run', 'x', '--skill', 'Convert Money'], 'a skill is "<domain>/<name>"'],
    [['run', 'x', '--tenant', 'Acme Inc'], 'a tenant is a slug'],
    [['run', 'x', '--roles', ' , '], 'give at least one role'],
    [['run', 'x', '--frobnicate'], "error: unknown option '--frobnicate'"],
    [['run', 'x', '--file', 'missing.txt'], 'skillos: --file missing.txt: no such file'],
    [
      ['run', 'x', '--step'],
      'skillos: --step waits for Enter before each step and needs a terminal',
    ],
    [['approve'], "error: missing required argument 'approvalId'"],
    [['launch'], "error: unknown command 'launch'"],
  ])('exits 2 for skillos %j, saying what is wrong', async (args, message) => {
    const { code, stdout, stderr } = await fixture.cli(args)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain(message)
  })

  it('prints help with examples and exits 0', async () => {
    const { code, stdout } = await fixture.cli(['run', '--help'])
    expect(code).toBe(0)
    expect(stdout).toContain('Usage: skillos run [options] <text>')
    expect(stdout).toContain('$ skillos run "convert 250 EUR to RUB"')
    expect(stdout).toContain('Exit codes: 0 succeeded')
  })
})
