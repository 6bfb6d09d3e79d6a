import { createInterface } from 'node:readline'
import { SkillOSError, type RunResult } from '@skillos/contracts'
import type { RunHooks, SkillOS } from '@skillos/core'
import type { Command } from 'commander'
import type { CliIo, CommandContext } from './cli-io.js'
import { displayPath, openSkillOS } from './local-system.js'
import {
  DEFAULT_TENANT,
  UsageError,
  addPrincipalOptions,
  collectParam,
  parseSkillRef,
  principalOf,
  readRequestFile,
  type PrincipalOptions,
} from './request-options.js'
import { describeEvent, exitCodeOf, formatRunResult } from './run-report.js'

interface OutputOptions {
  json?: boolean
  debug?: boolean
}

interface RunOptions extends PrincipalOptions, OutputOptions {
  skill?: string
  param?: Record<string, unknown>
  file?: string
  dryRun?: boolean
  step?: boolean
}

const RUN_EXAMPLES = `
Examples:
  $ skillos run "convert 250 EUR to RUB"
  $ skillos run "pay invoice 42" --dry-run
  $ skillos run "convert" --skill finance/convert-currency@^1 --param amount=250 --param from=EUR --param to=RUB
  $ skillos run "compare these prices" --file prices.xlsx --json
  $ skillos run "rate of USD, then format it" --debug

Exit codes: 0 succeeded, or waiting for a person (needs_input: answer with "skillos answer";
awaiting_approval: decide with "skillos approve"/"skillos reject"); 1 failed or refused; 2 bad usage.`

/** Open the orchestrator for one command, and close it whatever happens. */
async function withSkillOS<T>(
  context: CommandContext,
  options: PrincipalOptions & { json?: boolean },
  work: (os: SkillOS, database: string) => Promise<T>,
): Promise<T> {
  const { config } = await context.loadConfig()
  const database = options.database ?? config.database.url
  const os = await openSkillOS({
    config,
    cwd: context.io.cwd,
    ...(options.database ? { database: options.database } : {}),
  })
  try {
    const failures = os.loader.failures()
    if (failures.length > 0 && !options.json) {
      context.io.stderr(
        `! ${failures.length} skill folder(s) failed to load and are skipped: ${failures.map((f) => displayPath(f.dir, context.io.cwd)).join(', ')}; see why with: skillos validate`,
      )
    }
    return await work(os, database)
  } finally {
    await os.close()
  }
}

/** Progress lines on stderr while a run works; returns the unsubscribe. */
export function followProgress(os: SkillOS, io: CliIo): () => void {
  return os.on((event) => {
    const line = describeEvent(event)
    if (line) io.stderr(line)
  })
}

/** `--step`: hold before each step until Enter; `s` + Enter skips the step. */
function stepThrough(io: CliIo): { hooks: RunHooks; close: () => void } {
  if (!io.stdin?.isTTY) {
    throw new UsageError(
      '--step waits for Enter before each step and needs a terminal on stdin; use --debug to see the trace instead',
    )
  }
  const lines = createInterface({ input: io.stdin, terminal: false })
  const next = lines[Symbol.asyncIterator]()
  return {
    hooks: {
      beforeStep: async (step) => {
        io.stderr(
          `⏸ ${step.step} ${step.skill.id}@${step.skill.version} with ${JSON.stringify(step.params)}: Enter runs it, s + Enter skips it`,
        )
        const line = await next.next()
        // End of input (Ctrl+D): stop holding and run the rest.
        return !line.done && line.value.trim().toLowerCase() === 's' ? 'skip' : undefined
      },
    },
    close: () => lines.close(),
  }
}

/** Flags a follow-up command must repeat to find the same run. */
export function followUpFlags(options: PrincipalOptions): string {
  return [
    options.tenant !== DEFAULT_TENANT ? ` --tenant ${options.tenant}` : '',
    options.database ? ` --database ${options.database}` : '',
  ].join('')
}

function printResult(
  result: RunResult,
  options: PrincipalOptions & OutputOptions,
  io: CliIo,
  database: string,
): void {
  io.stdout(
    options.json
      ? JSON.stringify(result, null, 2)
      : formatRunResult(result, {
          flags: followUpFlags(options),
          user: principalOf(options, io.env).id,
          debug: options.debug === true,
          ephemeral: database.startsWith('memory:'),
        }),
  )
  process.exitCode = exitCodeOf(result.status)
}

/** The same error, with what to do next appended to its message. */
function withNextStep(error: unknown, next: Partial<Record<string, string>>): unknown {
  if (!SkillOSError.is(error)) return error
  const hint = next[error.code]
  if (!hint) return error
  return new SkillOSError({
    code: error.code,
    message: `${error.message}; ${hint}`,
    ...(error.details ? { details: error.details } : {}),
    cause: error,
  })
}

const CONTINUE_HINTS = {
  NOT_FOUND:
    'check the id, and use the --tenant, --user and --database of the run that asked (see: skillos run --help)',
  CONFLICT: 'see its state with: skillos run … --json, or start a new run',
}

const DECIDE_HINTS = {
  ...CONTINUE_HINTS,
  POLICY_DENIED:
    'decide as a person the policy allows, other than the requester, e.g. --user <approver> --roles approver',
}

/** `run`, `answer`, `approve` and `reject`: everything that starts or moves a run. */
export function registerRunCommands(program: Command, context: CommandContext): void {
  const { io } = context

  addPrincipalOptions(
    program
      .command('run')
      .description(
        'run a request: route it to a skill (or --skill), check policy and budget, execute it, show the result',
      )
      .argument('<text>', 'the request in words, English or Russian')
      .option('-s, --skill <id[@range]>', 'run this skill instead of routing', parseSkillRef)
      .option(
        '-p, --param <key=value>',
        'a parameter; repeatable; numbers are parsed; wins over the text',
        collectParam,
      )
      .option(
        '-f, --file <path>',
        'a file for the skill: text → params document + fileName; .xlsx or other binary → documentBase64 + fileName',
      )
      .option('--dry-run', 'route, fill, check policy and budget, execute nothing')
      .option('--debug', 'print the whole trace (every event, with times) after the result')
      .option('--step', 'hold before each step until Enter (s + Enter skips it); needs a terminal')
      .option('--json', 'print the RunResult as JSON and nothing else'),
  )
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (text: string, options: RunOptions) => {
      const stepper = options.step ? stepThrough(io) : undefined
      try {
        const params = {
          ...(options.file ? await readRequestFile(options.file, io.cwd) : {}),
          ...options.param,
        }
        await withSkillOS(context, options, async (os, database) => {
          const stop = options.json ? undefined : followProgress(os, io)
          try {
            const result = await os
              .run(
                {
                  input: text,
                  tenant: options.tenant,
                  principal: principalOf(options, io.env),
                  ...(options.skill ? { skill: options.skill } : {}),
                  ...(Object.keys(params).length > 0 ? { params } : {}),
                  dryRun: options.dryRun === true,
                },
                stepper?.hooks,
              )
              .catch((error: unknown) => {
                throw withNextStep(error, {
                  SKILL_NOT_FOUND:
                    'see which skills loaded, and why others did not, with: skillos validate',
                })
              })
            printResult(result, options, io, database)
          } finally {
            stop?.()
          }
        })
      } finally {
        stepper?.close()
      }
    })

  addPrincipalOptions(
    program
      .command('answer')
      .description('continue a run that asked for input (needs_input) with your answer')
      .argument('<runId>', 'the run that asked (printed by skillos run)')
      .argument('<text>', 'the answer in words, e.g. "from Moscow"')
      .option('--debug', 'print the whole trace after the result')
      .option('--json', 'print the RunResult as JSON and nothing else'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ skillos run "find a flight to Paris"          # needs_input: What is the departure city?
  $ skillos answer run_mwpv0c2a1b "from Moscow"`,
    )
    .action(async (runId: string, text: string, options: PrincipalOptions & OutputOptions) => {
      await withSkillOS(context, options, async (os, database) => {
        const stop = options.json ? undefined : followProgress(os, io)
        try {
          const result = await os
            .answer({
              tenant: options.tenant,
              runId,
              principal: principalOf(options, io.env),
              answer: text,
            })
            .catch((error: unknown) => {
              throw withNextStep(error, CONTINUE_HINTS)
            })
          printResult(result, options, io, database)
        } finally {
          stop?.()
        }
      })
    })

  for (const decision of ['approve', 'reject'] as const) {
    addPrincipalOptions(
      program
        .command(decision)
        .description(
          decision === 'approve'
            ? 'approve a run waiting for approval (awaiting_approval); it then runs. Four eyes: not the requester'
            : 'reject a run waiting for approval; it ends refused without running',
        )
        .argument('<approvalId>', 'the approval (apr_…, printed by skillos run)')
        .option('-m, --comment <text>', 'why, stored with the decision')
        .option('--debug', 'print the whole trace after the result')
        .option('--json', 'print the RunResult as JSON and nothing else'),
    )
      .addHelpText(
        'after',
        `
Examples:
  $ skillos ${decision} apr_x7k2m9 --user boss --roles approver${decision === 'reject' ? ' --comment "wrong supplier"' : ''}
  $ skillos ${decision} apr_x7k2m9 --user boss --roles approver --tenant acme --json`,
      )
      .action(
        async (
          approvalId: string,
          options: PrincipalOptions & OutputOptions & { comment?: string },
        ) => {
          await withSkillOS(context, options, async (os, database) => {
            const stop = options.json ? undefined : followProgress(os, io)
            try {
              const request = {
                tenant: options.tenant,
                approvalId,
                principal: principalOf(options, io.env),
                ...(options.comment ? { comment: options.comment } : {}),
              }
              const result = await (
                decision === 'approve' ? os.approve(request) : os.reject(request)
              ).catch((error: unknown) => {
                throw withNextStep(error, DECIDE_HINTS)
              })
              printResult(result, options, io, database)
            } finally {
              stop?.()
            }
          })
        },
      )
  }
}
