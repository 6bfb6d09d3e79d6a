import type { Command } from 'commander'
import type { CommandContext } from './cli-io.js'
import { openSkillOS, type RouteResult } from './local-system.js'
import { DEFAULT_TENANT, parseTenant } from './request-options.js'

/** What `skillos route --json` prints, and nothing else. */
export interface RouteJson {
  skill: string | null
  confidence: number
  candidates: { id: string; score: number }[]
}

const round3 = (n: number) => Math.round(n * 1000) / 1000 || 0

/** The route as `{ skill, confidence, candidates: [{ id, score }] }`, numbers to 3 decimals. */
export function toRouteJson(route: RouteResult): RouteJson {
  return {
    skill: route.skill,
    confidence: round3(route.confidence),
    candidates: route.candidates.map((c) => ({ id: c.id, score: round3(c.score) })),
  }
}

/** The route as a table: the chosen skill, then every candidate with its score and confidence. */
export function formatRoute(route: RouteResult): string {
  const head = route.skill
    ? `→ ${route.skill} (confidence ${round3(route.confidence)})`
    : `✗ no skill is confident enough (best confidence ${round3(route.confidence)}); name one with skillos run --skill <id>`
  if (route.candidates.length === 0)
    return `${head}\n  no candidates: is any skill loaded? (skillos validate)`
  const width = Math.max(...route.candidates.map((c) => c.id.length), 'skill'.length)
  const rows = route.candidates.map(
    (c, i) =>
      `  ${String(i + 1).padStart(2)}  ${c.id.padEnd(width)}  ${round3(c.score).toFixed(3).padStart(7)}  ${round3(c.confidence).toFixed(3).padStart(10)}`,
  )
  return [
    head,
    '',
    `  ${'#'.padStart(2)}  ${'skill'.padEnd(width)}  ${'score'.padStart(7)}  ${'confidence'.padStart(10)}`,
    ...rows,
  ].join('\n')
}

export function registerRouteCommand(program: Command, context: CommandContext): void {
  program
    .command('route')
    .description('show which skill a request would run, with the candidates; runs nothing')
    .argument('<text>', 'the request in words')
    .option(
      '--tenant <slug>',
      'route among shared skills and this tenant’s',
      parseTenant,
      DEFAULT_TENANT,
    )
    .option(
      '--json',
      'print {"skill", "confidence", "candidates": [{"id", "score"}]} and nothing else',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ skillos route "convert 250 EUR to RUB"
  $ skillos route "курс доллара" --json
  {"skill": "finance/exchange-rates", "confidence": 0.97, "candidates": [{"id": "finance/exchange-rates", "score": 1.2}, …]}

Exit code 0 whether or not a skill matches ("skill": null); 1 when the skills cannot be loaded.`,
    )
    .action(async (text: string, options: { tenant: string; json?: boolean }) => {
      const { config } = await context.loadConfig()
      const os = await openSkillOS({ config, cwd: context.io.cwd, loadOnly: true })
      try {
        const route = await os.route(text, { tenant: options.tenant })
        context.io.stdout(
          options.json ? JSON.stringify(toRouteJson(route), null, 2) : formatRoute(route),
        )
      } finally {
        await os.close()
      }
    })
}
