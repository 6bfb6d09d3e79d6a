import { createInterface } from 'node:readline'
import { SkillOSError, ValidationError, semverSchema } from '@skillos/contracts'
import { parseRange, parseSkillSpec, type RegistryClient, type SkillSpec } from '@skillos/registry'
import { InvalidArgumentError, type Command } from 'commander'
import type { CliIo, CommandContext } from './cli-io.js'
import { runWithHint } from './install-command.js'
import { parseTag } from './publish-command.js'
import { loggedInClient, openRegistryContext, parseRegistryOption } from './registry-context.js'
import { UsageError } from './request-options.js'

/** Longest deprecation message the registry keeps. */
const MAX_MESSAGE_LENGTH = 1000

const REGISTRY_HELP =
  'the registry (default: registry.scopes[scope], then registry.url, SKILLOS_REGISTRY_URL)'

/** `scope/name[@range]` as a command argument: a bad one is a usage error naming the argument. */
function parseSpecArgument(value: string): SkillSpec {
  try {
    return parseSkillSpec(value)
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new InvalidArgumentError(error.issues[0]?.message ?? error.message)
    }
    throw error
  }
}

/** `scope/name` with no `@…`. */
function parseIdArgument(value: string): string {
  const spec = parseSpecArgument(value)
  if (spec.range !== undefined) {
    throw new InvalidArgumentError(`give the skill without a version, e.g. ${spec.id}`)
  }
  return spec.id
}

/** `scope/name@1.2.0`: exactly one version. */
function parseExactArgument(value: string): { id: string; version: string } {
  const spec = parseSpecArgument(value)
  if (spec.range === undefined || !semverSchema.safeParse(spec.range).success) {
    throw new InvalidArgumentError(
      `give one exact version after "@", e.g. ${spec.id}@1.2.0${spec.range === undefined ? '' : ` (not "${spec.range}")`}`,
    )
  }
  return { id: spec.id, version: spec.range }
}

/** A word that names a dist-tag rather than a range (`latest` is also the semver-ish `*` to parseRange). */
function looksLikeTag(text: string): boolean {
  if (text === 'latest') return true
  if (!/^[a-z][a-z0-9._-]*$/.test(text)) return false
  try {
    parseRange(text)
    return false
  } catch {
    return true
  }
}

/**
 * The semver range a spec names: its range, or the version its dist-tag points at (`@beta`);
 * undefined when it names none (every version).
 */
async function rangeOf(client: RegistryClient, spec: SkillSpec): Promise<string | undefined> {
  if (spec.range === undefined) return undefined
  if (!looksLikeTag(spec.range)) {
    parseRange(spec.range, `${spec.id}@${spec.range}`)
    return spec.range
  }
  const tags = await client.distTags(spec.id)
  const version = tags[spec.range]
  if (version === undefined) {
    throw new SkillOSError({
      code: 'NOT_FOUND',
      message: `${spec.id} has no dist-tag ${spec.range} (it has ${Object.keys(tags).join(', ') || 'none'}); give a version or a range instead`,
      details: { id: spec.id, tag: spec.range },
    })
  }
  return version
}

/**
 * The registry for a skill (`--registry`, `registry.scopes`, `registry.url`) and a client for it;
 * one that must change something needs a login, and says how to get one before any request.
 */
async function openClient(
  context: CommandContext,
  id: string,
  flag: string | undefined,
  auth: 'login' | 'anonymous' = 'login',
): Promise<{ url: string; client: RegistryClient }> {
  const { config } = await context.loadConfig()
  const registry = await openRegistryContext(context.io, config, flag)
  const url = registry.registryFor(id)
  const client = auth === 'login' ? await loggedInClient(registry, url) : await registry.client(url)
  return { url, client }
}

/** Ask a yes/no question on a terminal; anything but y/yes is no. */
async function confirm(io: CliIo, question: string): Promise<boolean> {
  if (!io.stdin) return false
  io.stderr(question)
  const lines = createInterface({ input: io.stdin, terminal: false })
  try {
    for await (const line of lines) return /^(y|yes)$/i.test(line.trim())
    return false
  } finally {
    lines.close()
  }
}

/** What `skillos deprecate --json` prints. */
export interface DeprecateJson {
  id: string
  registry: string
  /** The range sent (a dist-tag resolved to its version); null: every version. */
  range: string | null
  /** The message set; null when cleared with --undo. */
  message: string | null
  versions: string[]
}

/** What `skillos dist-tag … --json` prints. */
export interface DistTagsJson {
  id: string
  registry: string
  distTags: Record<string, string>
}

/** `latest 1.2.0` lines, latest first, then by name. */
export function formatDistTags(tags: Record<string, string>): string[] {
  return Object.entries(tags)
    .sort(([a], [b]) => (a === 'latest' ? -1 : b === 'latest' ? 1 : a.localeCompare(b)))
    .map(([tag, version]) => `${tag}: ${version}`)
}

/** `skillos deprecate`, `skillos dist-tag ls|add|rm`, `skillos unpublish`. */
export function registerManageCommands(program: Command, context: CommandContext): void {
  program
    .command('deprecate')
    .description(
      'mark published versions as deprecated (install and search warn about them), or clear it with --undo',
    )
    .argument(
      '<spec>',
      'scope/name, scope/name@<version|range|dist-tag> (no "@": every version)',
      parseSpecArgument,
    )
    .argument('[message]', 'why, and what to use instead')
    .option('--undo', 'clear the deprecation of the matching versions')
    .option('--registry <url>', REGISTRY_HELP, parseRegistryOption)
    .option('--json', 'print {"id", "registry", "range", "message", "versions"} only')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos deprecate acme/convert-currency@"<2.0.0" "use acme/convert-money instead"
  deprecated acme/convert-currency@1.0.0, 1.1.0 on http://127.0.0.1:4880
    "use acme/convert-money instead"
  $ skillos deprecate acme/convert-currency@1.1.0 --undo
  undeprecated acme/convert-currency@1.1.0 on http://127.0.0.1:4880`,
    )
    .action(
      async (
        spec: SkillSpec,
        message: string | undefined,
        options: { undo?: boolean; registry?: string; json?: boolean },
      ) => {
        if (options.undo && message !== undefined) {
          throw new UsageError(
            'give either a <message> or --undo: --undo clears the deprecation, a message sets it',
          )
        }
        if (!options.undo && (message === undefined || message.trim() === '')) {
          throw new UsageError(
            'missing <message>: say why the versions are deprecated and what to use instead (or pass --undo to clear a deprecation)',
          )
        }
        if (message !== undefined && message.length > MAX_MESSAGE_LENGTH) {
          throw new UsageError(
            `<message> is ${message.length} characters; the registry keeps at most ${MAX_MESSAGE_LENGTH}`,
          )
        }
        const { url, client } = await openClient(context, spec.id, options.registry)
        const text = options.undo ? '' : message!.trim()
        const { range, versions } = await runWithHint(async () => {
          const range = await rangeOf(client, spec)
          const result = await client.deprecate(spec.id, {
            ...(range === undefined ? {} : { range }),
            message: text,
          })
          return { range, versions: result.versions }
        }, url)
        if (options.json) {
          const json: DeprecateJson = {
            id: spec.id,
            registry: url,
            range: range ?? null,
            message: text === '' ? null : text,
            versions,
          }
          context.io.stdout(JSON.stringify(json, null, 2))
          return
        }
        context.io.stdout(
          [
            `${options.undo ? 'undeprecated' : 'deprecated'} ${spec.id}@${versions.join(', ')} on ${url}`,
            ...(options.undo ? [] : [`  ${JSON.stringify(text)}`]),
          ].join('\n'),
        )
      },
    )

  const distTag = program
    .command('dist-tag')
    .description('list, point and remove the dist-tags (latest, beta, …) of a published skill')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos dist-tag ls acme/convert-currency
  latest: 1.2.0
  beta: 1.3.0-beta.1
  $ skillos dist-tag add acme/convert-currency@1.3.0-beta.2 beta
  $ skillos dist-tag rm acme/convert-currency beta

install resolves a skill without a range to its latest tag, and scope/name@beta to beta.`,
    )

  /** Print the dist-tags after a change (or a listing) as text or --json. */
  const printTags = (
    id: string,
    url: string,
    tags: Record<string, string>,
    text: string,
    json?: boolean,
  ) => {
    const body: DistTagsJson = { id, registry: url, distTags: tags }
    context.io.stdout(json ? JSON.stringify(body, null, 2) : text)
  }

  distTag
    .command('ls')
    .description('list the dist-tags of a skill and the versions they point at')
    .argument('<skill>', 'scope/name', parseIdArgument)
    .option('--registry <url>', REGISTRY_HELP, parseRegistryOption)
    .option('--json', 'print {"id", "registry", "distTags"} only')
    .action(async (id: string, options: { registry?: string; json?: boolean }) => {
      const { url, client } = await openClient(context, id, options.registry, 'anonymous')
      const tags = await runWithHint(() => client.distTags(id), url)
      const lines = formatDistTags(tags)
      printTags(
        id,
        url,
        tags,
        lines.length > 0 ? lines.join('\n') : `${id} has no dist-tags`,
        options.json,
      )
    })

  distTag
    .command('add')
    .description('point a dist-tag at a published version (moving it if it exists)')
    .argument('<skill@version>', 'scope/name@1.2.0', parseExactArgument)
    .argument('<tag>', 'the dist-tag, e.g. beta', parseTag)
    .option('--registry <url>', REGISTRY_HELP, parseRegistryOption)
    .option('--json', 'print {"id", "registry", "distTags"} only')
    .action(
      async (
        target: { id: string; version: string },
        tag: string,
        options: { registry?: string; json?: boolean },
      ) => {
        const { url, client } = await openClient(context, target.id, options.registry)
        const tags = await runWithHint(() => client.setDistTag(target.id, tag, target.version), url)
        printTags(
          target.id,
          url,
          tags,
          `${tag}: ${target.id}@${target.version} on ${url}`,
          options.json,
        )
      },
    )

  distTag
    .command('rm')
    .description('remove a dist-tag (not latest: point latest at another version instead)')
    .argument('<skill>', 'scope/name', parseIdArgument)
    .argument('<tag>', 'the dist-tag, e.g. beta', (value: string) => {
      if (value === 'latest') {
        throw new InvalidArgumentError(
          'latest cannot be removed (install uses it for a skill without a range); point it at another version with skillos dist-tag add <scope/name>@<version> latest',
        )
      }
      return parseTag(value)
    })
    .option('--registry <url>', REGISTRY_HELP, parseRegistryOption)
    .option('--json', 'print {"id", "registry", "distTags"} only')
    .action(async (id: string, tag: string, options: { registry?: string; json?: boolean }) => {
      const { url, client } = await openClient(context, id, options.registry)
      const tags = await runWithHint(() => client.removeDistTag(id, tag), url)
      const left = formatDistTags(tags)
      printTags(
        id,
        url,
        tags,
        `removed dist-tag ${tag} from ${id}${left.length > 0 ? `; left: ${left.join(', ')}` : ''}`,
        options.json,
      )
    })

  program
    .command('unpublish')
    .description(
      'remove one published version (within the registry window, or when nothing depends on it); asks first',
    )
    .argument('<skill@version>', 'scope/name@1.2.0', parseExactArgument)
    .option('-y, --yes', 'do not ask (required when stdin is not a terminal)')
    .option('--registry <url>', REGISTRY_HELP, parseRegistryOption)
    .option('--json', 'print {"id", "version", "registry"} only')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos unpublish acme/convert-currency@1.2.1
  Unpublish acme/convert-currency@1.2.1 from http://127.0.0.1:4880? [y/N] y
  unpublished acme/convert-currency@1.2.1 from http://127.0.0.1:4880
  $ skillos unpublish acme/convert-currency@1.2.1 --yes

The version number stays taken: publish a fixed version as a new number. After the registry's
window (72 h by default) a version other skills depend on cannot be unpublished; deprecate it.`,
    )
    .action(
      async (
        target: { id: string; version: string },
        options: { yes?: boolean; registry?: string; json?: boolean },
      ) => {
        const { io } = context
        const { url, client } = await openClient(context, target.id, options.registry)
        const what = `${target.id}@${target.version}`
        if (!options.yes) {
          if (!io.stdin?.isTTY) {
            throw new UsageError(
              `unpublish removes ${what} for everyone and cannot be undone; add --yes to confirm (stdin is not a terminal to ask on)`,
            )
          }
          const sure = await confirm(
            io,
            `Unpublish ${what} from ${url}? Installs of it will fail and the number cannot be reused. [y/N] `,
          )
          if (!sure) {
            io.stderr(`Kept ${what}; nothing was unpublished`)
            process.exitCode = 1
            return
          }
        }
        await runWithHint(() => client.unpublish(target.id, target.version), url).catch(
          (error: unknown) => {
            throw SkillOSError.is(error, 'CONFLICT') ? unpublishRefused(error, target) : error
          },
        )
        io.stdout(
          options.json
            ? JSON.stringify({ id: target.id, version: target.version, registry: url }, null, 2)
            : `unpublished ${what} from ${url}; the version number stays taken`,
        )
      },
    )
}

/** The registry's refusal (window passed, dependents named), with the command to run instead. */
function unpublishRefused(
  error: SkillOSError,
  target: { id: string; version: string },
): SkillOSError {
  const instead = `skillos deprecate ${target.id}@${target.version} "<why, and what to use instead>"`
  return new SkillOSError({
    code: error.code,
    message: `${error.message}${error.message.includes('deprecate') ? ':' : '; deprecate it instead:'} ${instead}`,
    ...(error.details ? { details: error.details } : {}),
    cause: error,
  })
}
