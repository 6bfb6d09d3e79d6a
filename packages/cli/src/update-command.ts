import { SkillOSError } from '@skillos/contracts'
import { readLockfile, updateSkills } from '@skillos/registry'
import type { Command } from 'commander'
import type { CommandContext } from './cli-io.js'
import {
  formatInstallReport,
  installOptionsOf,
  runWithHint,
  toInstallJson,
} from './install-command.js'
import { displayPath } from './local-system.js'
import { openRegistryContext } from './registry-context.js'

export function registerUpdateCommand(program: Command, context: CommandContext): void {
  program
    .command('update')
    .description(
      'move installed skills (all, or those named) to the newest version their recorded range allows',
    )
    .argument('[ids...]', 'skill ids from skills-lock.yaml (default: all)')
    .option(
      '--json',
      'print {"lockfile", "installed": [{"id", "version", "previous", "status", …}]}',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ skillos update
  ~ acme/convert-currency 1.0.0 → 1.3.0  skills/acme/convert-currency
  = acme/rates@2.1.0  skills/acme/rates
  $ skillos update acme/convert-currency --json

The same checks as install: integrity (and signatures with registry.trustedKeys) before anything
is written. To go past a range, skillos install <id>@<range>.`,
    )
    .action(async (ids: string[], options: { json?: boolean }) => {
      const { io } = context
      const { config } = await context.loadConfig()
      const registry = await openRegistryContext(io, config, undefined)
      const lockfile = await readLockfile(registry.lockfile)
      const first = Object.values(lockfile.skills)[0]
      if (!first) {
        throw new SkillOSError({
          code: 'NOT_FOUND',
          message: `${displayPath(registry.lockfile, io.cwd)} records no skills to update; install one with skillos install <scope>/<name>`,
          details: { lockfile: registry.lockfile },
        })
      }
      const install = await installOptionsOf(io, registry, {})
      const report = await runWithHint(() => updateSkills(ids, install), first.registry)
      io.stdout(
        options.json
          ? JSON.stringify(toInstallJson(report), null, 2)
          : formatInstallReport(report, io.cwd),
      )
    })
}
