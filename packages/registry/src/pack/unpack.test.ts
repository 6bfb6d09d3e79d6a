import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { SkillOSError, type ErrorCode } from '@skillos/contracts'
import { create as createTar } from 'tar'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { computeIntegrity } from './integrity.js'
import { packSkill } from './pack.js'
import { generateSigningKeys, signIntegrity } from './signature.js'
import { inspectTarball, unpackSkill, type UnpackOptions } from './unpack.js'

// --- A raw ustar writer, so each test controls every byte of its archive. ---

interface RawEntry {
  name: string
  /** Typeflag: '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device, '5' dir, '6' FIFO, 'x' pax, 'L' GNU long name. */
  type?: string
  linkname?: string
  /** Declared size; defaults to the content length. */
  size?: number
  content?: string | Uint8Array
  mode?: number
}

function octal(value: number, digits: number): string {
  return `${value.toString(8).padStart(digits, '0')}\0`
}

function rawHeader(entry: RawEntry, size: number): Buffer {
  const block = Buffer.alloc(512)
  block.write(entry.name, 0, 100, 'utf8')
  block.write(octal(entry.mode ?? 0o644, 7), 100)
  block.write(octal(0, 7), 108)
  block.write(octal(0, 7), 116)
  block.write(octal(size, 11), 124)
  block.write(octal(0, 11), 136)
  block.write(' '.repeat(8), 148)
  block.write(entry.type ?? '0', 156)
  block.write(entry.linkname ?? '', 157, 100, 'utf8')
  block.write('ustar\u000000', 257)
  let sum = 0
  for (const byte of block) sum += byte
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
  return block
}

function rawTar(entries: RawEntry[], trailer: Uint8Array = Buffer.alloc(1024)): Buffer {
  const parts: Uint8Array[] = []
  for (const entry of entries) {
    const content = Buffer.from(entry.content ?? '')
    parts.push(rawHeader(entry, entry.size ?? content.length))
    parts.push(content, Buffer.alloc((512 - (content.length % 512)) % 512))
  }
  parts.push(trailer)
  return Buffer.concat(parts)
}

function tgz(entries: RawEntry[], trailer?: Uint8Array): Uint8Array {
  return gzipSync(rawTar(entries, trailer))
}

/** A pax extended header whose records apply to the next entry. */
function pax(records: Record<string, string>): RawEntry {
  const body = Object.entries(records)
    .map(([key, value]) => {
      const rest = ` ${key}=${value}\n`
      let length = Buffer.byteLength(rest) + 1
      while (String(length).length + Buffer.byteLength(rest) !== length) {
        length = String(length).length + Buffer.byteLength(rest)
      }
      return `${length}${rest}`
    })
    .join('')
  return { name: 'PaxHeader', type: 'x', content: body }
}

const MANIFEST = [
  'id: finance/convert-currency',
  'version: 1.0.0',
  'name: Convert currency',
  'description: Convert an amount between currencies',
  '',
].join('\n')

const manifestEntry: RawEntry = { name: 'skill/skill.yaml', content: MANIFEST }

// --- Sandbox: every test gets its own folder; the destination must never appear on failure. ---

let sandbox: string
let destination: string

beforeEach(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'skillos-unpack-'))
  destination = join(sandbox, 'installed', 'convert-currency')
})

afterEach(async () => {
  await rm(sandbox, { recursive: true, force: true })
})

async function expectRefused(
  tarball: Uint8Array,
  expected: { code: ErrorCode; entry?: string; reason?: RegExp },
  options: UnpackOptions = {},
): Promise<SkillOSError> {
  const before = await readdir(sandbox)
  const error: unknown = await unpackSkill(tarball, destination, options).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(SkillOSError.is(error), `expected a SkillOSError, got ${String(error)}`).toBe(true)
  const skillError = error as SkillOSError
  expect(skillError.code).toBe(expected.code)
  if (expected.entry !== undefined) expect(skillError.message).toContain(`"${expected.entry}"`)
  if (expected.reason !== undefined) expect(skillError.message).toMatch(expected.reason)
  // Nothing written: not the destination, not its parent, not a staging folder, not a stray file.
  expect(existsSync(destination)).toBe(false)
  expect(await readdir(sandbox)).toEqual(before)
  // inspectTarball applies the same checks.
  await expect(inspectTarball(tarball, options)).rejects.toMatchObject({ code: expected.code })
  return skillError
}

describe('unpackSkill: paths', () => {
  it('refuses a "../" traversal', async () => {
    const tarball = tgz([manifestEntry, { name: 'skill/../../evil.txt', content: 'pwned' }])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/../../evil.txt',
      reason: /path traversal/,
    })
    expect(existsSync(join(sandbox, 'evil.txt'))).toBe(false)
  })

  it('refuses a traversal hidden in a pax path record', async () => {
    const tarball = tgz([
      manifestEntry,
      pax({ path: 'skill/../escape.txt' }),
      { name: 'skill/harmless.txt', content: 'pwned' },
    ])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/../escape.txt',
      reason: /path traversal/,
    })
  })

  it('refuses an absolute path', async () => {
    const tarball = tgz([manifestEntry, { name: '/tmp/skillos-evil.txt', content: 'pwned' }])
    const error = await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: '/tmp/skillos-evil.txt',
      reason: /absolute path/,
    })
    expect(error.details).toMatchObject({ entry: '/tmp/skillos-evil.txt' })
  })

  it('refuses a Windows drive path with backslashes', async () => {
    const tarball = tgz([manifestEntry, { name: 'C:\\Windows\\evil.dll', content: 'MZ' }])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'C:\\Windows\\evil.dll',
      reason: /absolute Windows path/,
    })
  })

  it('refuses a backslash inside an entry name', async () => {
    const tarball = tgz([manifestEntry, { name: 'skill/..\\..\\evil.txt', content: 'x' }])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/..\\..\\evil.txt',
      reason: /backslash/,
    })
  })

  it('refuses a NUL byte in a name', async () => {
    const tarball = tgz([
      manifestEntry,
      pax({ path: 'skill/index.ts\0.png' }),
      { name: 'skill/x', content: 'x' },
    ])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/index.ts\0.png',
      reason: /NUL byte/,
    })
  })

  it('refuses an entry outside the skill/ folder', async () => {
    const tarball = tgz([manifestEntry, { name: 'package/index.js', content: 'x' }])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'package/index.js',
      reason: /not inside the "skill\/" folder/,
    })
  })

  it('refuses a path that appears twice', async () => {
    const tarball = tgz([manifestEntry, { name: 'skill/skill.yaml', content: 'id: x/y' }])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/skill.yaml',
      reason: /more than once/,
    })
  })

  it('refuses paths that collide on a case-insensitive file system', async () => {
    const tarball = tgz([
      manifestEntry,
      { name: 'skill/README.md', content: 'a' },
      { name: 'skill/readme.md', content: 'b' },
    ])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/readme.md',
      reason: /collides with "README.md"/,
    })
  })

  it('refuses a file that another entry uses as a directory', async () => {
    const tarball = tgz([
      manifestEntry,
      { name: 'skill/fixtures', content: 'a file' },
      { name: 'skill/fixtures/rates.json', content: '{}' },
    ])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/fixtures/rates.json',
      reason: /inside "fixtures", which is a file/,
    })
  })
})

describe('unpackSkill: links and special files', () => {
  it('refuses a symbolic link pointing outside the skill folder', async () => {
    const tarball = tgz([
      manifestEntry,
      { name: 'skill/fixtures/passwd', type: '2', linkname: '../../../etc/passwd' },
    ])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/fixtures/passwd',
      reason: /symbolic link to "..\/..\/..\/etc\/passwd", which points outside the skill folder/,
    })
  })

  it('refuses a symbolic link to an absolute path', async () => {
    const tarball = tgz([
      manifestEntry,
      { name: 'skill/key', type: '2', linkname: '/root/.ssh/id_ed25519' },
    ])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/key',
      reason: /points outside the skill folder/,
    })
  })

  it('refuses a symbolic link even when it stays inside the skill folder', async () => {
    const tarball = tgz([
      manifestEntry,
      { name: 'skill/index.ts', content: 'export {}' },
      { name: 'skill/lib/alias.ts', type: '2', linkname: '../index.ts' },
    ])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/lib/alias.ts',
      reason: /links are not allowed/,
    })
  })

  it('refuses a hard link pointing outside the skill folder', async () => {
    const tarball = tgz([
      manifestEntry,
      { name: 'skill/shadow', type: '1', linkname: '../etc/shadow' },
    ])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/shadow',
      reason: /hard link to "..\/etc\/shadow", which points outside the skill folder/,
    })
  })

  it('refuses a hard link to an absolute path', async () => {
    const tarball = tgz([manifestEntry, { name: 'skill/hosts', type: '1', linkname: '/etc/hosts' }])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/hosts',
      reason: /points outside the skill folder/,
    })
  })

  it('refuses a character device', async () => {
    const tarball = tgz([manifestEntry, { name: 'skill/null', type: '3' }])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/null',
      reason: /character device/,
    })
  })

  it('refuses a block device', async () => {
    const tarball = tgz([manifestEntry, { name: 'skill/sda', type: '4' }])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/sda',
      reason: /block device/,
    })
  })

  it('refuses a FIFO', async () => {
    const tarball = tgz([manifestEntry, { name: 'skill/pipe', type: '6' }])
    await expectRefused(tarball, {
      code: 'VALIDATION_FAILED',
      entry: 'skill/pipe',
      reason: /FIFO/,
    })
  })
})

describe('unpackSkill: limits', () => {
  it('refuses an entry whose declared size is over maxBytes, before reading its body', async () => {
    // The header claims 11 MiB; the archive holds none of it.
    const tarball = tgz(
      [manifestEntry, { name: 'skill/huge.bin', size: 11 * 1024 * 1024 }],
      Buffer.alloc(0),
    )
    const error = await expectRefused(tarball, {
      code: 'PAYLOAD_TOO_LARGE',
      entry: 'skill/huge.bin',
      reason: /limit of 10485760 bytes \(maxBytes\)/,
    })
    expect(error.details).toMatchObject({ limit: 10 * 1024 * 1024, option: 'maxBytes' })
  })

  it('refuses files that add up to more than maxBytes', async () => {
    const tarball = tgz([
      manifestEntry,
      { name: 'skill/a.bin', content: Buffer.alloc(600) },
      { name: 'skill/b.bin', content: Buffer.alloc(600) },
    ])
    await expectRefused(
      tarball,
      { code: 'PAYLOAD_TOO_LARGE', entry: 'skill/b.bin', reason: /limit of 1200 bytes/ },
      { maxBytes: 1200 },
    )
  })

  it('stops a gzip bomb at the cap and names the entry', async () => {
    const bomb = Buffer.alloc(64 * 1024 * 1024)
    const tarball = tgz([manifestEntry, { name: 'skill/bomb.bin', content: bomb }])
    expect(tarball.length).toBeLessThan(100 * 1024) // 64 MiB of zeros squeezed into ~64 KiB
    await expectRefused(tarball, {
      code: 'PAYLOAD_TOO_LARGE',
      entry: 'skill/bomb.bin',
    })
  })

  it('stops a gzip bomb of padding after the end of the archive', async () => {
    const tarball = tgz([manifestEntry], Buffer.alloc(64 * 1024 * 1024))
    await expectRefused(tarball, { code: 'PAYLOAD_TOO_LARGE', reason: /decompresses to more than/ })
  })

  it('refuses more entries than maxFiles', async () => {
    const tarball = tgz([
      manifestEntry,
      { name: 'skill/a.ts', content: 'a' },
      { name: 'skill/b.ts', content: 'b' },
      { name: 'skill/c.ts', content: 'c' },
    ])
    const error = await expectRefused(
      tarball,
      { code: 'PAYLOAD_TOO_LARGE', entry: 'skill/c.ts', reason: /limit of 3 entries \(maxFiles\)/ },
      { maxFiles: 3 },
    )
    expect(error.details).toMatchObject({ limit: 3, option: 'maxFiles' })
  })

  it('refuses a tarball over maxCompressedBytes without decompressing it', async () => {
    const tarball = tgz([manifestEntry])
    await expectRefused(
      tarball,
      { code: 'PAYLOAD_TOO_LARGE', reason: /over the limit of 10 \(maxCompressedBytes\)/ },
      { maxCompressedBytes: 10 },
    )
  })
})

describe('unpackSkill: integrity and signatures', () => {
  const tarball = tgz([manifestEntry, { name: 'skill/index.ts', content: 'export {}' }])
  const integrity = computeIntegrity(tarball)
  const publisher = generateSigningKeys()
  const stranger = generateSigningKeys()

  it('refuses a tarball whose hash is not the expected one', async () => {
    const expected = computeIntegrity(Buffer.from('another tarball'))
    const error = await expectRefused(
      tarball,
      { code: 'INTEGRITY_FAILED', reason: /Integrity check failed/ },
      { integrity: expected },
    )
    expect(error.message).toContain(expected)
    expect(error.message).toContain(integrity)
  })

  it('refuses a tampered tarball against the integrity published for the original', async () => {
    const tampered = Uint8Array.from(tarball)
    tampered[tampered.length - 9] = (tampered[tampered.length - 9] ?? 0) ^ 0xff
    await expectRefused(tampered, { code: 'INTEGRITY_FAILED' }, { integrity })
  })

  it('refuses an unsigned tarball when trusted keys are configured', async () => {
    await expectRefused(
      tarball,
      { code: 'INTEGRITY_FAILED', reason: /not signed, and trustedKeys requires a signature/ },
      { integrity, trustedKeys: [publisher.publicKey] },
    )
  })

  it('refuses a signature by a key that is not trusted', async () => {
    const signature = signIntegrity(integrity, stranger.privateKey)
    const error = await expectRefused(
      tarball,
      { code: 'INTEGRITY_FAILED', reason: /not trusted/ },
      { signature, trustedKeys: [publisher.publicKey] },
    )
    expect(error.message).toContain(stranger.keyId)
    expect(error.message).toContain(publisher.keyId)
  })

  it('refuses a signature made over another tarball', async () => {
    const other = computeIntegrity(Buffer.from('another tarball'))
    const signature = signIntegrity(other, publisher.privateKey)
    await expectRefused(
      tarball,
      { code: 'INTEGRITY_FAILED', reason: /does not match integrity/ },
      { signature, trustedKeys: [publisher.publicKey] },
    )
  })

  it('refuses a signature claiming a trusted key id but made with another key', async () => {
    const signature = signIntegrity(integrity, stranger.privateKey, publisher.keyId)
    await expectRefused(
      tarball,
      { code: 'INTEGRITY_FAILED', reason: /does not match/ },
      { signature, trustedKeys: [publisher.publicKey] },
    )
  })

  it('unpacks when the signature is by a trusted key, and reports the key', async () => {
    const signature = signIntegrity(integrity, publisher.privateKey)
    const result = await unpackSkill(tarball, destination, {
      integrity,
      signature,
      trustedKeys: [stranger.publicKey, publisher.publicKey],
    })
    expect(result.signedBy).toBe(publisher.keyId)
    expect(result.integrity).toBe(integrity)
    expect(await readFile(join(destination, 'index.ts'), 'utf8')).toBe('export {}')
  })
})

describe('unpackSkill: archives', () => {
  it('refuses an archive with a wrong header checksum', async () => {
    const tar = rawTar([manifestEntry])
    tar[0] = 'S'.charCodeAt(0) // "Skill/skill.yaml": checksum no longer matches
    await expectRefused(gzipSync(tar), { code: 'VALIDATION_FAILED', reason: /wrong checksum/ })
  })

  it('refuses bytes that are not gzip', async () => {
    await expectRefused(rawTar([manifestEntry]), {
      code: 'VALIDATION_FAILED',
      reason: /not gzip-compressed/,
    })
  })

  it('refuses a truncated archive', async () => {
    const tar = rawTar([manifestEntry, { name: 'skill/a.bin', content: Buffer.alloc(4096, 1) }])
    await expectRefused(gzipSync(tar.subarray(0, 512 * 4)), {
      code: 'VALIDATION_FAILED',
      entry: 'skill/a.bin',
      reason: /archive ends inside/,
    })
  })

  it('refuses data hidden after the end-of-archive marker', async () => {
    const trailer = Buffer.concat([Buffer.alloc(1024), rawHeader({ name: 'skill/hidden' }, 0)])
    await expectRefused(tgz([manifestEntry], trailer), {
      code: 'VALIDATION_FAILED',
      reason: /data follows the end-of-archive marker/,
    })
  })

  it('refuses data after a lone zero block', async () => {
    const trailer = Buffer.concat([
      Buffer.alloc(512),
      rawHeader({ name: 'skill/hidden' }, 0),
      Buffer.alloc(1024),
    ])
    await expectRefused(tgz([manifestEntry], trailer), {
      code: 'VALIDATION_FAILED',
      reason: /data follows the end-of-archive marker/,
    })
  })

  it('refuses a pax header that no entry follows', async () => {
    await expectRefused(tgz([manifestEntry, pax({ path: 'skill/x' })]), {
      code: 'VALIDATION_FAILED',
      reason: /extended header is not followed by an entry/,
    })
  })

  it('refuses a tar gzip-compressed twice (node-tar would gunzip it past the cap)', async () => {
    await expectRefused(gzipSync(gzipSync(rawTar([manifestEntry]))), {
      code: 'VALIDATION_FAILED',
      reason: /gzip-compressed twice/,
    })
  })

  it('refuses a name that is not valid UTF-8', async () => {
    const tar = rawTar([manifestEntry, { name: 'skill/ab.txt', content: 'x' }])
    const header = tar.subarray(1024, 1536) // after skill.yaml's header and one body block
    header[6] = 0xff
    header.write(' '.repeat(8), 148)
    const sum = header.reduce((total, byte) => total + byte, 0)
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
    await expectRefused(gzipSync(tar), { code: 'VALIDATION_FAILED', reason: /not valid UTF-8/ })
  })

  it('refuses an archive with neither skill.yaml nor SKILL.md', async () => {
    await expectRefused(tgz([{ name: 'skill/index.ts', content: 'x' }]), {
      code: 'VALIDATION_FAILED',
      reason: /neither skill\/skill.yaml nor skill\/SKILL.md/,
    })
  })

  it('refuses an invalid skill.yaml, naming the field and line', async () => {
    const tarball = tgz([{ name: 'skill/skill.yaml', content: MANIFEST.replace('1.0.0', 'one') }])
    const error = await expectRefused(tarball, { code: 'VALIDATION_FAILED' })
    expect(error.message).toContain('skill/skill.yaml:2')
    expect(error.message).toContain('version')
  })

  it('unpacks a tar written by node-tar, with directory entries and a long pax path', async () => {
    const source = join(sandbox, 'src', 'skill')
    const deep = `fixtures/${'nested-folder/'.repeat(12)}rates.json` // over 155 bytes: needs pax
    await mkdir(join(source, deep, '..'), { recursive: true })
    await writeFile(join(source, 'skill.yaml'), MANIFEST)
    await writeFile(join(source, deep), '{"EUR":1}')
    const file = join(sandbox, 'node-tar.tgz')
    await createTar({ cwd: join(sandbox, 'src'), file, gzip: true, portable: true }, ['skill'])
    const tarball = await readFile(file)

    const result = await unpackSkill(tarball, destination)

    expect(result.files.map((f) => f.path).sort()).toEqual([deep, 'skill.yaml'])
    expect(await readFile(join(destination, deep), 'utf8')).toBe('{"EUR":1}')
    expect(result.manifest?.id).toBe('finance/convert-currency')
  })

  it('normalises modes: 0o755 when any execute bit is set, else 0o644', async () => {
    const tarball = tgz([
      manifestEntry,
      { name: 'skill/run.sh', content: '#!/bin/sh\n', mode: 0o4777 },
      { name: 'skill/data.txt', content: 'x', mode: 0o666 },
    ])
    const result = await unpackSkill(tarball, destination)
    expect(result.files).toEqual([
      { path: 'skill.yaml', size: MANIFEST.length, mode: 0o644 },
      { path: 'run.sh', size: 10, mode: 0o755 },
      { path: 'data.txt', size: 1, mode: 0o644 },
    ])
    expect((await stat(join(destination, 'run.sh'))).mode & 0o7777).toBe(0o755)
    expect((await stat(join(destination, 'data.txt'))).mode & 0o7777).toBe(0o644)
  })
})

describe('unpackSkill: destination', () => {
  const tarball = tgz([manifestEntry, { name: 'skill/index.ts', content: 'export {}' }])

  it('refuses a non-empty destination and leaves it untouched', async () => {
    await mkdir(destination, { recursive: true })
    await writeFile(join(destination, 'keep.txt'), 'mine')
    await expect(unpackSkill(tarball, destination)).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(await readdir(destination)).toEqual(['keep.txt'])
    expect(await readdir(join(sandbox, 'installed'))).toEqual(['convert-currency'])
  })

  it('replaces a non-empty destination with overwrite: true, leaving no staging folder', async () => {
    await mkdir(destination, { recursive: true })
    await writeFile(join(destination, 'old.txt'), 'old')
    await unpackSkill(tarball, destination, { overwrite: true })
    expect((await readdir(destination)).sort()).toEqual(['index.ts', 'skill.yaml'])
    expect(await readdir(join(sandbox, 'installed'))).toEqual(['convert-currency'])
  })

  it('fills an existing empty destination', async () => {
    await mkdir(destination, { recursive: true })
    const result = await unpackSkill(tarball, destination)
    expect(result.directory).toBe(destination)
    expect((await readdir(destination)).sort()).toEqual(['index.ts', 'skill.yaml'])
  })

  it('keeps a failed archive from touching an existing destination', async () => {
    await mkdir(destination, { recursive: true })
    await writeFile(join(destination, 'keep.txt'), 'mine')
    const evil = tgz([manifestEntry, { name: 'skill/../keep.txt', content: 'pwned' }])
    await expect(unpackSkill(evil, destination, { overwrite: true })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    expect(await readFile(join(destination, 'keep.txt'), 'utf8')).toBe('mine')
    expect(await readdir(join(sandbox, 'installed'))).toEqual(['convert-currency'])
  })
})

describe('inspectTarball', () => {
  it('lists files and sizes of a packed skill without writing anything', async () => {
    const source = join(sandbox, 'source')
    await mkdir(join(source, 'fixtures'), { recursive: true })
    await writeFile(join(source, 'skill.yaml'), MANIFEST)
    await writeFile(join(source, 'fixtures', 'rates.json'), '{"EUR":1}')
    const packed = await packSkill(source)
    const before = await readdir(sandbox)

    const inspected = await inspectTarball(packed.tarball, { integrity: packed.integrity })

    expect(inspected.files).toEqual(packed.files)
    expect(inspected.unpackedSize).toBe(MANIFEST.length + 9)
    expect(inspected.manifest?.version).toBe('1.0.0')
    expect(await readdir(sandbox)).toEqual(before)
  })
})
