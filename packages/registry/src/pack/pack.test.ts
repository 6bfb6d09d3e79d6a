import {
  cp,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  symlink,
  utimes,
  writeFile,
  chmod,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { SkillOSError } from '@skillos/contracts'
import { list as listTar, type ReadEntry } from 'tar'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { computeIntegrity, verifyIntegrity } from './integrity.js'
import { packSkill } from './pack.js'
import { generateSigningKeys, verifySignature } from './signature.js'
import { unpackSkill } from './unpack.js'

const MANIFEST = [
  'id: finance/convert-currency',
  'version: 1.0.0',
  'name: Convert currency',
  'description: Convert an amount between currencies',
  '',
].join('\n')

/** The example skill, written in a given order (so two copies differ in creation order too). */
const SKILL_FILES: Record<string, string> = {
  'skill.yaml': MANIFEST,
  'index.ts': 'export default async function convert() {\n  return { amount: 1 }\n}\n',
  'index.test.ts': "import { it } from 'vitest'\nit('converts', () => {})\n",
  'README.md': '# Convert currency\n',
  'fixtures/rates.json': '{"EUR":1,"USD":1.08}\n',
  'bin/refresh-rates.sh': '#!/bin/sh\necho refresh\n',
}

let sandbox: string

beforeEach(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'skillos-pack-'))
})

afterEach(async () => {
  await rm(sandbox, { recursive: true, force: true })
})

async function writeSkill(
  dir: string,
  files: Record<string, string>,
  reverse = false,
): Promise<void> {
  const entries = Object.entries(files)
  for (const [path, content] of reverse ? entries.reverse() : entries) {
    await mkdir(join(dir, path, '..'), { recursive: true })
    await writeFile(join(dir, path), content)
  }
  if ('bin/refresh-rates.sh' in files) await chmod(join(dir, 'bin/refresh-rates.sh'), 0o775)
}

async function errorOf(promise: Promise<unknown>): Promise<SkillOSError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(SkillOSError.is(error), `expected a SkillOSError, got ${String(error)}`).toBe(true)
  return error as SkillOSError
}

describe('packSkill', () => {
  it('packs a skill folder that unpacks to the same bytes', async () => {
    const source = join(sandbox, 'convert-currency')
    await writeSkill(source, SKILL_FILES)

    const packed = await packSkill(source)
    const unpacked = await unpackSkill(packed.tarball, join(sandbox, 'out'), {
      integrity: packed.integrity,
    })

    const paths = Object.keys(SKILL_FILES)
    expect(unpacked.files.map((file) => file.path).sort()).toEqual([...paths].sort())
    for (const path of paths) {
      expect(await readFile(join(sandbox, 'out', path))).toEqual(await readFile(join(source, path)))
    }
    expect(unpacked.manifest).toEqual(packed.manifest)
    expect(packed.manifest?.id).toBe('finance/convert-currency')
    expect(packed.manifest?.entry).toBe('index.ts')
  })

  it('lists files sorted by path with sizes and normalised modes', async () => {
    const source = join(sandbox, 'convert-currency')
    await writeSkill(source, SKILL_FILES)

    const packed = await packSkill(source)

    expect(packed.files).toEqual([
      { path: 'README.md', size: 19, mode: 0o644 },
      { path: 'bin/refresh-rates.sh', size: 23, mode: 0o755 },
      { path: 'fixtures/rates.json', size: 21, mode: 0o644 },
      { path: 'index.test.ts', size: SKILL_FILES['index.test.ts']?.length, mode: 0o644 },
      { path: 'index.ts', size: SKILL_FILES['index.ts']?.length, mode: 0o644 },
      { path: 'skill.yaml', size: MANIFEST.length, mode: 0o644 },
    ])
    expect(packed.unpackedSize).toBe(packed.files.reduce((sum, file) => sum + file.size, 0))
    expect(packed.integrity).toBe(computeIntegrity(packed.tarball))
    expect(() => verifyIntegrity(packed.tarball, packed.integrity)).not.toThrow()
  })

  it('sorts entries by the UTF-8 bytes of their full paths', async () => {
    const source = join(sandbox, 'skill')
    // Per-folder walking would put "a/x.txt" before "a-b.txt"; UTF-16 order would put 😀 before ～.
    await writeSkill(source, {
      'skill.yaml': MANIFEST,
      'a/x.txt': '1',
      'a-b.txt': '2',
      '\u{1F600}.md': '3',
      '\uFF5E.md': '4',
    })
    const packed = await packSkill(source)
    expect(packed.files.map((file) => file.path)).toEqual([
      'a-b.txt',
      'a/x.txt',
      'skill.yaml',
      '\uFF5E.md',
      '\u{1F600}.md',
    ])
  })

  it('gives the same bytes twice, and for a copy elsewhere with other mtimes and creation order', async () => {
    const first = join(sandbox, 'a', 'convert-currency')
    const second = join(sandbox, 'somewhere', 'else', 'skill')
    await writeSkill(first, SKILL_FILES)
    await writeSkill(second, SKILL_FILES, true)
    const past = new Date('2001-02-03T04:05:06Z')
    for (const path of Object.keys(SKILL_FILES)) await utimes(join(second, path), past, past)

    const [one, two, three] = [
      await packSkill(first),
      await packSkill(first),
      await packSkill(second),
    ]

    expect(Buffer.from(two.tarball).equals(Buffer.from(one.tarball))).toBe(true)
    expect(Buffer.from(three.tarball).equals(Buffer.from(one.tarball))).toBe(true)
    expect(three.integrity).toBe(one.integrity)
  })

  it('writes a fixed gzip header: no mtime, no name, OS "unknown"', async () => {
    const source = join(sandbox, 'skill')
    await writeSkill(source, SKILL_FILES)
    const { tarball } = await packSkill(source)
    expect([...tarball.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
  })

  it('writes ustar entries under skill/ with a fixed mtime, uid and gid 0 and no owner names', async () => {
    const source = join(sandbox, 'skill')
    await writeSkill(source, SKILL_FILES)
    const { tarball } = await packSkill(source)

    const file = join(sandbox, 'skill.tgz')
    await writeFile(file, tarball)
    const entries: ReadEntry[] = []
    listTar({ file, sync: true, onReadEntry: (entry) => void entries.push(entry) })

    expect(entries.map((entry) => entry.path)).toEqual([
      'skill/README.md',
      'skill/bin/refresh-rates.sh',
      'skill/fixtures/rates.json',
      'skill/index.test.ts',
      'skill/index.ts',
      'skill/skill.yaml',
    ])
    for (const entry of entries) {
      expect(entry.type).toBe('File')
      expect(entry.mtime?.toISOString()).toBe('1985-10-26T08:15:00.000Z')
      expect(entry.uid).toBe(0)
      expect(entry.gid).toBe(0)
      expect(entry.uname ?? '').toBe('')
      expect(entry.gname ?? '').toBe('')
    }
    expect(entries.map((entry) => entry.mode)).toEqual([0o644, 0o755, 0o644, 0o644, 0o644, 0o644])
  })

  it('leaves out node_modules, .git, .skillos, .DS_Store and what .skillosignore lists', async () => {
    const source = join(sandbox, 'skill')
    await writeSkill(source, {
      ...SKILL_FILES,
      'node_modules/left-pad/index.js': 'x',
      'fixtures/node_modules/x.js': 'x',
      '.git/HEAD': 'ref: refs/heads/main',
      '.skillos/cache.json': '{}',
      '.DS_Store': 'x',
      'fixtures/.DS_Store': 'x',
      'debug.log': 'x',
      'fixtures/trace.log': 'x',
      'fixtures/large/rates-2020.json': 'x',
      'docs/fixtures/large/kept.json': 'x',
      'tmp/scratch.txt': 'x',
      '.skillosignore': '# local noise\n*.log\n/fixtures/large/\ntmp/\n\n',
    })

    const packed = await packSkill(source)

    expect(packed.files.map((file) => file.path)).toEqual([
      '.skillosignore',
      'README.md',
      'bin/refresh-rates.sh',
      'docs/fixtures/large/kept.json',
      'fixtures/rates.json',
      'index.test.ts',
      'index.ts',
      'skill.yaml',
    ])
  })

  it('always packs skill.yaml and SKILL.md even when .skillosignore matches them', async () => {
    const source = join(sandbox, 'skill')
    await writeSkill(source, {
      ...SKILL_FILES,
      'SKILL.md': '# x\n',
      '.skillosignore': '*.yaml\n*.md\n',
    })
    const packed = await packSkill(source)
    expect(packed.files.map((file) => file.path)).toEqual([
      '.skillosignore',
      'SKILL.md',
      'bin/refresh-rates.sh',
      'fixtures/rates.json',
      'index.test.ts',
      'index.ts',
      'skill.yaml',
    ])
  })

  it('packs an Agent Skills folder (SKILL.md only) with no manifest', async () => {
    const source = join(sandbox, 'pdf-tools')
    await writeSkill(source, {
      'SKILL.md': '---\nname: pdf-tools\ndescription: Work with PDF files\n---\n# PDF tools\n',
      'scripts/extract.py': 'print(1)\n',
    })

    const packed = await packSkill(source)
    const unpacked = await unpackSkill(packed.tarball, join(sandbox, 'out'))

    expect(packed.manifest).toBeUndefined()
    expect(unpacked.manifest).toBeUndefined()
    expect(unpacked.files.map((file) => file.path)).toEqual(['SKILL.md', 'scripts/extract.py'])
  })

  it('packs long paths through pax headers and unpacks them', async () => {
    const deep = `fixtures/${'a-rather-long-folder-name/'.repeat(12)}rates.json`
    const source = join(sandbox, 'skill')
    await writeSkill(source, { 'skill.yaml': MANIFEST, [deep]: '{"EUR":1}' })

    const packed = await packSkill(source)
    await unpackSkill(packed.tarball, join(sandbox, 'out'))

    expect(Buffer.byteLength(`skill/${deep}`)).toBeGreaterThan(255)
    expect(gunzipSync(packed.tarball).includes(Buffer.from(` path=skill/${deep}\n`))).toBe(true)
    expect(await readFile(join(sandbox, 'out', deep), 'utf8')).toBe('{"EUR":1}')
  })

  it('signs the integrity when given a signing key', async () => {
    const keys = generateSigningKeys()
    const source = join(sandbox, 'skill')
    await writeSkill(source, SKILL_FILES)

    const packed = await packSkill(source, { signingKey: keys.privateKey })

    const signature = packed.signature
    if (signature === undefined) throw new Error('packSkill returned no signature')
    expect(signature).toMatchObject({ keyId: keys.keyId, algorithm: 'ed25519' })
    expect(() => verifySignature(packed.integrity, signature, [keys.publicKey])).not.toThrow()
    const unpacked = await unpackSkill(packed.tarball, join(sandbox, 'out'), {
      integrity: packed.integrity,
      signature,
      trustedKeys: {
        [keys.keyId]: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    })
    expect(unpacked.signedBy).toBe(keys.keyId)
  })

  it('uses the given key id in the signature', async () => {
    const keys = generateSigningKeys()
    const source = join(sandbox, 'skill')
    await writeSkill(source, SKILL_FILES)
    const packed = await packSkill(source, { signingKey: keys.privateKey, keyId: 'acme-2025' })
    const signature = packed.signature
    if (signature === undefined) throw new Error('packSkill returned no signature')
    expect(signature.keyId).toBe('acme-2025')
    const trusted = new Map([['acme-2025', keys.publicKey]])
    expect(() => verifySignature(packed.integrity, signature, trusted)).not.toThrow()
    // Under its derived id the key is not trusted here: ids are what the trust map says.
    expect(() => verifySignature(packed.integrity, signature, [keys.publicKey])).toThrow(
      /not trusted/,
    )
  })

  it('refuses a folder with a symbolic link, naming it', async () => {
    const source = join(sandbox, 'skill')
    await writeSkill(source, SKILL_FILES)
    await symlink('/etc/passwd', join(source, 'fixtures', 'passwd'))

    const error = await errorOf(packSkill(source))

    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toContain('"fixtures/passwd" is a symbolic link')
  })

  it('refuses a file name that unpacking would refuse', async () => {
    const source = join(sandbox, 'skill')
    await writeSkill(source, { ...SKILL_FILES, 'fixtures/a\\b.json': '{}' })
    const error = await errorOf(packSkill(source))
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toContain('"fixtures/a\\b.json" contains a backslash')
  })

  it('refuses an invalid skill.yaml, naming the file, line and field', async () => {
    const source = join(sandbox, 'skill')
    await writeSkill(source, {
      ...SKILL_FILES,
      'skill.yaml': MANIFEST.replace('finance/', 'Finance '),
    })
    const error = await errorOf(packSkill(source))
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toContain(
      `${join(source, 'skill.yaml')}:1:5 id: must look like "domain/name"`,
    )
  })

  it('refuses a folder with neither skill.yaml nor SKILL.md', async () => {
    const source = join(sandbox, 'skill')
    await writeSkill(source, { 'index.ts': 'export {}' })
    const error = await errorOf(packSkill(source))
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toContain('neither skill.yaml nor SKILL.md')
  })

  it('refuses a folder over maxBytes or maxFiles', async () => {
    const source = join(sandbox, 'skill')
    await writeSkill(source, SKILL_FILES)
    const bytes = await errorOf(packSkill(source, { maxBytes: 100 }))
    expect(bytes.code).toBe('PAYLOAD_TOO_LARGE')
    expect(bytes.message).toContain('over the limit of 100 (maxBytes)')
    const files = await errorOf(packSkill(source, { maxFiles: 3 }))
    expect(files.code).toBe('PAYLOAD_TOO_LARGE')
    expect(files.message).toContain('more than 3 files (maxFiles)')
  })

  it('refuses a path that is not a folder', async () => {
    const error = await errorOf(packSkill(join(sandbox, 'missing')))
    expect(error.code).toBe('NOT_FOUND')
  })

  it('packs a copy made with cp to the same bytes', async () => {
    const source = join(sandbox, 'skill')
    await writeSkill(source, SKILL_FILES)
    await cp(source, join(sandbox, 'copy'), { recursive: true })
    const [a, b] = [await packSkill(source), await packSkill(join(sandbox, 'copy'))]
    expect(b.integrity).toBe(a.integrity)
  })
})
