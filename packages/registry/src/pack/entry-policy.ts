import { posix } from 'node:path'
import { unsafeEntry } from './archive-errors.js'
import { ARCHIVE_ROOT, MAX_PATH_BYTES } from './pack-format.js'
import type { TarEntry } from './tar-entries.js'

/** A file that passed every check, with its path relative to the skill folder. */
export interface SafeFile {
  path: string
  mode: number
  data: Uint8Array
}

/** Everything an archive would write, once every entry is known to be safe. */
export interface SafeArchive {
  /** Sorted as in the archive; paths relative to the skill folder. */
  files: SafeFile[]
  /** Directories named by entries (parents of files are implied and not listed). */
  directories: string[]
  unpackedSize: number
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  '3': 'a character device',
  '4': 'a block device',
  '6': 'a FIFO (named pipe)',
  '7': 'a contiguous file',
}

/**
 * Check every entry of an archive, writing nothing. Each entry must be a regular file or a
 * directory under `skill/` with a normalised relative path; links, devices and FIFOs are refused,
 * as are duplicate paths and paths that would collide on a case-insensitive file system.
 *
 * @throws ValidationError naming the first offending entry and the reason.
 */
export function checkEntries(entries: readonly TarEntry[]): SafeArchive {
  const files: SafeFile[] = []
  const directories: string[] = []
  const seen = new Set<string>()
  const fileKeys = new Map<string, string>()
  const directoryKeys = new Map<string, string>()
  let unpackedSize = 0

  for (const entry of entries) {
    const relative = checkEntryPath(entry.path)
    const kind = entryKind(entry, relative)
    if (seen.has(relative)) throw unsafeEntry(entry.path, 'appears more than once in the archive')
    seen.add(relative)
    if (relative === '') continue // the `skill/` directory itself

    const key = foldCase(relative)
    const parents = parentsOf(relative)
    for (const parent of parents) {
      const file = fileKeys.get(foldCase(parent))
      if (file !== undefined) throw unsafeEntry(entry.path, `is inside "${file}", which is a file`)
    }
    const sameFile = fileKeys.get(key)
    const sameDirectory = directoryKeys.get(key)
    if (kind === 'file' && sameDirectory !== undefined) {
      throw unsafeEntry(entry.path, `is a file, but "${sameDirectory}" is a directory`)
    }
    if (kind === 'directory' && sameFile !== undefined) {
      throw unsafeEntry(entry.path, `is a directory, but "${sameFile}" is a file`)
    }
    if (sameFile !== undefined) {
      throw unsafeEntry(entry.path, `collides with "${sameFile}" on case-insensitive file systems`)
    }
    for (const parent of parents) directoryKeys.set(foldCase(parent), parent)

    if (kind === 'directory') {
      directoryKeys.set(key, relative)
      directories.push(relative)
    } else {
      fileKeys.set(key, relative)
      files.push({ path: relative, mode: normaliseMode(entry.mode), data: entry.data })
      unpackedSize += entry.data.length
    }
  }
  return { files, directories, unpackedSize }
}

/**
 * Check one entry path and return it relative to the skill folder (`''` for `skill/` itself).
 *
 * @throws ValidationError naming the entry and why its path is unsafe.
 */
export function checkEntryPath(path: string): string {
  if (path === '') throw unsafeEntry(path, 'has an empty name')
  if (path.includes('\0')) throw unsafeEntry(path, 'contains a NUL byte')
  // eslint-disable-next-line no-control-regex
  if (/[\u0001-\u001f\u007f]/.test(path)) throw unsafeEntry(path, 'contains a control character')
  // node-tar decodes names leniently, turning bytes that are not UTF-8 into U+FFFD.
  if (path.includes('\uFFFD')) {
    throw unsafeEntry(path, 'contains U+FFFD, the stand-in for bytes that are not valid UTF-8')
  }
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) {
    throw unsafeEntry(path, `is longer than ${MAX_PATH_BYTES} bytes`)
  }
  if (/^[A-Za-z]:/.test(path)) throw unsafeEntry(path, 'is an absolute Windows path')
  if (path.includes('\\'))
    throw unsafeEntry(path, 'contains a backslash (a path separator on Windows)')
  if (path.startsWith('/')) throw unsafeEntry(path, 'is an absolute path')
  if (path.split('/').includes('..')) {
    throw unsafeEntry(path, 'contains a ".." segment (path traversal)')
  }
  if (path !== 'skill' && !path.startsWith(ARCHIVE_ROOT)) {
    throw unsafeEntry(path, `is not inside the "${ARCHIVE_ROOT}" folder of the archive`)
  }
  const relative = path.slice(ARCHIVE_ROOT.length).replace(/\/$/, '')
  if (relative === '') return ''
  const segments = relative.split('/')
  if (segments.some((segment) => segment === '' || segment === '.')) {
    throw unsafeEntry(path, 'is not a normalised path (it has an empty or "." segment)')
  }
  if (segments.some((segment) => segment.includes(':'))) {
    throw unsafeEntry(path, 'contains ":" (a drive or stream separator on Windows)')
  }
  return relative
}

function entryKind(entry: TarEntry, relative: string): 'file' | 'directory' {
  switch (entry.typeflag) {
    case '0':
    case '\0':
      if (entry.path.endsWith('/'))
        throw unsafeEntry(entry.path, 'is a file whose name ends in "/"')
      if (relative === '') throw unsafeEntry(entry.path, 'is a file in place of the skill folder')
      return 'file'
    case '5':
      return 'directory'
    case '2':
      throw unsafeEntry(
        entry.path,
        linkReason('a symbolic link', entry.linkpath, symlinkEscapes(relative, entry.linkpath)),
      )
    case '1':
      throw unsafeEntry(
        entry.path,
        linkReason('a hard link', entry.linkpath, hardLinkEscapes(entry.linkpath)),
      )
    default: {
      const name = TYPE_NAMES[entry.typeflag]
      if (name !== undefined)
        throw unsafeEntry(entry.path, `is ${name}; only files and directories are allowed`)
      if (entry.typeflag === 'Unsupported')
        throw unsafeEntry(entry.path, 'has an unknown entry type')
      throw unsafeEntry(entry.path, `has unsupported entry type "${entry.typeflag}"`)
    }
  }
}

function linkReason(what: string, target: string, escapes: boolean): string {
  return escapes
    ? `is ${what} to "${target}", which points outside the skill folder`
    : `is ${what} to "${target}"; links are not allowed in a skill archive`
}

/** A symlink target is resolved from the link's own directory. */
function symlinkEscapes(relative: string, target: string): boolean {
  if (isAbsoluteTarget(target)) return true
  const resolved = posix.normalize(posix.join(posix.dirname(relative), target))
  return resolved === '..' || resolved.startsWith('../')
}

/** A hard-link target names another entry of the archive, so it must stay under `skill/`. */
function hardLinkEscapes(target: string): boolean {
  if (isAbsoluteTarget(target)) return true
  const resolved = posix.normalize(target)
  return !(resolved === 'skill' || resolved.startsWith(ARCHIVE_ROOT))
}

function isAbsoluteTarget(target: string): boolean {
  return target.startsWith('/') || target.includes('\\') || /^[A-Za-z]:/.test(target)
}

function parentsOf(relative: string): string[] {
  const segments = relative.split('/')
  return segments.slice(0, -1).map((_, index) => segments.slice(0, index + 1).join('/'))
}

/** The key two names share when a case-insensitive, normalising file system (macOS, Windows) would merge them. */
function foldCase(path: string): string {
  return path.normalize('NFC').toLowerCase()
}

/** 0o755 when any execute bit is set, else 0o644: no setuid, sticky or group-writable bits survive. */
export function normaliseMode(mode: number): number {
  return mode & 0o111 ? 0o755 : 0o644
}
