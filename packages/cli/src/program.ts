import { SkillOSError, redactConfig } from '@skillos/contracts'
import { loadConfig, type LoadedConfig } from '@skillos/core'
import { formatPolicyTestReport, runPolicyTests } from '@skillos/policy'
import { Command, CommanderError } from 'commander'
import { registerAccountCommands } from './account-commands.js'
import { registerAddSkillCommand } from './add-skill-command.js'
import type { CliIo } from './cli-io.js'
import { registerDevCommand } from './dev-command.js'
import { runDoctor } from './doctor.js'
import { registerInitCommand } from './init-command.js'
import { registerInstallCommand } from './install-command.js'
import { registerLoginCommands } from './login-command.js'
import { registerManageCommands } from './manage-commands.js'
import { registerOutdatedCommand } from './outdated-command.js'
import { registerPublishCommand } from './publish-command.js'
import { UsageError } from './request-options.js'
import { registerRouteCommand } from './route-command.js'
import { registerRunCommands } from './run-commands.js'
import { registerSearchCommand } from './search-command.js'
import { registerTestCommand } from './skill-tests.js'
import { registerUpdateCommand } from './update-command.js'
import { registerValidateCommand } from './validate-command.js'

export type { CliIo } from './cli-io.js'

const EXAMPLES = `
Examples:
  $ skillos run "convert 250 EUR to RUB"
  $ skillos route "курс доллара" --json
  $ skillos validate
  $ skillos test finance/convert-currency
  $ skillos dev
  $ skillos doctor
  $ skillos init my-skills
  $ skillos add-skill text/word-count
  $ skillos login --registry http://127.0.0.1:4880
  $ skillos publish skills/acme/convert-currency
  $ skillos install acme/convert-currency@^1.2.0
  $ skillos search convert currency
  $ skillos deprecate acme/convert-currency@"<1.2.0" "use 1.2.0 or later"
  $ skillos dist-tag add acme/convert-currency@1.3.0-beta.1 beta
  $ skillos unpublish acme/convert-currency@1.2.1 --yes
  $ skillos token create --read-only --name ci

Exit codes: 0 ok, 1 failed (the message says what to do next), 2 bad usage.
"skillos <command> --help" shows each command's options and examples.`

/** Build the `skillos` program. `io` is injected so tests run it in-process. */
export function createProgram(io: CliIo): Command {
  const program = new Command('skillos')
    .description('Declare, find and safely run skills.')
    .option(
      '-c, --config <file>',
      'config file (default: skillos.config.* in the working directory, or SKILLOS_CONFIG)',
    )
    .showHelpAfterError('(add --help for the options and examples)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .addHelpText('after', EXAMPLES)

  let loaded: Promise<LoadedConfig> | undefined
  const load = () =>
    (loaded ??= loadConfig({
      cwd: io.cwd,
      env: io.env,
      path: program.opts<{ config?: string }>().config,
    }))
  const context = { io, loadConfig: load }

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

  registerRunCommands(program, context)
  registerRouteCommand(program, context)
  registerValidateCommand(program, context)
  registerTestCommand(program, context)
  registerDevCommand(program, context)
  registerAddSkillCommand(program, context)
  registerInitCommand(program, context)
  registerLoginCommands(program, context)
  registerPublishCommand(program, context)
  registerInstallCommand(program, context)
  registerSearchCommand(program, context)
  registerOutdatedCommand(program, context)
  registerUpdateCommand(program, context)
  registerManageCommands(program, context)
  registerAccountCommands(program, context)

  return program
}

/**
 * Run the CLI; returns the exit code: 0 ok, 1 failed, 2 bad usage. SkillOS errors print as one
 * clear message, never a stack.
 */
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
    if (error instanceof UsageError) {
      io.stderr(`skillos: ${error.message}`)
      return 2
    }
    if (error instanceof CommanderError) {
      // Commander has printed the message (and the hint to --help) already.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2
    }
    throw error
  }
}
