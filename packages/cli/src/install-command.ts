import { SkillOSError } from '@skillos/contracts'
import {
  installFromLockfile,
  installSkills,
  readLockfile,
  type InstallOptions,
  type InstallReport,
} from '@skillos/registry'
import type { Command } from 'commander'
import type { CliIo, CommandContext } from './cli-io.js'
import { displayPath } from './local-system.js'
import {
  openRegistryContext,
  parseRegistryOption,
  readTrustedKeys,
  withNextStep,
  type RegistryContext,
} from './registry-context.js'
import { parseSkillRef } from './request-options.js'

/** What `skillos install --json` (and `update --json`) prints. */
export interface InstallJson {
  lockfile: string
  installed: {
    id: string
    version: string
    previous: string | null
    status: 'installed' | 'updated' | 'unchanged'
    integrity: string
    directory: string
    signedBy: string | null
    dependency: boolean
    deprecated: string | null
  }[]
}

export function toInstallJson(report: InstallReport): InstallJson {
  return {
    lockfile: report.lockfile,
    installed: report.installed.map((skill) => ({
      id: skill.id,
      version: skill.version,
      previous: skill.previous ?? null,
      status: skill.status,
      integrity: skill.integrity,
      directory: skill.directory,
      signedBy: skill.signedBy ?? null,
      dependency: skill.dependency ?? false,
      deprecated: skill.deprecated ?? null,
    })),
  }
}

/** One line per skill: `+` installed, `~` updated (from → to), `=` already there. */
export function formatInstallReport(report: InstallReport, cwd: string): string {
  const lines = report.installed.map((skill) => {
    const where = displayPath(skill.directory, cwd)
    const signed = skill.signedBy ? `  signed by ${skill.signedBy}` : ''
    const dependency = skill.dependency ? '  (dependency)' : ''
    const head =
      skill.status === 'updated'
        ? `~ ${skill.id} ${skill.previous} → ${skill.version}`
        : `${skill.status === 'unchanged' ? '=' : '+'} ${skill.id}@${skill.version}`
    const deprecated = skill.deprecated ? [`    ! deprecated: ${skill.deprecated}`] : []
    return [`${head}  ${where}${signed}${dependency}`, ...deprecated].join('\n')
  })
  const changed = report.installed.filter((s) => s.status !== 'unchanged').length
  lines.push(
    '',
    changed > 0
      ? `${changed} installed; ${displayPath(report.lockfile, cwd)} updated`
      : `Nothing to change; ${displayPath(report.lockfile, cwd)} is up to date`,
  )
  return lines.join('\n')
}

/** The options the library's install functions take, from the CLI's registry context. */
export async function installOptionsOf(
  io: CliIo,
  registry: RegistryContext,
  flags: { force?: boolean; deps?: boolean },
): Promise<InstallOptions> {
  return {
    root: registry.installRoot,
    lockfile: registry.lockfile,
    registryFor: (id) => registry.registryFor(id),
    client: (url) => registry.client(url),
    trustedKeys: await readTrustedKeys(registry.config, io.cwd),
    ...(flags.force ? { force: true } : {}),
    ...(flags.deps === false ? { dependencies: false } : {}),
  }
}

export function registerInstallCommand(program: Command, context: CommandContext): void {
  program
    .command('install')
    .alias('i')
    .description(
      'install skills from a registry into the first skills root and record them in skills-lock.yaml; with no ids, install exactly what skills-lock.yaml records',
    )
    .argument(
      '[skills...]',
      'skill ids with an optional range or dist-tag: acme/convert@^1.2.0',
      (value, previous: string[] = []) => [...previous, parseSkillRef(value)],
    )
    .option(
      '--registry <url>',
      'the registry (default: registry.scopes[scope], then registry.url, SKILLOS_REGISTRY_URL)',
      parseRegistryOption,
    )
    .option('--force', 'replace a skill folder that skills-lock.yaml does not record')
    .option('--no-deps', 'do not install the skills a manifest lists under dependencies')
    .option('--json', 'print {"lockfile", "installed": [{"id", "version", "status", …}]} only')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos install acme/convert-currency
  + acme/convert-currency@1.2.0  skills/acme/convert-currency
  $ skillos install acme/convert-currency@^1.1.0 acme/rates@beta
  $ skillos install                       # what skills-lock.yaml records: same versions, same bytes

Every tarball is checked against its sha512 integrity (and, when registry.trustedKeys is set, its
Ed25519 signature) before anything is written; a failure installs nothing and keeps what was there.`,
    )
    .action(
      async (
        skills: string[] = [],
        options: { registry?: string; force?: boolean; deps?: boolean; json?: boolean },
      ) => {
        const { io } = context
        const { config } = await context.loadConfig()
        const registry = await openRegistryContext(io, config, options.registry)
        const install = await installOptionsOf(io, registry, options)
        let report: InstallReport
        if (skills.length === 0) {
          const lockfile = await readLockfile(registry.lockfile)
          const first = Object.values(lockfile.skills)[0]
          if (!first) {
            throw new SkillOSError({
              code: 'NOT_FOUND',
              message: `${displayPath(registry.lockfile, io.cwd)} records no skills; install one with skillos install <scope>/<name>`,
              details: { lockfile: registry.lockfile },
            })
          }
          report = await runWithHint(() => installFromLockfile(install), first.registry)
        } else {
          const target = registry.registryFor(skills[0]?.split('@')[0])
          report = await runWithHint(() => installSkills(skills, install), target)
        }
        io.stdout(
          options.json
            ? JSON.stringify(toInstallJson(report), null, 2)
            : formatInstallReport(report, io.cwd),
        )
      },
    )
}

/** Run a registry operation; an auth error gets the next step (log in, ask for access). */
export async function runWithHint<T>(run: () => Promise<T>, registry: string): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw withNextStep(error, registry)
  }
}
