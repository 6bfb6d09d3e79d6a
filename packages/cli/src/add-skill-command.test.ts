import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises'
import { PassThrough } from 'node:stream'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSkillOS, type SkillOS } from '@skillos/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliIo } from './cli-io.js'
import { runCli } from './program.js'

const CLI_NODE_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url))
const SDK = fileURLToPath(new URL('../../sdk', import.meta.url))

/**
 * A temp working directory whose node_modules holds the CLI's packages plus @skillos/sdk and zod,
 * which a generated handler imports (after `pnpm install` they come from the skill's own folder).
 */
async function createBase(): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), 'skillos-add-skill-'))
  const modules = join(base, 'node_modules')
  await mkdir(join(modules, '@skillos'), { recursive: true })
  for (const entry of await readdir(CLI_NODE_MODULES)) {
    if (entry !== '@skillos') await symlink(join(CLI_NODE_MODULES, entry), join(modules, entry))
  }
  for (const entry of await readdir(join(CLI_NODE_MODULES, '@skillos'))) {
    await symlink(
      await realpath(join(CLI_NODE_MODULES, '@skillos', entry)),
      join(modules, '@skillos', entry),
    )
  }
  await symlink(SDK, join(modules, '@skillos', 'sdk'))
  await symlink(await realpath(join(SDK, 'node_modules', 'zod')), join(modules, 'zod'))
  return base
}

let base: string
beforeAll(async () => {
  base = await createBase()
})
afterAll(() => rm(base, { recursive: true, force: true }))

async function cli(args: string[], io: Partial<CliIo> = {}) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, {
    cwd: base,
    env: { USER: 'ann' },
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    ...io,
  })
  process.exitCode = undefined
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

async function runThrough(root: string, request: string) {
  const os: SkillOS = await createSkillOS({ skills: [root], database: 'memory://' })
  try {
    expect(os.loader.failures()).toEqual([])
    return await os.run({ input: request, tenant: 'local', principal: { id: 'ann', roles: [] } })
  } finally {
    await os.close()
  }
}

describe('skillos add-skill', () => {
  it('creates a skill that loads and answers its own example with computed counts', async () => {
    const { code, stdout, stderr } = await cli(['add-skill', 'text/word-count', '--yes'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout.split('\n').slice(1)).toEqual([
      '✓ text/word-count@1.0.0 loads',
      '',
      'Next:',
      '  pnpm install',
      '  pnpm skillos test text/word-count',
      `  pnpm skillos run 'count words in "hello world"'`,
    ])
    const run = await runThrough(join(base, 'skills'), 'count words in "hello world"')
    expect(run.status).toBe('succeeded')
    expect(run.skill?.id).toBe('text/word-count')
    expect(run.output).toEqual({ words: 2, characters: 11, lines: 1 })

    const russian = await runThrough(join(base, 'skills'), 'посчитай слова в "привет большой мир"')
    expect(russian.output).toEqual({ words: 3, characters: 18, lines: 1 })
  })

  it('passes its own generated tests: the handler, the library and the end-to-end run', async () => {
    const { code, stdout } = await cli(['test', 'text/word-count', '--json'])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toMatchObject({ ok: true })
  }, 60_000)

  it('writes the description and examples it is given, with registry versions outside the monorepo', async () => {
    const { code } = await cli([
      'add-skill',
      'notes/count-letters',
      '--dir',
      'custom',
      '--description',
      'Count the letters of a note',
      '--example',
      'how long is «the quick brown fox»',
      '--example',
      'сколько букв в заметке',
      '--yes',
    ])
    expect(code).toBe(0)
    const dir = join(base, 'custom', 'notes', 'count-letters')
    const yaml = await readFile(join(dir, 'skill.yaml'), 'utf8')
    expect(yaml).toContain('description: "Count the letters of a note"')
    expect(yaml).toContain('name: "Count letters"')
    expect(yaml).toContain(
      '  - "how long is «the quick brown fox»"\n  - "сколько букв в заметке"\n',
    )
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      name: string
      dependencies: Record<string, string>
    }
    expect(pkg.name).toBe('@skillos-skills/notes-count-letters')
    expect(pkg.dependencies['@skillos/sdk']).toMatch(/^\^\d+\.\d+\.\d+$/)
    expect(await readFile(join(dir, 'index.test.ts'), 'utf8')).toContain(
      `expect(run.output).toEqual({ words: 4, characters: 19, lines: 1 })`,
    )

    const run = await runThrough(join(base, 'custom'), 'how long is «the quick brown fox»')
    expect(run.status).toBe('succeeded')
    expect(run.output).toEqual({ words: 4, characters: 19, lines: 1 })
  })

  it('uses workspace packages and the shared configs inside the SkillOS monorepo', async () => {
    const root = await mkdtemp(join(tmpdir(), 'skillos-mono-'))
    try {
      await mkdir(join(root, 'packages', 'sdk'), { recursive: true })
      await writeFile(join(root, 'packages', 'sdk', 'package.json'), '{"name":"@skillos/sdk"}')
      await writeFile(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - skills/*/*\n')
      const { code, stdout } = await cli(['add-skill', 'demo/echo', '--json'], { cwd: root })
      // No node_modules here: the handler cannot load yet, which is not the folder's fault.
      expect(code).toBe(0)
      const dir = join(root, 'skills', 'demo', 'echo')
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>
        devDependencies: Record<string, string>
      }
      expect(pkg.dependencies['@skillos/sdk']).toBe('workspace:*')
      expect(pkg.devDependencies['@skillos/vitest-config']).toBe('workspace:*')
      expect(JSON.parse(stdout)).toMatchObject({ id: 'demo/echo', dir })
      expect(await readFile(join(dir, 'eslint.config.js'), 'utf8')).toBe(
        "export { default } from '@skillos/eslint-config'\n",
      )
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  it('prints { id, dir, files } with --json', async () => {
    const { code, stdout } = await cli(['add-skill', 'demo/json-out', '--json'])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual({
      id: 'demo/json-out',
      dir: join(base, 'skills', 'demo', 'json-out'),
      files: [
        'README.md',
        'fixtures/README.md',
        'index.test.ts',
        'index.ts',
        'lib/count-text.test.ts',
        'lib/count-text.ts',
        'package.json',
        'skill.yaml',
        'tsconfig.json',
        'vitest.config.ts',
      ],
    })
  })

  it('asks for the description and two examples on a terminal, showing the defaults', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true })
    stdin.end('Count words of a tweet\n\nсколько слов в «раз два три»\n')
    const { code, stderr } = await cli(['add-skill', 'social/tweet-words'], { stdin })
    expect(code).toBe(0)
    expect(stderr.split('\n')).toEqual([
      'Description [Tweet words: count the words, characters and lines of a text given in quotes]: ',
      'Example request (English) [count words in "hello world"]: ',
      'Example request (Russian) [посчитай слова в "привет мир"]: ',
    ])
    const yaml = await readFile(join(base, 'skills', 'social', 'tweet-words', 'skill.yaml'), 'utf8')
    expect(yaml).toContain('description: "Count words of a tweet"')
    expect(yaml).toContain(
      '  - "count words in \\"hello world\\""\n  - "сколько слов в «раз два три»"\n',
    )
  })

  it('refuses an id that is not domain/name with exit 2, saying what one looks like', async () => {
    const { code, stderr } = await cli(['add-skill', 'Word Count', '--yes'])
    expect(code).toBe(2)
    expect(stderr).toBe(
      'skillos: "Word Count" is not a skill id: use "domain/name", lowercase letters, digits and single hyphens, e.g. text/word-count',
    )
  })

  it('refuses a folder that exists with exit 1 and leaves it as it was', async () => {
    const before = await readFile(join(base, 'skills', 'text', 'word-count', 'index.ts'), 'utf8')
    const { code, stderr } = await cli(['add-skill', 'text/word-count', '--yes'])
    expect(code).toBe(1)
    expect(stderr).toBe(
      `skillos: CONFLICT: ${join(base, 'skills', 'text', 'word-count')} exists already; choose another name, or remove the folder and run add-skill again`,
    )
    expect(await readFile(join(base, 'skills', 'text', 'word-count', 'index.ts'), 'utf8')).toBe(
      before,
    )
  })
})
