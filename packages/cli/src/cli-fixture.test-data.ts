import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CliIo } from './cli-io.js'
import { runCli } from './program.js'

const NODE_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url))

/** Tiny real skills: JSON is YAML, so each manifest is written as JSON. */
export const SKILLS: Record<string, { manifest: Record<string, unknown>; handler: string }> = {
  'finance/convert': {
    manifest: {
      name: 'Convert currency',
      description: 'Convert an amount of money from one currency to another at the current rate',
      tags: ['finance', 'currency'],
      examples: ['convert 100 EUR to RUB', 'how much is 50 USD in euro'],
      input: {
        type: 'object',
        properties: {
          amount: { type: 'number', minimum: 0 },
          from: { type: 'string', format: 'currency' },
          to: { type: 'string', format: 'currency' },
        },
        required: ['amount', 'from', 'to'],
      },
    },
    handler: `const RATES: Record<string, number> = { EUR: 100, USD: 90, RUB: 1 }
export default {
  handler: ({ amount, from, to }: { amount: number; from: string; to: string }) => {
    const rate = (RATES[from] ?? 0) / (RATES[to] ?? 1)
    return { amount: amount * rate, rate, from, to }
  },
}
`,
  },
  'travel/flights': {
    manifest: {
      name: 'Search flights',
      description: 'Search flights between two cities',
      tags: ['travel'],
      examples: ['flights from Moscow to Dubai', 'find a flight to Paris'],
      input: {
        type: 'object',
        properties: {
          origin: { type: 'string', description: 'departure city' },
          destination: { type: 'string', description: 'arrival city' },
        },
        required: ['origin', 'destination'],
      },
    },
    handler: `export default {
  handler: ({ origin, destination }: { origin: string; destination: string }) => ({ route: origin + ' → ' + destination, flights: 3 }),
}
`,
  },
  'finance/pay-invoice': {
    manifest: {
      name: 'Pay invoice',
      description: 'Pay a supplier invoice by bank transfer',
      tags: ['finance', 'payment'],
      examples: ['pay invoice 42', 'оплати счет 42'],
      risk: 'high',
      sideEffects: 'payment',
      input: {
        type: 'object',
        properties: { invoice: { type: 'integer', description: 'invoice number' } },
        required: ['invoice'],
      },
      approval: { mode: 'on-risk', approvers: ['approver'] },
    },
    handler: `export default {
  handler: ({ invoice }: { invoice: number }) => ({ paid: invoice, reference: 'PAY-' + invoice }),
}
`,
  },
  'text/word-count': {
    manifest: {
      name: 'Word count',
      description: 'Count the words of a text document or the bytes of a binary file',
      tags: ['text'],
      examples: ['count the words in this document'],
      input: {
        type: 'object',
        properties: {
          document: { type: 'string' },
          documentBase64: { type: 'string' },
          fileName: { type: 'string' },
        },
      },
    },
    handler: `export default {
  handler: ({ document, documentBase64, fileName }: { document?: string; documentBase64?: string; fileName?: string }) =>
    document !== undefined
      ? { fileName, words: document.split(/\\s+/).filter(Boolean).length }
      : { fileName, bytes: Buffer.from(documentBase64 ?? '', 'base64').length },
}
`,
  },
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export interface RunningCli {
  done: Promise<CliResult>
  /** What it printed so far. */
  stdout(): string
  stderr(): string
}

export interface CliFixture {
  /** The working directory: `skills/` (the default root) holds SKILLS. */
  base: string
  cli(args: string[], io?: Partial<CliIo>): Promise<CliResult>
  /** Start a long-running command (`dev`) and watch what it prints. */
  start(args: string[], io?: Partial<CliIo>): RunningCli
  write(path: string, text: string): Promise<void>
  cleanup(): Promise<void>
}

/** A temp working directory with the test skills, and a way to run the CLI in-process in it. */
export async function createCliFixture(): Promise<CliFixture> {
  const base = await mkdtemp(join(tmpdir(), 'skillos-cli-'))
  // Skill handlers and spawned tests resolve packages (vitest) from here.
  await symlink(NODE_MODULES, join(base, 'node_modules'), 'dir')
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(base, path)), { recursive: true })
    await writeFile(join(base, path), text)
  }
  for (const [id, skill] of Object.entries(SKILLS)) {
    await write(
      `skills/${id}/skill.yaml`,
      JSON.stringify({ id, version: '1.0.0', ...skill.manifest }, null, 2),
    )
    await write(`skills/${id}/index.ts`, skill.handler)
  }
  const start = (args: string[], io: Partial<CliIo> = {}): RunningCli => {
    const out: string[] = []
    const err: string[] = []
    const done = runCli(args, {
      cwd: base,
      env: { USER: 'ann' },
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      ...io,
    }).then((code) => {
      process.exitCode = undefined
      return { code, stdout: out.join('\n'), stderr: err.join('\n') }
    })
    return { done, stdout: () => out.join('\n'), stderr: () => err.join('\n') }
  }
  return {
    base,
    write,
    start,
    cli: (args, io) => start(args, io).done,
    cleanup: () => rm(base, { recursive: true, force: true }),
  }
}
