import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '@skillos/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliIo } from './cli-io.js'
import { runCli } from './program.js'

const NODE_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url))
const SDK = fileURLToPath(new URL('../../sdk', import.meta.url))

let base: string
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'skillos-init-'))
  // Above the workspaces: what a generated handler imports and the CLI's node_modules lack.
  await mkdir(join(base, 'node_modules', '@skillos'), { recursive: true })
  await symlink(SDK, join(base, 'node_modules', '@skillos', 'sdk'))
  await symlink(join(SDK, 'node_modules', 'zod'), join(base, 'node_modules', 'zod'))
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

describe('skillos init', () => {
  it('creates a workspace whose config, package and example skill work', async () => {
    const { code, stdout } = await cli(['init', 'my-skills', '--json'])
    expect(code).toBe(0)
    const dir = join(base, 'my-skills')
    const { files } = JSON.parse(stdout) as { dir: string; files: string[] }
    expect(files).toEqual(
      expect.arrayContaining([
        '.gitignore',
        'README.md',
        'package.json',
        'skillos.config.yaml',
        'skills/demo/word-count/skill.yaml',
        'skills/demo/word-count/index.ts',
        'skills/demo/word-count/index.test.ts',
      ]),
    )
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      name: string
      private: boolean
      type: string
      scripts: Record<string, string>
      dependencies: Record<string, string>
    }
    expect(pkg).toMatchObject({ name: 'my-skills', private: true, type: 'module' })
    expect(pkg.scripts).toMatchObject({ skillos: 'skillos', test: 'vitest run' })
    expect(Object.keys(pkg.dependencies)).toEqual(
      expect.arrayContaining(['@skillos/cli', '@skillos/sdk', '@skillos/core', 'zod']),
    )
    expect(pkg.dependencies['@skillos/cli']).toMatch(/^\^\d+\.\d+\.\d+$/)
    const { config, file } = await loadConfig({ cwd: dir, env: {} })
    expect(file).toBe(join(dir, 'skillos.config.yaml'))
    expect(config.skills.roots).toEqual(['./skills'])
    expect(config.database.url).toBe('pglite://./.skillos/db')

    // What pnpm install would provide (with @skillos/sdk and zod from the folder above).
    await symlink(NODE_MODULES, join(dir, 'node_modules'))
    const run = await cli(
      ['run', 'count words in "hello big world"', '--database', 'memory://', '--json'],
      {
        cwd: dir,
      },
    )
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'succeeded',
      skill: { id: 'demo/word-count' },
      output: { words: 3, characters: 15, lines: 1 },
    })
  })

  it('links the packages of this source checkout with --link', async () => {
    const { code, stdout } = await cli(['init', 'linked', '--link', '--json'])
    expect(code).toBe(0)
    const { dir } = JSON.parse(stdout) as { dir: string }
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    const repo = fileURLToPath(new URL('../../..', import.meta.url))
    for (const name of ['cli', 'contracts', 'core', 'sdk'])
      expect(pkg.dependencies[`@skillos/${name}`]).toBe(`link:${join(repo, 'packages', name)}`)
  })

  it('refuses a folder that is not empty with exit 1, and writes into it with --force', async () => {
    const dir = join(base, 'busy')
    await mkdir(dir)
    await writeFile(join(dir, 'notes.txt'), 'mine\n')
    const refused = await cli(['init', 'busy'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toBe(
      `skillos: CONFLICT: ${dir} is not empty; give a new or empty folder (skillos init my-skills), or pass --force to write into it (package.json, skillos.config.yaml, .gitignore and README.md are replaced)`,
    )
    expect(await readdir(dir)).toEqual(['notes.txt'])

    const forced = await cli(['init', 'busy', '--force'])
    expect(forced.code).toBe(0)
    expect(forced.stdout.split('\n')[0]).toBe(
      'Created busy: 14 files, with the example skill demo/word-count',
    )
    expect((await readdir(dir)).sort()).toEqual([
      '.gitignore',
      'README.md',
      'notes.txt',
      'package.json',
      'skillos.config.yaml',
      'skills',
    ])
  })
})
