import { resolve } from 'node:path'
import type { Command } from 'commander'
import type { CommandContext } from './cli-io.js'
import {
  displayPath,
  formatProblem,
  openSkillOS,
  type LoadedSkill,
  type SkillLoadFailure,
  type SkillProblem,
} from './local-system.js'

export interface ValidateReport {
  ok: boolean
  /** Absolute paths of the roots searched. */
  roots: string[]
  loaded: { id: string; version: string; kind: string; dir: string; warnings: SkillProblem[] }[]
  failed: { dir: string; id?: string; version?: string; problems: SkillProblem[] }[]
}

export function toValidateReport(
  roots: string[],
  loaded: readonly LoadedSkill[],
  failed: readonly SkillLoadFailure[],
): ValidateReport {
  return {
    ok: failed.length === 0 && loaded.length > 0,
    roots,
    loaded: [...loaded]
      .sort((a, b) => a.dir.localeCompare(b.dir))
      .map((s) => ({
        id: s.id,
        version: s.version,
        kind: s.kind,
        dir: s.dir,
        warnings: [...s.warnings],
      })),
    failed: [...failed]
      .sort((a, b) => a.dir.localeCompare(b.dir))
      .map((f) => ({
        dir: f.dir,
        ...(f.id ? { id: f.id } : {}),
        ...(f.version ? { version: f.version } : {}),
        problems: f.problems,
      })),
  }
}

/** One line per skill, its problems and warnings under it, then the count. */
export function formatValidateReport(report: ValidateReport, cwd: string): string {
  const lines: string[] = []
  for (const skill of report.loaded) {
    lines.push(`✓ ${skill.id}@${skill.version}  ${displayPath(skill.dir, cwd)}`)
    for (const warning of skill.warnings) lines.push(`    ! ${formatProblem(warning, cwd)}`)
  }
  for (const failure of report.failed) {
    const name = failure.id ? `${failure.id}${failure.version ? `@${failure.version}` : ''}  ` : ''
    lines.push(`✗ ${name}${displayPath(failure.dir, cwd)}`)
    for (const problem of failure.problems) lines.push(`    ${formatProblem(problem, cwd)}`)
  }
  if (report.loaded.length === 0 && report.failed.length === 0) {
    lines.push(
      `No skill folders (a folder with skill.yaml or SKILL.md) under ${report.roots.map((r) => displayPath(r, cwd)).join(', ')}.`,
    )
  } else {
    lines.push(
      '',
      `${report.loaded.length} loaded, ${report.failed.length} failed${report.failed.length > 0 ? ': fix the problems above (file:line:column field: reason) and run skillos validate again' : ''}`,
    )
  }
  return lines.join('\n')
}

export function registerValidateCommand(program: Command, context: CommandContext): void {
  program
    .command('validate')
    .description(
      'load skill folders as a run would (manifest, handler, schemas, dependencies) without running anything; exits 1 when any skill fails',
    )
    .argument(
      '[paths...]',
      'skill roots or skill folders (default: skills.roots from config, ./skills)',
    )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos validate
  $ skillos validate skills/finance/convert-currency
  $ skillos validate --json

Each problem prints as file:line:column field: reason, e.g.
  skills/finance/convert/skill.yaml:3:10 version: must be a semantic version like 1.2.0`,
    )
    .action(async (paths: string[], options: { json?: boolean }) => {
      const { io } = context
      const { config } = await context.loadConfig()
      const os = await openSkillOS({
        config,
        cwd: io.cwd,
        loadOnly: true,
        ...(paths.length > 0 ? { skills: paths } : {}),
      })
      try {
        const roots = (paths.length > 0 ? paths : config.skills.roots).map((p) =>
          resolve(io.cwd, p),
        )
        const report = toValidateReport(roots, os.loader.list(), os.loader.failures())
        io.stdout(
          options.json ? JSON.stringify(report, null, 2) : formatValidateReport(report, io.cwd),
        )
        if (!report.ok) process.exitCode = 1
      } finally {
        await os.close()
      }
    })
}
