import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { SkillOSError } from '@skillos/contracts'
import type { Command } from 'commander'
import type { CommandContext } from './cli-io.js'
import { displayPath, openSkillOS } from './local-system.js'

export interface SkillTestRun {
  exitCode: number
  /** stdout and stderr of the test run, interleaved. */
  output: string
}

/** Runs the tests of one skill folder. */
export type SkillTestRunner = (dir: string) => Promise<SkillTestRun>

export interface SkillTestTarget {
  id: string
  dir: string
}

export interface SkillTestResult extends SkillTestTarget, SkillTestRun {
  ok: boolean
  ms: number
}

export interface SkillTestReport {
  ok: boolean
  passed: number
  failed: number
  skills: SkillTestResult[]
}

/** The vitest a skill folder would run: the nearest `node_modules/vitest` at or above it. */
export function findVitest(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const bin = join(at, 'node_modules', 'vitest', 'vitest.mjs')
    if (existsSync(bin)) return bin
    if (dirname(at) === at) return undefined
  }
}

/**
 * `vitest run` in the skill folder, spawned with this Node (no package manager in between, so it
 * works the same under pnpm, npm and npx), without colours, and without the variables of a vitest
 * that may be running us.
 */
export function createVitestRunner(env: Record<string, string | undefined>): SkillTestRunner {
  const childEnv = Object.fromEntries(
    Object.entries(env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_ENV'),
  )
  return (dir) =>
    new Promise((resolvePromise, reject) => {
      const bin = findVitest(dir)
      if (!bin) {
        resolvePromise({
          exitCode: 127,
          output: `vitest is not installed for ${dir}: run pnpm install at the repository root (skill folders are workspace packages)`,
        })
        return
      }
      const child = spawn(process.execPath, [bin, 'run'], {
        cwd: dir,
        env: { ...childEnv, NO_COLOR: '1', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const chunks: Buffer[] = []
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
      child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk))
      child.on('error', reject)
      child.on('close', (code, signal) =>
        resolvePromise({
          exitCode: code ?? (signal ? 128 : 1),
          output: Buffer.concat(chunks).toString('utf8'),
        }),
      )
    })
}

/** Run each target's tests one after another (vitest already uses every core), telling as each starts and ends. */
export async function runSkillTests(
  targets: readonly SkillTestTarget[],
  runner: SkillTestRunner,
  on: {
    start?: (target: SkillTestTarget) => void
    result?: (result: SkillTestResult) => void
  } = {},
): Promise<SkillTestReport> {
  const skills: SkillTestResult[] = []
  for (const target of targets) {
    on.start?.(target)
    const started = performance.now()
    const run = await runner(target.dir)
    const result = { ...target, ...run, ok: run.exitCode === 0, ms: performance.now() - started }
    skills.push(result)
    on.result?.(result)
  }
  const failed = skills.filter((s) => !s.ok).length
  return { ok: failed === 0, passed: skills.length - failed, failed, skills }
}

const TAIL_LINES = 40

/** `✓ id  dir  1.2 s`, and for a failure the end of its output, indented. */
export function formatSkillTestResult(result: SkillTestResult, cwd: string): string {
  const line = `${result.ok ? '✓' : '✗'} ${result.id}  ${displayPath(result.dir, cwd)}  ${(result.ms / 1000).toFixed(1)} s`
  if (result.ok) return line
  const tail = result.output.trimEnd().split('\n').slice(-TAIL_LINES)
  return [line, ...tail.map((l) => `    ${l}`)].join('\n')
}

export function formatSkillTestSummary(report: SkillTestReport): string {
  return `${report.passed} passed, ${report.failed} failed${report.failed > 0 ? ' — run the failing skill’s tests in its folder (pnpm test) to see everything' : ''}`
}

/** The skill folders to test: every one found, or those of the given ids (each version's folder). */
export function selectTargets(
  found: readonly SkillTestTarget[],
  ids: readonly string[],
): SkillTestTarget[] {
  const unique = [...new Map(found.map((t) => [t.dir, t])).values()].sort((a, b) =>
    a.id.localeCompare(b.id),
  )
  if (ids.length === 0) return unique
  const unknown = ids.filter((id) => !unique.some((t) => t.id === id))
  if (unknown.length > 0) {
    throw new SkillOSError({
      code: 'SKILL_NOT_FOUND',
      message: `No skill ${unknown.join(', ')} in the skill folders; found: ${unique.map((t) => t.id).join(', ') || 'none'} (skillos validate lists them)`,
      details: { unknown },
    })
  }
  return unique.filter((t) => ids.includes(t.id))
}

export function registerTestCommand(program: Command, context: CommandContext): void {
  program
    .command('test')
    .description(
      "run each skill folder's own tests (vitest run in the folder) and summarise pass/fail per skill; exits 1 on any failure",
    )
    .argument('[ids...]', 'skill ids to test (default: every skill under the skill roots)')
    .option('--json', 'print the report as JSON (with each run’s output)')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos test
  $ skillos test finance/convert-currency oysters/calculate-margin
  $ skillos test --json`,
    )
    .action(async (ids: string[], options: { json?: boolean }) => {
      const { io } = context
      const { config } = await context.loadConfig()
      const os = await openSkillOS({ config, cwd: io.cwd, loadOnly: true })
      let found: SkillTestTarget[]
      try {
        // A skill that fails to load still has tests worth running: they say why.
        found = [
          ...os.loader.list().map((s) => ({ id: s.id, dir: s.dir })),
          ...os.loader
            .failures()
            .map((f) => ({ id: f.id ?? displayPath(f.dir, io.cwd), dir: f.dir })),
        ]
      } finally {
        await os.close()
      }
      if (found.length === 0) {
        throw new SkillOSError({
          code: 'NOT_FOUND',
          message: `No skill folders (skill.yaml or SKILL.md) under ${config.skills.roots.join(', ')}; nothing to test`,
        })
      }
      const targets = selectTargets(found, ids)
      const runner = io.runSkillTests ?? createVitestRunner(io.env)
      const report = await runSkillTests(
        targets,
        runner,
        options.json
          ? {}
          : {
              start: (target) => io.stderr(`▶ testing ${target.id}`),
              result: (result) => io.stdout(formatSkillTestResult(result, io.cwd)),
            },
      )
      io.stdout(options.json ? JSON.stringify(report, null, 2) : formatSkillTestSummary(report))
      if (!report.ok) process.exitCode = 1
    })
}
