import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CliFixture } from './cli-fixture.test-data.js'
import type { DeprecateJson, DistTagsJson } from './manage-commands.js'
import {
  type ConfigHome,
  useRegistryCli,
  registryIo,
  type MemoryRegistry,
} from './registry-fixture.test-data.js'

let fixture: CliFixture
let home: ConfigHome
let registry: MemoryRegistry
useRegistryCli(
  (state) => ({ fixture, home, registry } = state),
  async (prepared) => {
    await prepared.write(
      'pub/acme/hello/index.ts',
      'export default { handler: () => ({ hi: 1 }) }\n',
    )
    await prepared.write(
      'pub/acme/greet/index.ts',
      'export default { handler: () => ({ hi: 2 }) }\n',
    )
  },
)

const io = (token: string | undefined = registry.token) => registryIo(home, registry, token)

/** Publish `acme/<name>@<version>` (with `dependencies`) through the CLI. */
async function publish(
  version: string,
  options: { name?: string; tag?: string; dependencies?: Record<string, string> } = {},
) {
  const name = options.name ?? 'hello'
  await fixture.write(
    `pub/acme/${name}/skill.yaml`,
    JSON.stringify({
      id: `acme/${name}`,
      version,
      name: 'Hello',
      description: 'Say hello to someone by name',
      ...(options.dependencies ? { dependencies: options.dependencies } : {}),
    }),
  )
  const result = await fixture.cli(
    ['publish', `pub/acme/${name}`, ...(options.tag ? ['--tag', options.tag] : [])],
    io(),
  )
  expect(result.code, result.stderr).toBe(0)
}

async function packument(id: string) {
  const response = await registry.fetch(`${registry.url}/${id}`)
  return (await response.json()) as {
    distTags: Record<string, string>
    versions: Record<string, { deprecated?: string }>
  }
}

describe('skillos deprecate', () => {
  it('deprecates every version in a range and says which; --undo clears one', async () => {
    for (const version of ['1.0.0', '1.1.0', '2.0.0']) await publish(version)

    const result = await fixture.cli(
      ['deprecate', 'acme/hello@<2.0.0', 'use acme/hello@2 instead'],
      io(),
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toBe(
      'deprecated acme/hello@1.0.0, 1.1.0 on http://registry.test\n  "use acme/hello@2 instead"',
    )
    const after = await packument('acme/hello')
    expect(Object.entries(after.versions).map(([v, m]) => [v, m.deprecated])).toEqual([
      ['1.0.0', 'use acme/hello@2 instead'],
      ['1.1.0', 'use acme/hello@2 instead'],
      ['2.0.0', undefined],
    ])

    const undo = await fixture.cli(['deprecate', 'acme/hello@1.1.0', '--undo', '--json'], io())
    expect(undo.code, undo.stderr).toBe(0)
    expect(JSON.parse(undo.stdout) as DeprecateJson).toEqual({
      id: 'acme/hello',
      registry: 'http://registry.test',
      range: '1.1.0',
      message: null,
      versions: ['1.1.0'],
    })
    expect((await packument('acme/hello')).versions['1.1.0']?.deprecated).toBeUndefined()
    expect((await packument('acme/hello')).versions['1.0.0']?.deprecated).toBe(
      'use acme/hello@2 instead',
    )
  })

  it('resolves a dist-tag to its version, and names the tags when it has no such one', async () => {
    await publish('1.0.0')
    await publish('1.1.0-beta.1', { tag: 'beta' })
    const result = await fixture.cli(['deprecate', 'acme/hello@beta', 'try 1.1.0', '--json'], io())
    expect(result.code, result.stderr).toBe(0)
    expect((JSON.parse(result.stdout) as DeprecateJson).versions).toEqual(['1.1.0-beta.1'])
    expect(registry.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/acme/hello/-/deprecate',
    })

    const missing = await fixture.cli(['deprecate', 'acme/hello@next', 'x'], io())
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe(
      'skillos: NOT_FOUND: acme/hello has no dist-tag next (it has latest, beta); give a version or a range instead',
    )
  })

  it('needs a message or --undo, not both, and a skill id it can read', async () => {
    const none = await fixture.cli(['deprecate', 'acme/hello@1.0.0'], io())
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('skillos: missing <message>: say why the versions are deprecated')
    const both = await fixture.cli(['deprecate', 'acme/hello', 'why', '--undo'], io())
    expect(both.code).toBe(2)
    expect(both.stderr).toBe(
      'skillos: give either a <message> or --undo: --undo clears the deprecation, a message sets it',
    )
    const bad = await fixture.cli(['deprecate', 'Hello', 'why'], io())
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(
      "error: command-argument value 'Hello' is invalid for argument 'spec'. must look like \"scope/name\"",
    )
    expect(registry.requests).toEqual([])
  })

  it("shows the registry's error code and message, and says how to log in", async () => {
    const missing = await fixture.cli(['deprecate', 'acme/nope', 'gone'], io())
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe('skillos: NOT_FOUND: Skill acme/nope was not found')

    const anonymous = await fixture.cli(['deprecate', 'acme/hello', 'gone'], io(''))
    expect(anonymous.code).toBe(1)
    expect(anonymous.stderr).toBe(
      'skillos: UNAUTHENTICATED: Not logged in to http://registry.test; run skillos login --registry http://registry.test (or set SKILLOS_REGISTRY_TOKEN)',
    )
  })
})

describe('skillos dist-tag', () => {
  it('adds, lists and removes dist-tags', async () => {
    await publish('1.0.0')
    await publish('1.1.0')
    const add = await fixture.cli(['dist-tag', 'add', 'acme/hello@1.0.0', 'stable'], io())
    expect(add.code, add.stderr).toBe(0)
    expect(add.stdout).toBe('stable: acme/hello@1.0.0 on http://registry.test')

    const ls = await fixture.cli(['dist-tag', 'ls', 'acme/hello'], io())
    expect(ls.stdout).toBe('latest: 1.1.0\nstable: 1.0.0')
    const json = await fixture.cli(['dist-tag', 'ls', 'acme/hello', '--json'], io(''))
    expect(JSON.parse(json.stdout) as DistTagsJson).toEqual({
      id: 'acme/hello',
      registry: 'http://registry.test',
      distTags: { latest: '1.1.0', stable: '1.0.0' },
    })

    const rm = await fixture.cli(['dist-tag', 'rm', 'acme/hello', 'stable'], io())
    expect(rm.code, rm.stderr).toBe(0)
    expect(rm.stdout).toBe('removed dist-tag stable from acme/hello; left: latest: 1.1.0')
    expect((await packument('acme/hello')).distTags).toEqual({ latest: '1.1.0' })
  })

  it('refuses to remove latest, and to tag anything but one exact version', async () => {
    const latest = await fixture.cli(['dist-tag', 'rm', 'acme/hello', 'latest'], io())
    expect(latest.code).toBe(2)
    expect(latest.stderr).toContain(
      "argument 'tag'. latest cannot be removed (install uses it for a skill without a range); point it at another version with skillos dist-tag add <scope/name>@<version> latest",
    )
    const range = await fixture.cli(['dist-tag', 'add', 'acme/hello@^1.0.0', 'beta'], io())
    expect(range.code).toBe(2)
    expect(range.stderr).toContain(
      'give one exact version after "@", e.g. acme/hello@1.2.0 (not "^1.0.0")',
    )
    const versionAsTag = await fixture.cli(['dist-tag', 'add', 'acme/hello@1.0.0', '2.0'], io())
    expect(versionAsTag.code).toBe(2)
    expect(versionAsTag.stderr).toContain('a dist-tag is a word such as beta or next')
    expect(registry.requests).toEqual([])
  })

  it('reports a version the registry does not have with its code', async () => {
    await publish('1.0.0')
    const result = await fixture.cli(['dist-tag', 'add', 'acme/hello@9.9.9', 'beta'], io())
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('skillos: NOT_FOUND: acme/hello@9.9.9 was not found')
  })
})

describe('skillos unpublish', () => {
  it('needs --yes when it cannot ask, then unpublishes and moves latest', async () => {
    await publish('1.0.0')
    await publish('1.0.1')
    const unasked = await fixture.cli(['unpublish', 'acme/hello@1.0.1'], io())
    expect(unasked.code).toBe(2)
    expect(unasked.stderr).toBe(
      'skillos: unpublish removes acme/hello@1.0.1 for everyone and cannot be undone; add --yes to confirm (stdin is not a terminal to ask on)',
    )
    expect(Object.keys((await packument('acme/hello')).versions)).toEqual(['1.0.0', '1.0.1'])

    const result = await fixture.cli(['unpublish', 'acme/hello@1.0.1', '--yes'], io())
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toBe(
      'unpublished acme/hello@1.0.1 from http://registry.test; the version number stays taken',
    )
    const after = await packument('acme/hello')
    expect(Object.keys(after.versions)).toEqual(['1.0.0'])
    expect(after.distTags).toEqual({ latest: '1.0.0' })
  })

  it('asks on a terminal and keeps the version unless the answer is yes', async () => {
    await publish('1.0.0')
    const ask = async (answer: string) => {
      const stdin = Object.assign(new PassThrough(), { isTTY: true })
      const running = fixture.start(['unpublish', 'acme/hello@1.0.0'], { ...io(), stdin })
      await expect.poll(() => running.stderr()).toContain('[y/N]')
      stdin.end(`${answer}\n`)
      return running.done
    }
    const kept = await ask('n')
    expect(kept.code).toBe(1)
    expect(kept.stderr).toBe(
      'Unpublish acme/hello@1.0.0 from http://registry.test? Installs of it will fail and the number cannot be reused. [y/N] \nKept acme/hello@1.0.0; nothing was unpublished',
    )
    expect(Object.keys((await packument('acme/hello')).versions)).toEqual(['1.0.0'])

    const gone = await ask('yes')
    expect(gone.code, gone.stderr).toBe(0)
    expect(Object.keys((await packument('acme/hello')).versions)).toEqual([])
  })

  it("shows the registry's refusal after the window, naming the dependents and what to do", async () => {
    await publish('1.0.0')
    await publish('1.0.0', { name: 'greet', dependencies: { 'acme/hello': '^1.0.0' } })
    registry.age('acme/hello', '1.0.0', 73)
    const result = await fixture.cli(['unpublish', 'acme/hello@1.0.0', '--yes'], io())
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'skillos: CONFLICT: acme/hello@1.0.0 was published more than 72 h ago and acme/greet@1.0.0 depends on it; deprecate it instead: skillos deprecate acme/hello@1.0.0 "<why, and what to use instead>"',
    )
    expect(Object.keys((await packument('acme/hello')).versions)).toEqual(['1.0.0'])
  })

  it('wants one exact version', async () => {
    const result = await fixture.cli(['unpublish', 'acme/hello', '--yes'], io())
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      'argument \'skill@version\'. give one exact version after "@", e.g. acme/hello@1.2.0',
    )
  })
})
