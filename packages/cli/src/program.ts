import { SkillOSError, redactConfig } from '@skillos/contracts'
import { loadConfig } from '@skillos/core'
import { formatPolicyTestReport, runPolicyTests } from '@skillos/policy'
import { Command } from 'commander'
import { runDoctor } from './doctor.js'

export interface CliIo {
  cwd: string
  env: Record<string, string | undefined>
  stdout: (text: string) => void
  stderr: (text: string) => void
}

/** Build the `skillos` program. `io` is injected so tests run it in-process. */
export function createProgram(io: CliIo): Command {
  const program = new Command('skillos')
    .description('Declare, find and safely run skills.')
    .option(
      '-c, --config <file>',
      'config file (default: skillos.config.* in the working directory, or SKILLOS_CONFIG)',
    )
    .showHelpAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()

  const load = () =>
    loadConfig({ cwd: io.cwd, env: io.env, path: program.opts<{ config?: string }>().config })

  program
    .command('doctor')
    .description('check the store and key-value adapters in use and print the system status')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const { config, file } = await load()
      const { report, text } = await runDoctor(config, file, io.cwd)
      io.stdout(options.json ? JSON.stringify(report, null, 2) : text)
      if (!report.ok) process.exitCode = 1
    })

  program
    .command('config')
    .description('print the resolved configuration, secrets masked')
    .action(async () => {
      const { config, file } = await load()
      io.stdout(JSON.stringify({ file: file ?? null, config: redactConfig(config) }, null, 2))
    })

  const policy = program.command('policy').description('check and test access policies')
  policy
    .command('test')
    .description(
      'run a YAML file of policy test cases (principal, action, resource, context → expected decision); exits 1 when any case fails',
    )
    .argument('<cases>', 'the YAML file of cases')
    .option(
      '-p, --policies <paths...>',
      'policy file(s) or folder(s) (default: the "policies" the cases file names, relative to it)',
    )
    .option('--verbose', 'list the passing cases too')
    .action(async (cases: string, options: { policies?: string[]; verbose?: boolean }) => {
      const report = await runPolicyTests({
        casesFile: cases,
        cwd: io.cwd,
        ...(options.policies ? { policyPaths: options.policies } : {}),
      })
      io.stdout(formatPolicyTestReport(report, { showPassed: options.verbose === true }))
      if (report.failed > 0) process.exitCode = 1
    })

  return program
}

/** Run the CLI; returns the exit code. SkillOS errors print as one clear message, never a stack. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = createProgram(io)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (error) {
    if (SkillOSError.is(error)) {
      io.stderr(`skillos: ${error.code}: ${error.message}`)
      return 1
    }
    const code = (error as { code?: string }).code
    if (typeof code === 'string' && code.startsWith('commander.')) {
      return code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : 1
    }
    throw error
  }
}
