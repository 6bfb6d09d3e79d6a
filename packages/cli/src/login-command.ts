import { SkillOSError } from '@skillos/contracts'
import { createRegistryClient, removeCredential, saveCredential } from '@skillos/registry'
import type { Command } from 'commander'
import type { CliIo, CommandContext } from './cli-io.js'
import { openRegistryContext, parseRegistryOption } from './registry-context.js'
import { UsageError } from './request-options.js'

type Stdin = NonNullable<CliIo['stdin']> & { setRawMode?: (raw: boolean) => unknown }

/** Read a secret typed on a terminal without echoing it. */
async function promptHidden(io: CliIo, stdin: Stdin, question: string): Promise<string> {
  io.stderr(question)
  const raw = typeof stdin.setRawMode === 'function'
  if (raw) stdin.setRawMode?.(true)
  let typed = ''
  try {
    return await new Promise<string>((resolvePrompt, reject) => {
      const onData = (chunk: Buffer | string) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n' || char === '\u0004') {
            stdin.off('data', onData)
            resolvePrompt(typed)
            return
          }
          if (char === '\u0003') {
            stdin.off('data', onData)
            reject(new UsageError('login cancelled; nothing was saved'))
            return
          }
          if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1)
          else typed += char
        }
      }
      stdin.on('data', onData)
      stdin.resume()
    })
  } finally {
    if (raw) stdin.setRawMode?.(false)
    stdin.pause()
  }
}

/** Everything piped on stdin (`echo $TOKEN | skillos login …`), first line. */
async function readPiped(stdin: Stdin): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
}

async function readToken(io: CliIo, flag: string | undefined): Promise<string> {
  let token = flag
  if (token === undefined) {
    const stdin = io.stdin as Stdin | undefined
    if (!stdin) throw new UsageError('give the token with --token, or pipe it on stdin')
    token = stdin.isTTY
      ? await promptHidden(io, stdin, 'Registry token (skr_…, input hidden): ')
      : await readPiped(stdin)
  }
  token = token.trim()
  if (token === '' || /\s/.test(token)) {
    throw new UsageError(
      'the token is empty or has spaces in it; paste the skr_… token the registry showed when it was created',
    )
  }
  return token
}

export function registerLoginCommands(program: Command, context: CommandContext): void {
  program
    .command('login')
    .description(
      'save a token for a registry (checked with the registry first); publish and install use it',
    )
    .option(
      '--registry <url>',
      'the registry (default: registry.url from config, SKILLOS_REGISTRY_URL)',
      parseRegistryOption,
    )
    .option('--token <token>', 'the token (default: asked for on a terminal, or read from stdin)')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos login --registry http://127.0.0.1:4880
  Registry token (skr_…, input hidden):
  Logged in to http://127.0.0.1:4880 as alice (publish)
  $ echo "$SKILLOS_TOKEN" | skillos login --registry https://skills.acme.example

The token is kept in $XDG_CONFIG_HOME/skillos/credentials.yaml (or ~/.config/skillos/credentials.yaml),
readable by you only, and never printed. In CI, set SKILLOS_REGISTRY_URL and SKILLOS_REGISTRY_TOKEN instead.`,
    )
    .action(async (options: { registry?: string; token?: string }) => {
      const { io } = context
      const { config } = await context.loadConfig()
      const registry = await openRegistryContext(io, config, options.registry)
      const url = registry.registryFor()
      const token = await readToken(io, options.token)
      const client = createRegistryClient({ url, token, ...(io.fetch ? { fetch: io.fetch } : {}) })
      let who
      try {
        who = await client.whoami()
      } catch (error) {
        if (SkillOSError.is(error, 'UNAUTHENTICATED')) {
          throw new SkillOSError({
            code: 'UNAUTHENTICATED',
            message: `${url} refused this token (mistyped, revoked, or for another registry); nothing was saved`,
            details: { registry: url },
            cause: error,
          })
        }
        throw error
      }
      await saveCredential(registry.credentialsFile, url, { token, user: who.user })
      io.stdout(
        `Logged in to ${url} as ${who.user} (${who.role}); the token is saved in ${registry.credentialsFile}`,
      )
    })

  program
    .command('logout')
    .description('forget the saved token for a registry (it stays valid until revoked)')
    .option(
      '--registry <url>',
      'the registry (default: registry.url from config, SKILLOS_REGISTRY_URL)',
      parseRegistryOption,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ skillos logout --registry http://127.0.0.1:4880

To make a token useless everywhere, revoke it on the registry (DELETE /-/tokens/:id).`,
    )
    .action(async (options: { registry?: string }) => {
      const { io } = context
      const { config } = await context.loadConfig()
      const registry = await openRegistryContext(io, config, options.registry)
      const url = registry.registryFor()
      const removed = await removeCredential(registry.credentialsFile, url)
      io.stdout(removed ? `Logged out of ${url}` : `No saved login for ${url}; nothing to forget`)
    })
}
