import { SkillOSError } from '@skillos/contracts'
import type { CreatedToken, ScopeInfo, TokenInfo } from '@skillos/registry'
import { InvalidArgumentError, Option, type Command } from 'commander'
import type { CommandContext } from './cli-io.js'
import { runWithHint } from './install-command.js'
import {
  loggedInClient,
  openRegistryContext,
  parseRegistryOption,
  withNextStep,
} from './registry-context.js'
import { UsageError } from './request-options.js'

const REGISTRY_HELP = 'the registry (default: registry.url from config, SKILLOS_REGISTRY_URL)'
const SCOPE_ROLES = ['reader', 'publisher', 'owner'] as const
type ScopeRole = (typeof SCOPE_ROLES)[number]

function parseScope(value: string): string {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value)) {
    throw new InvalidArgumentError(
      'a scope is lowercase letters, digits and single hyphens, e.g. acme (the part of a skill id before "/")',
    )
  }
  return value
}

function parseUser(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/.test(value)) {
    throw new InvalidArgumentError('a user name is letters, digits and . _ @ - (up to 128)')
  }
  return value
}

function parseTokenName(value: string): string {
  const name = value.trim()
  if (name.length < 1 || name.length > 100) {
    throw new InvalidArgumentError('a token name is 1–100 characters, e.g. ci or laptop')
  }
  return name
}

/** One line per token: id, name, role, user, created (and revoked) dates. */
export function formatTokens(tokens: TokenInfo[]): string {
  if (tokens.length === 0) return 'No tokens; create one with skillos token create'
  return tokens
    .map((token) =>
      [
        token.id,
        token.name,
        token.role,
        token.user,
        `created ${token.createdAt ?? '?'}`,
        ...(token.revokedAt ? [`revoked ${token.revokedAt}`] : []),
      ].join('  '),
    )
    .join('\n')
}

/** The members of a scope, one per line, and its visibility. */
export function formatScope(scope: ScopeInfo, name: string): string {
  const head = `scope ${name}${scope.visibility ? ` (${scope.visibility})` : ''}`
  if (scope.members.length === 0) return `${head}: no members`
  return [head, ...scope.members.map((member) => `  ${member.user}  ${member.role}`)].join('\n')
}

/** `skillos whoami`, `skillos token create|ls|revoke`, `skillos scope members|add-member|rm-member`. */
export function registerAccountCommands(program: Command, context: CommandContext): void {
  /** The registry (for `scope`, when given: registry.scopes[scope] first) and a logged-in client. */
  const open = async (flag: string | undefined, scope?: string, anonymous = false) => {
    const { config } = await context.loadConfig()
    const registry = await openRegistryContext(context.io, config, flag)
    const url = scope === undefined ? registry.registryFor() : registry.registryForScope(scope)
    const client = anonymous ? await registry.client(url) : await loggedInClient(registry, url)
    return { url, client }
  }

  program
    .command('whoami')
    .description('show the user and role of the token used for a registry')
    .option('--registry <url>', REGISTRY_HELP, parseRegistryOption)
    .option('--json', 'print {"user", "role", "registry"} only')
    .action(async (options: { registry?: string; json?: boolean }) => {
      const { url, client } = await open(options.registry)
      const who = await runWithHint(() => client.whoami(), url)
      context.io.stdout(
        options.json
          ? JSON.stringify({ user: who.user, role: who.role, registry: url }, null, 2)
          : `${who.user} (${who.role}) on ${url}`,
      )
    })

  const token = program
    .command('token')
    .description('create, list and revoke registry tokens of the logged-in user')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos token create --read-only --name ci-install
  $ skillos token ls
  $ skillos token revoke 3f6c0d1e-…`,
    )

  token
    .command('create')
    .description('create a token for the logged-in user; it is printed once, never again')
    .option('--read-only', 'a read token (install and search only); default: publish')
    .option('--name <name>', 'what the token is for, shown by token ls', parseTokenName, 'cli')
    .option('--registry <url>', REGISTRY_HELP, parseRegistryOption)
    .option('--json', 'print {"id", "name", "role", "user", "createdAt", "token"} only')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos token create --read-only --name ci-install
  created token 3f6c0d1e-… "ci-install" (read) for alice on http://127.0.0.1:4880
  skr_…
  Store it now: it is not shown again. Revoke it with skillos token revoke 3f6c0d1e-…`,
    )
    .action(
      async (options: { readOnly?: boolean; name: string; registry?: string; json?: boolean }) => {
        const { url, client } = await open(options.registry)
        const role = options.readOnly ? 'read' : 'publish'
        let created: CreatedToken
        try {
          created = await client.createToken({ name: options.name, role })
        } catch (error) {
          // Not "ask a scope owner": a token creates tokens up to its own role only.
          if (!SkillOSError.is(error, 'PERMISSION_DENIED') || options.readOnly) {
            throw withNextStep(error, url)
          }
          throw new SkillOSError({
            code: error.code,
            message: `${error.message}; pass --read-only, or log in with a publish token`,
            ...(error.details ? { details: error.details } : {}),
            cause: error,
          })
        }
        if (options.json) {
          context.io.stdout(JSON.stringify({ ...created, registry: url }, null, 2))
          return
        }
        context.io.stdout(
          [
            `created token ${created.id} "${created.name}" (${created.role}) for ${created.user} on ${url}`,
            created.token,
            `Store it now: it is not shown again. Revoke it with skillos token revoke ${created.id}`,
          ].join('\n'),
        )
      },
    )

  token
    .command('ls')
    .description('list your tokens (never their secrets), revoked ones marked')
    .option('--registry <url>', REGISTRY_HELP, parseRegistryOption)
    .option('--json', 'print the registry\'s [{"id", "name", "role", "user", "createdAt", …}]')
    .action(async (options: { registry?: string; json?: boolean }) => {
      const { url, client } = await open(options.registry)
      const tokens = await runWithHint(() => client.listTokens(), url)
      context.io.stdout(options.json ? JSON.stringify(tokens, null, 2) : formatTokens(tokens))
    })

  token
    .command('revoke')
    .description('revoke a token by its id (from token ls): it stops working at once')
    .argument('<id>', 'the token id (from skillos token ls; not the secret)')
    .option('--registry <url>', REGISTRY_HELP, parseRegistryOption)
    .option('--json', 'print {"id", "registry", "revoked": true} only')
    .action(async (id: string, options: { registry?: string; json?: boolean }) => {
      // Checked here, not by commander: its error would echo the secret back.
      if (id.startsWith('skr_')) {
        throw new UsageError(
          'token revoke takes the token id shown by skillos token ls, not the secret itself (which is not echoed here)',
        )
      }
      const { url, client } = await open(options.registry)
      await runWithHint(() => client.revokeToken(id), url)
      context.io.stdout(
        options.json
          ? JSON.stringify({ id, registry: url, revoked: true }, null, 2)
          : `revoked token ${id} on ${url}`,
      )
    })

  const scope = program
    .command('scope')
    .description('list and change who may read, publish in and own a scope')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos scope members acme
  $ skillos scope add-member acme bob --role publisher
  $ skillos scope rm-member acme bob

Roles: reader (reads a private scope), publisher (publishes, tags, deprecates), owner (also manages members).`,
    )

  const printScope = (info: ScopeInfo, name: string, url: string, line: string, json?: boolean) =>
    context.io.stdout(
      json
        ? JSON.stringify({ ...info, registry: url }, null, 2)
        : [line, formatScope(info, name)].filter(Boolean).join('\n'),
    )

  scope
    .command('members')
    .description('list the members of a scope and their roles')
    .argument('<scope>', 'the scope, e.g. acme', parseScope)
    .option('--registry <url>', REGISTRY_HELP, parseRegistryOption)
    .option('--json', 'print the scope {"scope", "visibility", "members", …} only')
    .action(async (name: string, options: { registry?: string; json?: boolean }) => {
      // A public scope's members are readable without a login; a private one answers 404 then.
      const { url, client } = await open(options.registry, name, true)
      const info = await runWithHint(() => client.scope(name), url)
      printScope(info, name, url, '', options.json)
    })

  scope
    .command('add-member')
    .description('add a user to a scope, or change their role (owners only)')
    .argument('<scope>', 'the scope, e.g. acme', parseScope)
    .argument('<user>', 'the user name', parseUser)
    .addOption(
      new Option('--role <role>', 'their role in the scope')
        .choices(SCOPE_ROLES)
        .makeOptionMandatory(),
    )
    .option('--registry <url>', REGISTRY_HELP, parseRegistryOption)
    .option('--json', 'print the scope {"scope", "visibility", "members", …} only')
    .action(
      async (
        name: string,
        user: string,
        options: { role: ScopeRole; registry?: string; json?: boolean },
      ) => {
        const { url, client } = await open(options.registry, name)
        const info = await runWithHint(() => client.setMember(name, user, options.role), url)
        printScope(
          info,
          name,
          url,
          `${user} is now ${options.role} of scope ${name} on ${url}`,
          options.json,
        )
      },
    )

  scope
    .command('rm-member')
    .description('remove a user from a scope (a scope keeps at least one owner)')
    .argument('<scope>', 'the scope, e.g. acme', parseScope)
    .argument('<user>', 'the user name', parseUser)
    .option('--registry <url>', REGISTRY_HELP, parseRegistryOption)
    .option('--json', 'print the scope {"scope", "visibility", "members", …} only')
    .action(async (name: string, user: string, options: { registry?: string; json?: boolean }) => {
      const { url, client } = await open(options.registry, name)
      const info = await runWithHint(() => client.removeMember(name, user), url)
      printScope(info, name, url, `removed ${user} from scope ${name} on ${url}`, options.json)
    })
}
