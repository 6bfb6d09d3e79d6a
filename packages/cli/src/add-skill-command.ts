import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { createInterface } from 'node:readline/promises'
import { dirname, join, resolve } from 'node:path'
import { SkillOSError, skillIdSchema } from '@skillos/contracts'
import type { Command } from 'commander'
import type { CliIo, CommandContext } from './cli-io.js'
import { displayPath, formatProblem, openSkillOS, type SkillProblem } from './local-system.js'
import { UsageError } from './request-options.js'
import {
  DEFAULT_EXAMPLES,
  findSkillosMonorepo,
  nameFromId,
  renderSkillFiles,
} from './skill-scaffold.js'

export interface WriteSkillOptions {
  id: string
  /** The skills root, absolute: the folder is `<root>/<domain>/<name>`. */
  root: string
  description?: string
  examples?: readonly string[]
  /** Default: the monorepo's workspace packages inside it, else the registry. */
  packages?: 'workspace' | 'registry'
}

export interface WrittenSkill {
  id: string
  /** Absolute path of the new folder. */
  dir: string
  /** Paths inside `dir`, sorted. */
  files: string[]
  /** The example request whose quoted text the skill counts (its end-to-end test runs it). */
  example: string
}

/** A `domain/name` id, or a UsageError saying what one looks like. */
export function checkSkillId(id: string): string {
  if (!skillIdSchema.safeParse(id).success) {
    throw new UsageError(
      `"${id}" is not a skill id: use "domain/name", lowercase letters, digits and single hyphens, e.g. text/word-count`,
    )
  }
  return id
}

/** Write a new skill folder; refuses one that exists. Shared by `add-skill` and `init`. */
export async function writeSkillFolder(options: WriteSkillOptions): Promise<WrittenSkill> {
  const id = checkSkillId(options.id)
  const dir = join(options.root, ...id.split('/'))
  if (existsSync(dir)) {
    throw new SkillOSError({
      code: 'CONFLICT',
      message: `${dir} exists already; choose another name, or remove the folder and run add-skill again`,
      details: { dir },
    })
  }
  const { files, example } = renderSkillFiles({
    id,
    packages: options.packages ?? (findSkillosMonorepo(options.root) ? 'workspace' : 'registry'),
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.examples !== undefined ? { examples: options.examples } : {}),
  })
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text, { flag: 'wx' })
  }
  return { id, dir, files: Object.keys(files).sort(), example }
}

/** The handler's packages are not installed yet (before `pnpm install`): not a defect of the folder. */
function isUninstalledPackage(problem: SkillProblem): boolean {
  return (
    (problem.code === 'HANDLER_COMPILE_FAILED' || problem.code === 'HANDLER_IMPORT_FAILED') &&
    /Could not resolve "|Cannot find (?:package|module) '/u.test(problem.message)
  )
}

/** A word a POSIX shell passes through as is: single-quoted. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`
}

/** Ask on a terminal for what the flags did not give; the defaults are shown and taken on Enter. */
async function askSkillDetails(
  io: CliIo,
  id: string,
  given: { description?: string; examples: string[] },
): Promise<{ description?: string; examples: string[] }> {
  const stdin = io.stdin
  if (!stdin) return given
  const lines = createInterface({ input: stdin, terminal: false })
  const next = lines[Symbol.asyncIterator]()
  const ask = async (question: string, fallback: string): Promise<string> => {
    io.stderr(`${question} [${fallback}]: `)
    const line = await next.next()
    const answer = line.done ? '' : String(line.value).trim()
    return answer === '' ? fallback : answer
  }
  try {
    const description =
      given.description ??
      (await ask(
        'Description',
        `${nameFromId(id)}: count the words, characters and lines of a text given in quotes`,
      ))
    const examples =
      given.examples.length > 0
        ? given.examples
        : [
            await ask('Example request (English)', DEFAULT_EXAMPLES[0] as string),
            await ask('Example request (Russian)', DEFAULT_EXAMPLES[1] as string),
          ]
    return { description, examples }
  } finally {
    lines.close()
  }
}

function collectExample(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

interface AddSkillOptions {
  dir: string
  description?: string
  example?: string[]
  yes?: boolean
  json?: boolean
}

export function registerAddSkillCommand(program: Command, context: CommandContext): void {
  program
    .command('add-skill')
    .description(
      'create a skill folder that loads and passes its own tests at once: skill.yaml, a typed handler, a library function, tests, README and configs',
    )
    .argument('<id>', 'the new skill\'s id, "domain/name", e.g. text/word-count')
    .option('--dir <root>', 'the skills root to create it in', 'skills')
    .option('--description <text>', 'what the skill does (routing reads it)')
    .option(
      '--example <request>',
      'an example request, repeatable; one with a "quoted" text runs in the generated end-to-end test',
      collectExample,
    )
    .option('-y, --yes', 'take the defaults without asking (always so without a terminal)')
    .option('--json', 'print { id, dir, files } as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos add-skill text/word-count
  $ skillos add-skill text/word-count --description "Count the words of a text" --example 'count words in "hello world"' --yes
  $ skillos add-skill demo/echo --dir my-skills --json

Exit codes: 0 created and loads, 1 the folder exists or the new skill does not load, 2 bad id.`,
    )
    .action(async (id: string, options: AddSkillOptions) => {
      const { io } = context
      checkSkillId(id)
      const given = {
        ...(options.description !== undefined ? { description: options.description } : {}),
        examples: options.example ?? [],
      }
      const interactive = io.stdin?.isTTY === true && !options.yes && !options.json
      const details = interactive ? await askSkillDetails(io, id, given) : given
      const root = resolve(io.cwd, options.dir)
      const written = await writeSkillFolder({
        id,
        root,
        ...(details.description !== undefined ? { description: details.description } : {}),
        examples: details.examples,
      })

      const { config } = await context.loadConfig()
      const os = await openSkillOS({ config, cwd: io.cwd, loadOnly: true, skills: [written.dir] })
      let problems: SkillProblem[]
      try {
        problems = os.loader.failures().flatMap((f) => f.problems)
      } finally {
        await os.close()
      }
      const pendingInstall = problems.length > 0 && problems.every(isUninstalledPackage)
      const failed = problems.length > 0 && !pendingInstall
      if (failed) process.exitCode = 1

      if (options.json) {
        io.stdout(
          JSON.stringify({ id: written.id, dir: written.dir, files: written.files }, null, 2),
        )
        if (failed) for (const p of problems) io.stderr(formatProblem(p, io.cwd))
        return
      }
      const where = displayPath(written.dir, io.cwd)
      const lines = [`Created ${where}: ${written.files.join(', ')}`]
      if (failed) {
        lines.push(
          `✗ ${id} does not load:`,
          ...problems.map((p) => `    ${formatProblem(p, io.cwd)}`),
          'Fix the problems above and run: skillos validate ' + where,
        )
      } else {
        lines.push(
          pendingInstall
            ? `! ${id} is not checked yet: its packages (@skillos/sdk, zod) are not installed; pnpm install, then skillos validate ${where}`
            : `✓ ${id}@1.0.0 loads`,
          '',
          'Next:',
          '  pnpm install',
          `  pnpm skillos test ${id}`,
          `  pnpm skillos run ${shellQuote(written.example)}`,
        )
      }
      io.stdout(lines.join('\n'))
    })
}
