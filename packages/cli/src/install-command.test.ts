import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { readLockfile } from '@skillos/registry'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliFixture, type CliFixture } from './cli-fixture.test-data.js'
import type { InstallJson } from './install-command.js'
import { createConfigHome, createMemoryRegistry } from './registry-fixture.test-data.js'

let publisher: CliFixture
let consumer: CliFixture
let home: Awaited<ReturnType<typeof createConfigHome>>
const registry = createMemoryRegistry()

const manifest = (version: string) =>
  JSON.stringify({
    id: 'acme/hello',
    version,
    name: 'Hello',
    description: 'Say hello to someone by name',
    tags: ['greeting'],
  })

beforeAll(async () => {
  publisher = await createCliFixture()
  consumer = await createCliFixture()
  home = await createConfigHome()
  await publisher.write(
    'pub/acme/hello/index.ts',
    'export default { handler: () => ({ hi: 1 }) }\n',
  )
})
afterAll(async () => {
  await publisher?.cleanup()
  await consumer?.cleanup()
  await home?.cleanup()
})

const io = () => ({
  env: {
    USER: 'ann',
    XDG_CONFIG_HOME: home.dir,
    SKILLOS_REGISTRY_URL: registry.url,
    SKILLOS_REGISTRY_TOKEN: registry.token,
  },
  fetch: registry.fetch,
})
async function publish(version: string) {
  await publisher.write('pub/acme/hello/skill.yaml', manifest(version))
  const result = await publisher.cli(['publish', 'pub/acme/hello'], io())
  expect(result.code, result.stderr).toBe(0)
}
const installed = () => readFile(join(consumer.base, 'skills/acme/hello/skill.yaml'), 'utf8')

describe('skillos install, outdated, update', () => {
  it('says what to do when there is nothing to install', async () => {
    const result = await consumer.cli(['install'], io())
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'skillos: NOT_FOUND: skills-lock.yaml records no skills; install one with skillos install <scope>/<name>',
    )
  })

  it('installs into the first skills root and writes skills-lock.yaml', async () => {
    await publish('1.0.0')
    const result = await consumer.cli(['install', 'acme/hello'], io())
    expect(result).toEqual({
      code: 0,
      stdout: '+ acme/hello@1.0.0  skills/acme/hello\n\n1 installed; skills-lock.yaml updated',
      stderr: '',
    })
    expect(await installed()).toBe(manifest('1.0.0'))
    const lock = await readLockfile(join(consumer.base, 'skills-lock.yaml'))
    expect(lock.skills['acme/hello']).toMatchObject({
      version: '1.0.0',
      range: '^1.0.0',
      registry: 'http://registry.test',
      tarball: 'http://registry.test/acme/hello/-/hello-1.0.0.tgz',
    })
    // The installed skill loads like any other.
    const validate = await consumer.cli(['validate', 'skills/acme'], io())
    expect(validate.stdout.split('\n')[0]).toBe('✓ acme/hello@1.0.0  skills/acme/hello')
  })

  it('says so when the skill is not on the registry', async () => {
    const result = await consumer.cli(['install', 'acme/nothing'], io())
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('skillos: NOT_FOUND: Skill acme/nothing not found')
  })

  it('refuses to overwrite a skill folder it does not manage, unless --force', async () => {
    expect((await publisher.cli(['publish', 'skills/finance/convert'], io())).code).toBe(0)
    const result = await consumer.cli(['install', 'finance/convert'], io())
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `skillos: CONFLICT: ${join(consumer.base, 'skills/finance/convert')} already holds a skill that ${join(consumer.base, 'skills-lock.yaml')} does not record (your own?); move it away, or pass --force to replace it`,
    )
    const forced = await consumer.cli(['install', 'finance/convert', '--force'], io())
    expect(forced.stdout.split('\n')[0]).toBe('+ finance/convert@1.0.0  skills/finance/convert')
  })

  it('lists what is outdated, and update moves within the range', async () => {
    await publish('1.1.0')
    const outdated = await consumer.cli(['outdated', '--json'], io())
    expect(JSON.parse(outdated.stdout)).toEqual([
      {
        id: 'acme/hello',
        current: '1.0.0',
        wanted: '1.1.0',
        latest: '1.1.0',
        range: '^1.0.0',
        registry: 'http://registry.test',
      },
    ])
    const table = await consumer.cli(['outdated'], io())
    expect(table.stdout.split('\n').slice(0, 2)).toEqual([
      'skill       current  wanted  latest  range',
      'acme/hello  1.0.0    1.1.0   1.1.0   ^1.0.0',
    ])
    const update = await consumer.cli(['update', 'acme/hello', '--json'], io())
    expect(update.code).toBe(0)
    expect((JSON.parse(update.stdout) as InstallJson).installed).toEqual([
      expect.objectContaining({
        id: 'acme/hello',
        version: '1.1.0',
        previous: '1.0.0',
        status: 'updated',
      }),
    ])
    expect(await installed()).toBe(manifest('1.1.0'))
    expect((await consumer.cli(['outdated'], io())).stdout).toBe(
      'Every skill in skills-lock.yaml is up to date',
    )
  })

  it('re-installs from the lockfile byte for byte, and a tampered tarball installs nothing', async () => {
    const before = await installed()
    await rm(join(consumer.base, 'skills/acme'), { recursive: true })
    const again = await consumer.cli(['install'], io())
    expect(again.code, again.stderr).toBe(0)
    expect(await installed()).toBe(before)

    await rm(join(consumer.base, 'skills/acme'), { recursive: true })
    const lockBefore = await readFile(join(consumer.base, 'skills-lock.yaml'), 'utf8')
    const other = await registry.fetch(`${registry.url}/acme/hello/-/hello-1.0.0.tgz`)
    registry.tamper('acme/hello', '1.1.0', new Uint8Array(await other.arrayBuffer()))
    const tampered = await consumer.cli(['install'], io())
    expect(tampered.code).toBe(1)
    expect(tampered.stderr).toMatch(
      /^skillos: INTEGRITY_FAILED: The tarball downloaded from http:\/\/registry\.test\/acme\/hello\/-\/hello-1\.1\.0\.tgz is not the one expected \(Integrity check failed: expected sha512-\S+, got sha512-\S+\); nothing was installed$/,
    )
    expect(existsSync(join(consumer.base, 'skills/acme'))).toBe(false)
    expect(await readFile(join(consumer.base, 'skills-lock.yaml'), 'utf8')).toBe(lockBefore)
  })
})
