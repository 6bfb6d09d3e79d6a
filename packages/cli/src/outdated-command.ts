import { findOutdated, readLockfile, type OutdatedSkill } from '@skillos/registry'
import type { Command } from 'commander'
import type { CommandContext } from './cli-io.js'
import { runWithHint } from './install-command.js'
import { displayPath } from './local-system.js'
import { openRegistryContext } from './registry-context.js'

/** A table: skill, current, wanted (within the recorded range), latest. */
export function formatOutdated(outdated: readonly OutdatedSkill[], lockfile: string): string {
  if (outdated.length === 0) return `Every skill in ${lockfile} is up to date`
  const header = ['skill', 'current', 'wanted', 'latest', 'range']
  const rows = outdated.map((o) => [o.id, o.current, o.wanted, o.latest, o.range])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  const notes = outdated
    .filter((o) => o.deprecated)
    .map((o) => `! ${o.id}@${o.current} is deprecated: ${o.deprecated}`)
  const canUpdate = outdated.some((o) => o.wanted !== o.current)
  return [
    line(header),
    ...rows.map(line),
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
    canUpdate
      ? 'skillos update moves to "wanted"; skillos install <id>@<version> to go past the range'
      : 'Within the recorded ranges nothing is newer; skillos install <id>@<version> to go past them',
  ].join('\n')
}

export function registerOutdatedCommand(program: Command, context: CommandContext): void {
  program
    .command('outdated')
    .description(
      'compare skills-lock.yaml with the registries: the newest version within each range, and latest',
    )
    .option('--json', 'print [{"id", "current", "wanted", "latest", "range", "registry"}] only')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos outdated
  skill                  current  wanted  latest  range
  acme/convert-currency  1.0.0    1.3.0   2.0.0   ^1.0.0
  $ skillos outdated --json

Exit code 0 whether or not something is outdated; 1 when a registry cannot be asked.`,
    )
    .action(async (options: { json?: boolean }) => {
      const { io } = context
      const { config } = await context.loadConfig()
      const registry = await openRegistryContext(io, config, undefined)
      const lockfile = await readLockfile(registry.lockfile)
      const first = Object.values(lockfile.skills)[0]
      const outdated = first
        ? await runWithHint(
            () =>
              findOutdated({ lockfile: registry.lockfile, client: (url) => registry.client(url) }),
            first.registry,
          )
        : []
      io.stdout(
        options.json
          ? JSON.stringify(outdated, null, 2)
          : formatOutdated(outdated, displayPath(registry.lockfile, io.cwd)),
      )
    })
}
