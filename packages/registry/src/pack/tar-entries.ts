import { ValidationError, type SkillOSError } from '@skillos/contracts'
import { Header, Parser, Pax, ReadEntry } from 'tar'
import { malformedArchive, overLimit, unsafeEntry } from './archive-errors.js'

/** One regular file to write into a tar archive. `path` is the full entry path (`skill/index.ts`). */
export interface TarFileInput {
  path: string
  mode: number
  data: Uint8Array
}

/** One entry read from a tar archive, after pax and GNU long-name headers were applied. */
export interface TarEntry {
  /** The path as the archive spells it (not yet checked for safety). */
  path: string
  /**
   * The POSIX typeflag as node-tar reports it: `'0'` file (also for the old `'\0'`), `'5'`
   * directory, `'2'` symlink, `'1'` hard link, …, or `'Unsupported'` for a flag it does not know.
   */
  typeflag: string
  linkpath: string
  mode: number
  size: number
  data: Uint8Array
}

/** Limits enforced while reading, before each entry's body is touched. */
export interface TarReadLimits {
  maxBytes: number
  maxFiles: number
}

/** The archive ended in the middle of a header or a body (`VALIDATION_FAILED`). */
export class TruncatedArchiveError extends ValidationError {
  constructor(entry: string | undefined) {
    const reason = `archive ends inside ${entry === undefined ? 'a header' : `entry "${entry}"`}`
    super(`Refusing skill archive: ${reason}`, [{ path: entry ?? '(archive)', message: reason }])
    this.name = 'TruncatedArchiveError'
  }
}

const BLOCK = 512
/** Pax and GNU long-name bodies are tiny in honest archives; larger ones are refused unread. */
const MAX_META_BYTES = 4096
const EMPTY = new Uint8Array(0)
const ZEROS = Buffer.alloc(64 * 1024)
/**
 * node-tar cuts a pax value at its first NUL (`pax.js`), so a `path=skill/a.ts\0.png` record would
 * reach us as `skill/a.ts`. The raw record is looked up so the entry is refused under its real name.
 */
const PAX_PATH_WITH_NUL = /(?:^|\n)\d+ path=([^\n]*\0[^\n]*)\n/

/**
 * A ustar archive of `files` in the given order, written with node-tar's `Header` (and `Pax` for
 * a path that does not fit the ustar name + prefix fields, or is not ASCII): uid/gid 0, empty user
 * and group names, `mtime` for every entry, no directory entries.
 */
export function encodeTar(files: readonly TarFileInput[], mtime: Date): Uint8Array {
  const blocks: Uint8Array[] = []
  for (const file of files) {
    const header = Buffer.alloc(BLOCK)
    const needsPax = new Header({
      path: file.path,
      mode: file.mode,
      size: file.data.length,
      mtime,
      type: 'File',
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
    }).encode(header)
    if (needsPax) blocks.push(new Pax({ path: file.path }).encode())
    blocks.push(header, file.data, new Uint8Array(padding(file.data.length)))
  }
  blocks.push(new Uint8Array(BLOCK * 2))
  return Buffer.concat(blocks)
}

/**
 * Read every entry of an uncompressed tar archive with node-tar's `Parser`, strictly: a bad
 * checksum or header stops it, pax (`x`, `g`) and GNU long-name (`L`, `K`) headers are applied to
 * the next entry, and nothing but zeros may follow the end-of-archive marker. `limits` are checked
 * on each entry's declared size when node-tar announces the entry, before its body is read.
 *
 * @throws ValidationError for malformed headers, PAYLOAD_TOO_LARGE over a limit, and
 *   {@link TruncatedArchiveError} when the bytes end early.
 */
export function decodeTar(bytes: Uint8Array, limits: TarReadLimits): TarEntry[] {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const last = lastNonZero(data)
  if (last === -1) return [] // nothing but zero blocks: an empty archive
  // node-tar gunzips bytes that start with the gzip magic, which would bypass the gunzip cap.
  if (data[0] === 0x1f && data[1] === 0x8b) throw malformedArchive('it is gzip-compressed twice')

  const entries: TarEntry[] = []
  let unpackedSize = 0
  let failure: Error | undefined
  let metaPending = false
  let nulPath: string | undefined
  const parser = new Parser({
    strict: true, // every warning (checksum, truncation, bad header) becomes an 'error' event
    brotli: false,
    zstd: false,
    maxMetaEntrySize: MAX_META_BYTES,
    onReadEntry: (entry) => collect(entry),
  })
  const fail = (error: Error): void => {
    if (failure !== undefined) return
    failure = error
    parser.abort(new Error(error.message)) // node-tar stops reading; `failure` is thrown below
  }
  const collect = (entry: ReadEntry): void => {
    if (failure !== undefined) return
    const path = nulPath ?? entry.path
    nulPath = undefined
    metaPending = false
    if (entry.header.typeKey === '0') unpackedSize += entry.size
    const refusal = checkDeclared(entry, path, entries.length + 1, unpackedSize, limits)
    if (refusal !== undefined) return fail(refusal)
    entries.push(readEntry(entry, path))
  }

  parser.on('error', (error: NodeTarWarning) => {
    const mapped = failure === undefined ? archiveErrorOf(error) : undefined
    if (mapped !== undefined) fail(mapped)
  })
  parser.on('meta', (text: string) => {
    metaPending = true
    nulPath = PAX_PATH_WITH_NUL.exec(text)?.[1] ?? nulPath
  })
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    if (!entry.meta) return collect(entry) // an unknown type: the entry policy refuses it
    const reason = `has a ${entry.size}-byte extended header (at most ${MAX_META_BYTES})`
    fail(unsafeEntry(entry.path, reason))
  })

  // Two writes: up to the last block holding a non-zero byte, then the zeros after it. A zero
  // block where a header belongs during the first write is an end marker with data after it.
  const whole = data.length - (data.length % BLOCK)
  const split = Math.min(whole, last + BLOCK - (last % BLOCK))
  const onEndMarker = (): void =>
    fail(
      malformedArchive(
        `data follows the end-of-archive marker (non-zero bytes up to offset ${last})`,
      ),
    )
  try {
    parser.on('nullBlock', onEndMarker)
    parser.write(data.subarray(0, split))
    parser.off('nullBlock', onEndMarker)
    parser.write(data.subarray(split, whole))
    parser.end()
  } catch (error) {
    fail(malformedArchive(`it is not a readable tar archive (${String(error)})`, error))
  }

  if (failure !== undefined) throw failure
  // node-tar keeps a partial block to itself; one with data in it is a cut header.
  if (last >= whole) throw new TruncatedArchiveError(undefined)
  if (metaPending) throw malformedArchive('an extended header is not followed by an entry')
  return entries
}

/** An `error` event of a strict node-tar `Parser`: a warning with what it was about. */
type NodeTarWarning = Error & { header?: unknown; entry?: unknown; tarCode?: unknown }

/** The limit or rule an entry breaks by what its header declares, before its body is read. */
function checkDeclared(
  entry: ReadEntry,
  path: string,
  count: number,
  unpackedSize: number,
  limits: TarReadLimits,
): SkillOSError | undefined {
  if (count > limits.maxFiles) {
    return overLimit(
      `Refusing skill archive: entry "${path}" is past the limit of ${limits.maxFiles} entries (maxFiles)`,
      { limit: limits.maxFiles, entry: path, option: 'maxFiles' },
    )
  }
  const type = entry.header.typeKey
  if (type === '0' && unpackedSize > limits.maxBytes) {
    return overLimit(
      `Refusing skill archive: entry "${path}" (${entry.size} bytes) takes the unpacked size past the limit of ${limits.maxBytes} bytes (maxBytes)`,
      { limit: limits.maxBytes, entry: path, option: 'maxBytes' },
    )
  }
  if (type !== '0' && entry.size !== 0) {
    const kind = type === 'Unsupported' ? 'an unknown type' : `type '${type}'`
    return unsafeEntry(path, `is of ${kind} but declares ${entry.size} bytes of data`)
  }
  return undefined
}

/** The entry as {@link TarEntry}; a file's `data` is filled in as node-tar hands over its body. */
function readEntry(entry: ReadEntry, path: string): TarEntry {
  const read: TarEntry = {
    path,
    typeflag: entry.header.typeKey,
    linkpath: entry.linkpath ?? '',
    mode: entry.mode ?? 0,
    size: entry.size,
    data: EMPTY,
  }
  if (entry.ignore) return read // node-tar skips the body of a type it does not know
  const chunks: Buffer[] = []
  entry.on('data', (chunk: Buffer) => chunks.push(chunk))
  entry.on('end', () => {
    const [only] = chunks
    read.data = chunks.length === 1 && only !== undefined ? only : Buffer.concat(chunks)
  })
  return read
}

/**
 * What a strict node-tar warning means for a skill archive, or undefined when it needs no error
 * of its own.
 */
function archiveErrorOf(error: NodeTarWarning): SkillOSError | undefined {
  const reason = error.message.replace(/^TAR_[A-Z_]+: /, '')
  // "Truncated input" is the one warning that carries the entry being read.
  if (error.entry instanceof ReadEntry) return new TruncatedArchiveError(error.entry.path)
  if (error.header instanceof Header) {
    const path = error.header.path ?? ''
    return error.header.cksumValid
      ? unsafeEntry(path, `has an invalid header (${reason})`)
      : unsafeEntry(path, 'has a header with a wrong checksum')
  }
  // "Unrecognized archive format" (no valid entry): an empty archive is refused later for having
  // neither skill.yaml nor SKILL.md, and a damaged one has failed already.
  if (error.tarCode === 'TAR_BAD_ARCHIVE') return undefined
  return malformedArchive(`it is not a readable tar archive (${reason})`, error)
}

/** Index of the last non-zero byte, or -1; compares 64 KiB at a time (zero tails reach ~14 MiB). */
function lastNonZero(bytes: Buffer): number {
  for (let end = bytes.length; end > 0; end -= ZEROS.length) {
    const start = Math.max(0, end - ZEROS.length)
    if (bytes.subarray(start, end).equals(ZEROS.subarray(0, end - start))) continue
    let index = end - 1
    while (bytes[index] === 0) index--
    return index
  }
  return -1
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK
}
