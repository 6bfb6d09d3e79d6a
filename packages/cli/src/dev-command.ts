import { createInterface } from 'node:readline'
import { SkillOSError, type RunResult } from '@skillos/contracts'
import type { Command } from 'commander'
import type { CommandContext } from './cli-io.js'
import { displayPath, formatProblem, openSkillOS, type SkillLoaderEvent } from './local-system.js'
import {
  UsageError,
  addPrincipalOptions,
  principalOf,
  type PrincipalOptions,
} from './request-options.js'
import { followProgress, followUpFlags } from './run-commands.js'
import { formatRunResult } from './run-report.js'

/** A loader event as one line (a failure with its problems under it). */
export function describeLoaderEvent(event: SkillLoaderEvent, cwd: string): string {
  switch (event.type) {
    case 'skill.loaded':
      return `✓ loaded ${event.skill.id}@${event.skill.version}`
    case 'skill.reloaded':
      return `↻ reloaded ${event.skill.id}@${event.skill.version} (${event.ms.toFixed(0)} ms)`
    case 'skill.removed':
      return `− removed ${event.id}@${event.version}`
    case 'skill.failed': {
      const { failure } = event
      const name = failure.id
        ? `${failure.id}@${failure.version ?? '?'}`
        : displayPath(failure.dir, cwd)
      const kept = failure.kept ? ` (still serving ${failure.kept.id}@${failure.kept.version})` : ''
      return [
        `✗ ${name} failed to load${kept}`,
        ...failure.problems.map((p) => `    ${formatProblem(p, cwd)}`),
      ].join('\n')
    }
  }
}

export function registerDevCommand(program: Command, context: CommandContext): void {
  addPrincipalOptions(
    program
      .command('dev')
      .description(
        'watch the skill folders, reload a skill when its files change, and run each line you type as a request; Ctrl+C quits',
      )
      .option('--debug', 'print the whole trace after each result'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ skillos dev
  > convert 250 EUR to RUB
  $ skillos dev --database memory:// --tenant acme

Edit a skill while it runs: the next request uses the new version; a broken edit keeps the last
working one and prints the problem. When a run asks for input, the next line is the answer.`,
    )
    .action(async (options: PrincipalOptions & { debug?: boolean }) => {
      const { io } = context
      const stdin = io.stdin
      if (!stdin) throw new UsageError('skillos dev reads requests from stdin, and there is none')
      const { config } = await context.loadConfig()
      const os = await openSkillOS({
        config,
        cwd: io.cwd,
        watch: true,
        ...(options.database ? { database: options.database } : {}),
      })
      const lines = createInterface({ input: stdin, terminal: false })
      const quit = () => lines.close()
      process.once('SIGINT', quit)
      const stopLoader = os.loader.on((event) => io.stderr(describeLoaderEvent(event, io.cwd)))
      const stopProgress = followProgress(os, io)
      try {
        await os.loader.ready()
        for (const skill of os.loader.list()) {
          io.stderr(describeLoaderEvent({ type: 'skill.loaded', skill }, io.cwd))
        }
        for (const failure of os.loader.failures()) {
          io.stderr(describeLoaderEvent({ type: 'skill.failed', failure }, io.cwd))
        }
        io.stdout(
          `Watching ${config.skills.roots.join(', ')}: ${os.loader.list().length} loaded, ${os.loader.failures().length} failed. Type a request and press Enter; Ctrl+C quits.`,
        )
        const principal = principalOf(options, io.env)
        const shown = { flags: followUpFlags(options), user: principal.id, interactive: true }
        let asking: RunResult | undefined
        for await (const raw of lines) {
          const line = raw.trim()
          if (line === '' && !asking) continue
          const answering = asking
          asking = undefined
          if (answering && (line === '' || line === '-')) continue
          try {
            const result = answering
              ? await os.answer({
                  tenant: options.tenant,
                  runId: answering.runId,
                  principal,
                  answer: line,
                })
              : await os.run({ input: line, tenant: options.tenant, principal })
            io.stdout(formatRunResult(result, { ...shown, debug: options.debug === true }))
            if (result.status === 'needs_input') asking = result
          } catch (error) {
            // One bad request must not end the session.
            if (!SkillOSError.is(error)) throw error
            io.stderr(`skillos: ${error.code}: ${error.message}`)
          }
        }
      } finally {
        process.removeListener('SIGINT', quit)
        stopProgress()
        stopLoader()
        lines.close()
        await os.close()
      }
      io.stderr('bye')
    })
}
