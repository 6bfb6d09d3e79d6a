import type { SearchResponse } from '@skillos/registry'
import { InvalidArgumentError, type Command } from 'commander'
import type { CommandContext } from './cli-io.js'
import { openRegistryContext, parseRegistryOption } from './registry-context.js'
import { runWithHint } from './install-command.js'

function parseLimit(value: string): number {
  const limit = Number(value)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new InvalidArgumentError('a whole number from 1 to 100')
  }
  return limit
}

/** One block per result: id@version, the description, tags, and why it matched. */
export function formatSearch(response: SearchResponse, text: string): string {
  if (response.results.length === 0) {
    return `No skills match "${text}"; try other words, or drop --tag`
  }
  const lines: string[] = []
  for (const result of response.results) {
    const tags = result.tags.length > 0 ? `  [${result.tags.join(', ')}]` : ''
    lines.push(`${result.id}@${result.version}${tags}`)
    if (result.description) lines.push(`    ${result.description}`)
    if (result.deprecated) lines.push(`    ! deprecated: ${result.deprecated}`)
    if (result.why.length > 0) lines.push(`    why: ${result.why.join('; ')}`)
  }
  const shown = response.results.length
  lines.push(
    '',
    shown < response.total
      ? `${shown} of ${response.total} shown; more with --limit or --offset`
      : `${response.total} found`,
  )
  return lines.join('\n')
}

export function registerSearchCommand(program: Command, context: CommandContext): void {
  program
    .command('search')
    .description('find skills on the registry by what they do (full text and meaning)')
    .argument('<text...>', 'what you want a skill to do')
    .option('--tag <tag>', 'only skills with this tag')
    .option('--limit <n>', 'how many results (1–100)', parseLimit, 20)
    .option('--offset <n>', 'skip this many results', (v) => {
      const n = Number(v)
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number ≥ 0')
      return n
    })
    .option(
      '--registry <url>',
      'the registry (default: registry.url from config, SKILLOS_REGISTRY_URL)',
      parseRegistryOption,
    )
    .option('--json', 'print the registry\'s {"total", "results": [{"id", "version", "why", …}]}')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos search convert currency
  acme/convert-currency@1.2.0  [finance, currency]
      Convert an amount of money from one currency to another
      why: matched "convert", "currency" in the description
  $ skillos search "exchange rate" --tag finance --json`,
    )
    .action(
      async (
        words: string[],
        options: {
          tag?: string
          limit: number
          offset?: number
          registry?: string
          json?: boolean
        },
      ) => {
        const { io } = context
        const { config } = await context.loadConfig()
        const registry = await openRegistryContext(io, config, options.registry)
        const url = registry.registryFor()
        const client = await registry.client(url)
        const text = words.join(' ')
        const response = await runWithHint(
          () =>
            client.search({
              q: text,
              ...(options.tag ? { tag: options.tag } : {}),
              limit: options.limit,
              ...(options.offset === undefined ? {} : { offset: options.offset }),
            }),
          url,
        )
        io.stdout(options.json ? JSON.stringify(response, null, 2) : formatSearch(response, text))
      },
    )
}
