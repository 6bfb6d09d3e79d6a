import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SkillOSError } from '@skillos/contracts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateSigningKeys } from '../pack/signature.js'
import { createFakeRegistry, type FakeRegistry } from './fake-registry.test-data.js'
import {
  findOutdated,
  installFromLockfile,
  installSkills,
  updateSkills,
  type InstallOptions,
} from './install.js'
import { readLockfile } from './lockfile.js'
import { createRegistryClient } from './registry-client.js'

let registry: FakeRegistry
let work: string
let options: InstallOptions

beforeEach(async () => {
  registry = await createFakeRegistry()
  work = await mkdtemp(join(tmpdir(), 'skillos-install-'))
  options = {
    root: join(work, 'skills'),
    lockfile: join(work, 'skills-lock.yaml'),
    registryFor: () => registry.url,
    client: (url) => createRegistryClient({ url, fetch: registry.fetch }),
  }
})
afterEach(async () => {
  await registry.cleanup()
  await rm(work, { recursive: true, force: true })
})

async function caught(promise: Promise<unknown>): Promise<SkillOSError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(SkillOSError.is(error), `expected a SkillOSError, got ${String(error)}`).toBe(true)
  return error as SkillOSError
}

const handlerOf = (id: string) => readFile(join(work, 'skills', id, 'index.ts'), 'utf8')

describe('installSkills', () => {
  it('resolves the range, unpacks into <root>/<scope>/<name> and records the lockfile entry', async () => {
    await registry.add('acme/convert', '1.0.0')
    const { integrity } = await registry.add('acme/convert', '1.2.0')
    await registry.add('acme/convert', '2.0.0')

    const report = await installSkills(['acme/convert@^1.0.0'], options)

    expect(report.installed).toEqual([
      expect.objectContaining({ id: 'acme/convert', version: '1.2.0', status: 'installed' }),
    ])
    expect(await handlerOf('acme/convert')).toContain('"version":"1.2.0"')
    const lock = await readLockfile(options.lockfile)
    expect(lock.skills['acme/convert']).toEqual({
      version: '1.2.0',
      range: '^1.0.0',
      registry: 'http://registry.test',
      tarball: 'http://registry.test/acme/convert/-/convert-1.2.0.tgz',
      integrity,
    })
  })

  it('takes the latest dist-tag without a range and records ^version; a dist-tag name resolves to its version', async () => {
    await registry.add('acme/convert', '1.0.0')
    await registry.add('acme/convert', '2.0.0-beta.1', { tag: 'beta' })
    await installSkills(['acme/convert'], options)
    expect((await readLockfile(options.lockfile)).skills['acme/convert']).toMatchObject({
      version: '1.0.0',
      range: '^1.0.0',
    })
    const report = await installSkills(['acme/convert@beta'], options)
    expect(report.installed[0]).toMatchObject({
      version: '2.0.0-beta.1',
      previous: '1.0.0',
      status: 'updated',
    })
    expect((await readLockfile(options.lockfile)).skills['acme/convert']?.range).toBe('beta')
  })

  it('installs the dependencies a manifest lists, and keeps a locked version that satisfies them', async () => {
    await registry.add('acme/rates', '1.1.0')
    await registry.add('acme/convert', '1.0.0', { dependencies: { 'acme/rates': '^1.0.0' } })
    const report = await installSkills(['acme/convert'], options)
    expect(report.installed.map((s) => [s.id, s.version, s.dependency ?? false])).toEqual([
      ['acme/convert', '1.0.0', false],
      ['acme/rates', '1.1.0', true],
    ])
    expect(Object.keys((await readLockfile(options.lockfile)).skills)).toEqual([
      'acme/convert',
      'acme/rates',
    ])
    await registry.add('acme/rates', '1.2.0')
    await installSkills(['acme/convert'], options)
    expect((await readLockfile(options.lockfile)).skills['acme/rates']?.version).toBe('1.1.0')
  })

  it('fails with NOT_FOUND naming the published versions when nothing matches, and writes nothing', async () => {
    await registry.add('acme/convert', '1.0.0')
    const error = await caught(installSkills(['acme/convert@^3.0.0'], options))
    expect(error.code).toBe('NOT_FOUND')
    expect(error.message).toBe(
      'No version of acme/convert matches "^3.0.0" (published: 1.0.0; dist-tags: latest=1.0.0)',
    )
    expect(existsSync(options.lockfile)).toBe(false)
    expect(existsSync(options.root)).toBe(false)
  })

  it('refuses a tampered tarball with INTEGRITY_FAILED, installs nothing and keeps the old version', async () => {
    await registry.add('acme/convert', '1.0.0')
    await installSkills(['acme/convert'], options)
    const lockBefore = await readFile(options.lockfile, 'utf8')
    await registry.add('acme/convert', '1.1.0')
    const other = await registry.add('acme/other', '1.0.0')
    registry.tamper('acme/convert', '1.1.0', other.tarball)

    const error = await caught(installSkills(['acme/convert@^1.1.0'], options))

    expect(error.code).toBe('INTEGRITY_FAILED')
    expect(error.message).toMatch(
      /^The tarball downloaded from http:\/\/registry\.test\/acme\/convert\/-\/convert-1\.1\.0\.tgz is not the one expected \(Integrity check failed: expected sha512-.+, got sha512-.+\); nothing was installed$/,
    )
    expect(await handlerOf('acme/convert')).toContain('"version":"1.0.0"')
    expect(await readFile(options.lockfile, 'utf8')).toBe(lockBefore)
    expect(await readdir(join(work, 'skills', 'acme'))).toEqual(['convert'])
  })

  it('refuses a folder the lockfile does not manage unless forced', async () => {
    await registry.add('acme/convert', '1.0.0')
    await mkdir(join(options.root, 'acme', 'convert'), { recursive: true })
    await writeFile(join(options.root, 'acme', 'convert', 'skill.yaml'), 'mine: true\n')
    const error = await caught(installSkills(['acme/convert'], options))
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toContain('does not record (your own?); move it away, or pass --force')
    expect(registry.requests.filter((r) => r.url.endsWith('.tgz'))).toEqual([])
    await installSkills(['acme/convert'], { ...options, force: true })
    expect(await handlerOf('acme/convert')).toContain('"version":"1.0.0"')
  })

  it('reports a skill already installed at the resolved version as unchanged, without downloading it', async () => {
    await registry.add('acme/convert', '1.0.0')
    await installSkills(['acme/convert'], options)
    registry.requests.length = 0
    const report = await installSkills(['acme/convert'], options)
    expect(report.installed).toEqual([
      expect.objectContaining({ id: 'acme/convert', version: '1.0.0', status: 'unchanged' }),
    ])
    expect(registry.requests.map((r) => r.url)).toEqual(['http://registry.test/acme/convert'])
  })
})

describe('signatures', () => {
  it('requires a valid signature by a trusted key, and records it in the lockfile', async () => {
    const publisher = generateSigningKeys()
    const pem = publisher.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const { signature } = await registry.add('acme/convert', '1.0.0', {
      signingKey: publisher.privateKey,
    })
    await registry.add('acme/unsigned', '1.0.0')
    const trusted = { ...options, trustedKeys: [pem] }

    const report = await installSkills(['acme/convert'], trusted)
    expect(report.installed[0]?.signedBy).toBe(publisher.keyId)
    expect((await readLockfile(options.lockfile)).skills['acme/convert']?.signature).toEqual({
      keyId: publisher.keyId,
      value: signature!.value,
    })

    const unsigned = await caught(installSkills(['acme/unsigned'], trusted))
    expect(unsigned.code).toBe('INTEGRITY_FAILED')
    expect(unsigned.message).toBe(
      'acme/unsigned@1.0.0: Refusing skill archive: it is not signed, and trustedKeys requires a signature; nothing was installed',
    )
    expect(existsSync(join(options.root, 'acme', 'unsigned'))).toBe(false)
  })

  it('refuses a signature by an untrusted key and a signature that does not match', async () => {
    const publisher = generateSigningKeys()
    const intruder = generateSigningKeys()
    const pem = publisher.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    await registry.add('acme/convert', '1.0.0', { signingKey: intruder.privateKey })
    const wrongKey = await caught(
      installSkills(['acme/convert'], { ...options, trustedKeys: [pem] }),
    )
    expect(wrongKey.code).toBe('INTEGRITY_FAILED')
    expect(wrongKey.message).toContain(`made by key "${intruder.keyId}", which is not trusted`)

    const other = await registry.add('acme/other', '1.0.0', { signingKey: publisher.privateKey })
    registry.setSignature('acme/convert', '1.0.0', { ...other.signature!, keyId: publisher.keyId })
    const mismatch = await caught(
      installSkills(['acme/convert'], { ...options, trustedKeys: [pem] }),
    )
    expect(mismatch.code).toBe('INTEGRITY_FAILED')
    expect(mismatch.message).toContain(`Signature by key "${publisher.keyId}" does not match`)
    expect(existsSync(options.root)).toBe(false)
  })
})

describe('installFromLockfile', () => {
  it('reproduces the exact bytes the lockfile records, even after newer versions appear', async () => {
    await registry.add('acme/convert', '1.0.0', { body: 'first' })
    await registry.add('acme/rates', '2.0.0')
    await installSkills(['acme/convert', 'acme/rates'], options)
    const before = await handlerOf('acme/convert')
    const lockBefore = await readFile(options.lockfile, 'utf8')
    await registry.add('acme/convert', '1.0.1', { body: 'second' })
    await rm(options.root, { recursive: true })

    const report = await installFromLockfile(options)

    expect(report.installed.map((s) => `${s.id}@${s.version}`)).toEqual([
      'acme/convert@1.0.0',
      'acme/rates@2.0.0',
    ])
    expect(await handlerOf('acme/convert')).toBe(before)
    expect(await readFile(options.lockfile, 'utf8')).toBe(lockBefore)
  })

  it('fails on a tarball that changed since it was locked, and installs none of the skills', async () => {
    await registry.add('acme/convert', '1.0.0')
    await registry.add('acme/rates', '1.0.0')
    await installSkills(['acme/convert', 'acme/rates'], options)
    await rm(options.root, { recursive: true })
    const other = await registry.add('acme/other', '1.0.0')
    registry.tamper('acme/rates', '1.0.0', other.tarball)

    const error = await caught(installFromLockfile(options))

    expect(error.code).toBe('INTEGRITY_FAILED')
    expect(existsSync(options.root)).toBe(false)
  })

  it('requires a trusted key when the lockfile recorded a signature', async () => {
    const publisher = generateSigningKeys()
    const pem = publisher.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    await registry.add('acme/convert', '1.0.0', { signingKey: publisher.privateKey })
    await installSkills(['acme/convert'], { ...options, trustedKeys: [pem] })
    const error = await caught(installFromLockfile(options))
    expect(error.code).toBe('INTEGRITY_FAILED')
    expect(error.message).toBe(
      `acme/convert@1.0.0 was installed signed by key ${publisher.keyId}, and no trusted key is configured to check it; add that publisher's public key to registry.trustedKeys (or SKILLOS_REGISTRY_TRUSTED_KEYS)`,
    )
    const report = await installFromLockfile({ ...options, trustedKeys: [pem] })
    expect(report.installed[0]?.signedBy).toBe(publisher.keyId)
  })
})

describe('findOutdated and updateSkills', () => {
  it('lists wanted (within the range) and latest, and update moves to wanted only', async () => {
    await registry.add('acme/convert', '1.0.0')
    await registry.add('acme/rates', '1.0.0')
    await installSkills(['acme/convert', 'acme/rates'], options)
    await registry.add('acme/convert', '1.3.0')
    await registry.add('acme/convert', '2.0.0')

    expect(await findOutdated(options)).toEqual([
      {
        id: 'acme/convert',
        current: '1.0.0',
        wanted: '1.3.0',
        latest: '2.0.0',
        range: '^1.0.0',
        registry: 'http://registry.test',
      },
    ])

    const report = await updateSkills([], options)
    expect(report.installed.map((s) => [s.id, s.status, s.version])).toEqual([
      ['acme/convert', 'updated', '1.3.0'],
      ['acme/rates', 'unchanged', '1.0.0'],
    ])
    expect(await handlerOf('acme/convert')).toContain('"version":"1.3.0"')
    expect((await findOutdated(options)).map((o) => [o.id, o.wanted, o.latest])).toEqual([
      ['acme/convert', '1.3.0', '2.0.0'],
    ])
  })

  it('refuses to update a skill that is not installed, naming what to do', async () => {
    const error = await caught(updateSkills(['acme/convert'], options))
    expect(error.code).toBe('NOT_FOUND')
    expect(error.message).toBe(
      `acme/convert is not installed here (not in ${options.lockfile}); install it with skillos install acme/convert`,
    )
  })
})
