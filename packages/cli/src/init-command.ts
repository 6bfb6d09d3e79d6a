import { existsSync } from 'node:fs'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SkillOSError } from '@skillos/contracts'
import type { Command } from 'commander'
import { writeSkillFolder } from './add-skill-command.js'
import type { CommandContext } from './cli-io.js'
import { displayPath } from './local-system.js'
import { DEPENDENCY_VERSIONS, findSkillosMonorepo, skillosVersionRange } from './skill-scaffold.js'

/** The skill every new workspace starts with. */
export const INIT_EXAMPLE_SKILL = 'demo/word-count'

export interface InitResult {
  /** Absolute path of the workspace. */
  dir: string
  /** Paths inside `dir`, sorted. */
  files: string[]
}

/** `My Skills!` → `my-skills`: a package name npm accepts. */
function packageNameOf(dir: string): string {
  const slug = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '')
  return slug || 'skillos-skills'
}

/** The SkillOS packages a workspace depends on. */
const SKILLOS_PACKAGES = ['cli', 'contracts', 'core', 'sdk'] as const

/**
 * The SkillOS source checkout this CLI runs from, for `--link`: a workspace that uses the packages
 * as built here rather than from the npm registry (before a release, or to try a change).
 */
function linkedCheckout(): string {
  const checkout = findSkillosMonorepo(fileURLToPath(new URL('.', import.meta.url)))
  if (!checkout)
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message:
        '--link works only with a skillos CLI run from a SkillOS source checkout (pnpm skillos init … in the repository); without it the packages come from the npm registry',
    })
  return checkout
}

function workspaceFiles(
  dir: string,
  example: string,
  checkout: string | undefined,
): Record<string, string> {
  const range = skillosVersionRange()
  const skillos = (name: (typeof SKILLOS_PACKAGES)[number]) =>
    checkout ? `link:${join(checkout, 'packages', name)}` : range
  const packageJson = {
    name: packageNameOf(dir),
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      skillos: 'skillos',
      test: 'vitest run',
      validate: 'skillos validate',
    },
    dependencies: {
      ...Object.fromEntries(SKILLOS_PACKAGES.map((name) => [`@skillos/${name}`, skillos(name)])),
      zod: DEPENDENCY_VERSIONS.zod,
    },
    devDependencies: {
      '@types/node': DEPENDENCY_VERSIONS['@types/node'],
      typescript: DEPENDENCY_VERSIONS.typescript,
      vitest: DEPENDENCY_VERSIONS.vitest,
    },
  }
  const run = `'${example.replaceAll("'", `'\\''`)}'`
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'skillos.config.yaml': `# Read by every skillos command run in this folder; SKILLOS_* variables override it.
skills:
  roots:
    - ./skills
database:
  # Embedded PostgreSQL in a folder: runs, approvals and audit survive restarts.
  url: pglite://./.skillos/db
`,
    '.gitignore': `node_modules/
.skillos/
coverage/
`,
    'README.md': `# ${packageNameOf(dir)}

Skills for [SkillOS](https://www.npmjs.com/package/@skillos/cli): each folder under \`skills/<domain>/<name>/\`
is one skill (\`skill.yaml\` + a typed handler in \`index.ts\` + its tests).

\`\`\`sh
pnpm install
pnpm skillos run ${run}     # route, check, run: the example skill counts the quoted words
pnpm skillos validate                               # load every skill without running it
pnpm test                                           # every skill's tests
pnpm skillos add-skill text/my-skill                # a new skill folder that passes its tests at once
pnpm skillos dev                                    # watch + hot reload; type requests
\`\`\`

\`skillos.config.yaml\` sets the skill folders and the database (\`pglite://./.skillos/db\`; use
\`memory://\` to keep nothing, or a \`postgres://\` URL).
`,
  }
}

/** Write a skills workspace into `dir`; refuses a non-empty one unless `force`. */
export async function initWorkspace(
  dir: string,
  force: boolean,
  options: { link?: boolean } = {},
): Promise<InitResult> {
  const checkout = options.link ? linkedCheckout() : undefined
  const entries = existsSync(dir) ? await readdir(dir) : []
  if (entries.length > 0 && !force) {
    throw new SkillOSError({
      code: 'CONFLICT',
      message: `${dir} is not empty; give a new or empty folder (skillos init my-skills), or pass --force to write into it (package.json, skillos.config.yaml, .gitignore and README.md are replaced)`,
      details: { dir, entries: entries.length },
    })
  }
  await mkdir(dir, { recursive: true })
  const files: string[] = []
  const skillDir = join(dir, 'skills', ...INIT_EXAMPLE_SKILL.split('/'))
  let example = 'count words in "hello world"'
  // With --force, an example skill already there is kept as it is.
  if (!existsSync(skillDir)) {
    const skill = await writeSkillFolder({
      id: INIT_EXAMPLE_SKILL,
      root: join(dir, 'skills'),
      packages: 'registry',
      description: 'Count the words, characters and lines of a text given in quotes',
    })
    example = skill.example
    files.push(...skill.files.map((f) => `skills/${INIT_EXAMPLE_SKILL}/${f}`))
  }
  for (const [path, text] of Object.entries(workspaceFiles(dir, example, checkout))) {
    await writeFile(join(dir, path), text)
    files.push(path)
  }
  return { dir, files: files.sort() }
}

export function registerInitCommand(program: Command, context: CommandContext): void {
  program
    .command('init')
    .description(
      'create a skills workspace that runs on its own: package.json, skillos.config.yaml, .gitignore, README and an example skill (demo/word-count)',
    )
    .argument('[dir]', 'the folder to create (default: the working directory)', '.')
    .option('--force', 'write into a folder that is not empty')
    .option('--json', 'print { dir, files } as JSON')
    .option(
      '--link',
      'depend on the SkillOS packages of the source checkout this CLI runs from (link:), not on the npm registry',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ skillos init my-skills
  $ skillos init . --force
  $ pnpm skillos init ../my-skills --link     # from a SkillOS checkout, before a release

Exit codes: 0 created, 1 the folder is not empty (and no --force).`,
    )
    .action(async (dir: string, options: { force?: boolean; json?: boolean; link?: boolean }) => {
      const { io } = context
      const result = await initWorkspace(resolve(io.cwd, dir), options.force === true, {
        link: options.link === true,
      })
      if (options.json) {
        io.stdout(JSON.stringify(result, null, 2))
        return
      }
      const where = displayPath(result.dir, io.cwd)
      io.stdout(
        [
          `Created ${where}: ${result.files.length} files, with the example skill ${INIT_EXAMPLE_SKILL}`,
          '',
          'Next:',
          ...(where === '.' ? [] : [`  cd ${where}`]),
          '  pnpm install',
          `  pnpm skillos run 'count words in "hello world"'`,
          '  pnpm test',
          '  pnpm skillos add-skill <domain>/<name>',
        ].join('\n'),
      )
    })
}
