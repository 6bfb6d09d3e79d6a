import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { TruncatedArchiveError, decodeTar, encodeTar } from './tar-entries.js'

const limits = { maxBytes: 1024 * 1024, maxFiles: 100 }
const mtime = new Date('1985-10-26T08:15:00Z')
const text = (value: string) => new TextEncoder().encode(value)

function gnuLongName(name: string): Uint8Array {
  // A GNU 'L' header (written by hand) whose body is the long name of the next entry.
  const body = text(`${name}\0`)
  const header = new Uint8Array(512)
  header.set(text('././@LongLink'), 0)
  header.set(text('0000644\0'), 100)
  header.set(text(`${body.length.toString(8).padStart(11, '0')}\0`), 124)
  header[156] = 'L'.charCodeAt(0)
  header.set(text('ustar  \0'), 257)
  header.set(text('        '), 148)
  const sum = header.reduce((total, byte) => total + byte, 0)
  header.set(text(`${sum.toString(8).padStart(6, '0')}\0 `), 148)
  const padded = new Uint8Array(Math.ceil(body.length / 512) * 512)
  padded.set(body)
  return Buffer.concat([header, padded])
}

describe('encodeTar and decodeTar', () => {
  it('round-trips short, prefix-split and pax-encoded paths with their modes', () => {
    const files = [
      { path: 'skill/index.ts', mode: 0o644, data: text('export {}') },
      { path: `skill/${'b/'.repeat(60)}c.json`, mode: 0o755, data: text('{}') }, // 100–255 bytes
      { path: `skill/${'long-segment/'.repeat(25)}d.txt`, mode: 0o644, data: new Uint8Array(0) },
    ]
    const entries = decodeTar(encodeTar(files, mtime), limits)
    expect(
      entries.map(({ path, typeflag, mode, size }) => ({ path, typeflag, mode, size })),
    ).toEqual([
      { path: 'skill/index.ts', typeflag: '0', mode: 0o644, size: 9 },
      { path: files[1]?.path, typeflag: '0', mode: 0o755, size: 2 },
      { path: files[2]?.path, typeflag: '0', mode: 0o644, size: 0 },
    ])
    expect(Buffer.from(entries[0]?.data ?? []).toString()).toBe('export {}')
  })

  it('writes the same bytes for the same files and ends with two zero blocks', () => {
    const files = [{ path: 'skill/a', mode: 0o644, data: text('a') }]
    const tar = encodeTar(files, mtime)
    expect(Buffer.from(tar).equals(Buffer.from(encodeTar(files, mtime)))).toBe(true)
    expect(tar.length).toBe(512 * 4)
    expect(tar.subarray(1024).every((byte) => byte === 0)).toBe(true)
  })

  it('applies a GNU long name to the next entry', () => {
    const name = `skill/${'x'.repeat(120)}.txt`
    const tar = encodeTar([{ path: 'skill/short', mode: 0o644, data: text('1') }], mtime)
    const entries = decodeTar(Buffer.concat([gnuLongName(name), tar]), limits)
    expect(entries.map((entry) => entry.path)).toEqual([name])
  })

  it('throws TruncatedArchiveError when a body is cut short', () => {
    const tar = encodeTar([{ path: 'skill/a', mode: 0o644, data: new Uint8Array(2000) }], mtime)
    expect(() => decodeTar(tar.subarray(0, 1024), limits)).toThrow(TruncatedArchiveError)
    expect(() => decodeTar(tar.subarray(0, 1024), limits)).toThrow(
      'archive ends inside entry "skill/a"',
    )
  })

  it('checks limits on declared sizes', () => {
    const tar = encodeTar([{ path: 'skill/a', mode: 0o644, data: new Uint8Array(2000) }], mtime)
    try {
      decodeTar(tar, { maxBytes: 1999, maxFiles: 10 })
      expect.unreachable()
    } catch (error) {
      expect(SkillOSError.is(error, 'PAYLOAD_TOO_LARGE')).toBe(true)
      expect((error as SkillOSError).details).toEqual({
        limit: 1999,
        entry: 'skill/a',
        option: 'maxBytes',
      })
    }
  })
})
