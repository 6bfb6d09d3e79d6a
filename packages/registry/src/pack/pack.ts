import { lstat, readFile, readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { SkillOSError, ValidationError, type SkillManifest } from '@skillos/contracts'
import { parseManifestText } from '../manifest-file.js'
import { overLimit } from './archive-errors.js'
import { checkEntries } from './entry-policy.js'
import { gzipDeterministic } from './gzip.js'
import {
  PACK_IGNORE_FILE,
  isAlwaysExcluded,
  parseIgnoreFile,
  type IgnoreMatcher,
} from './ignore.js'
import { computeIntegrity } from './integrity.js'
import {
  ARCHIVE_ROOT,
  DEFAULT_PACK_MAX_BYTES,
  DEFAULT_PACK_MAX_FILES,
  MANIFEST_FILE,
  SKILL_MD_FILE,
  PACK_MTIME,
} from './pack-format.js'
import { signIntegrity, type SigningKeyInput, type SkillSignature } from './signature.js'
import { encodeTar, type TarEntry } from './tar-entries.js'

/** How to pack a skill folder. */
export interface PackOptions {
  /** Ed25519 private key: when given, the pack carries a signature over its integrity. */
  signingKey?: SigningKeyInput
  /** Key id written into the signature; defaults to {@link keyIdOf} the signing key. */
  keyId?: string
  /** Largest unpacked size (sum of file sizes) to pack. Default 10 MiB, as unpacking enforces. */
  maxBytes?: number
  /** Most files to pack. Default 1000, as unpacking enforces. */
  maxFiles?: number
}

/** One file in a pack, its path relative to the skill folder (`/`-separated). */
export interface PackedFile {
  path: string
  size: number
  /** `0o644`, or `0o755` when the source had any execute bit. */
  mode: number
}

/** A packed skill: the `.tgz` bytes and what a registry stores beside them. */
export interface PackedSkill {
  /** gzip-compressed tar; every entry under `skill/`. */
  tarball: Uint8Array
  /** SRI string of `tarball`: `sha512-<base64>`. */
  integrity: string
  /** Sorted by path (UTF-8 byte order), as in the archive. */
  files: PackedFile[]
  unpackedSize: number
  /** The validated skill.yaml; absent for an Agent Skills folder (SKILL.md only). */
  manifest?: SkillManifest
  /** Present when `signingKey` was given. */
  signature?: SkillSignature
}

/**
 * Pack a skill folder into a deterministic tarball: the same files give the same bytes, whatever
 * their mtimes, owners or location. Leaves out `node_modules/`, `.git/`, `.skillos/`, `.DS_Store`
 * and whatever `.skillosignore` lists; `skill.yaml` and `SKILL.md` are always packed. Validates
 * skill.yaml when present; a folder with only SKILL.md (Agent Skills) packs with no manifest.
 *
 * @throws SkillLoadError (`VALIDATION_FAILED`) for an invalid skill.yaml, with file and line;
 *   ValidationError for a symlink, a special file or a name unpacking would refuse; SkillOSError
 *   `PAYLOAD_TOO_LARGE` over `maxBytes` / `maxFiles`; `NOT_FOUND` when `dir` is not a folder.
 * @example
 * ```ts
 * const { privateKey } = generateSigningKeys()
 * const packed = await packSkill('skills/finance/convert-currency', { signingKey: privateKey })
 * packed.integrity // 'sha512-…'
 * packed.files.map((f) => f.path) // ['fixtures/rates.json', 'index.ts', 'skill.yaml']
 * await writeFile('convert-currency-1.0.0.tgz', packed.tarball)
 * ```
 */
export async function packSkill(dir: string, options: PackOptions = {}): Promise<PackedSkill> {
  const root = resolve(dir)
  const maxBytes = options.maxBytes ?? DEFAULT_PACK_MAX_BYTES
  const maxFiles = options.maxFiles ?? DEFAULT_PACK_MAX_FILES
  await requireFolder(root)

  const ignored = await readIgnoreFile(root)
  const found = await listFiles(root, ignored, maxFiles)
  const paths = found.map((file) => file.path)
  if (!paths.includes(MANIFEST_FILE) && !paths.includes(SKILL_MD_FILE)) {
    throw new ValidationError(
      `Cannot pack ${root}: it has neither ${MANIFEST_FILE} nor ${SKILL_MD_FILE}`,
      [{ path: MANIFEST_FILE, message: `missing (and no ${SKILL_MD_FILE} either)` }],
    )
  }
  const declared = found.reduce((sum, file) => sum + file.size, 0)
  if (declared > maxBytes) throw tooLarge(root, declared, maxBytes)

  const entries: TarEntry[] = []
  for (const file of found) {
    const data = await readFile(join(root, file.path))
    entries.push({
      path: ARCHIVE_ROOT + file.path,
      typeflag: '0',
      linkpath: '',
      mode: file.mode,
      size: data.length,
      data,
    })
  }
  const archive = checkAsPacked(root, entries)
  // Files may have grown between listing and reading.
  if (archive.unpackedSize > maxBytes) throw tooLarge(root, archive.unpackedSize, maxBytes)
  const manifestFile = archive.files.find((file) => file.path === MANIFEST_FILE)
  const manifest = manifestFile
    ? parseManifestText(Buffer.from(manifestFile.data).toString('utf8'), join(root, MANIFEST_FILE))
    : undefined

  const tarball = gzipDeterministic(
    encodeTar(
      archive.files.map((file) => ({
        path: ARCHIVE_ROOT + file.path,
        mode: file.mode,
        data: file.data,
      })),
      PACK_MTIME,
    ),
  )
  const integrity = computeIntegrity(tarball)
  return {
    tarball,
    integrity,
    files: archive.files.map((file) => ({
      path: file.path,
      size: file.data.length,
      mode: file.mode,
    })),
    unpackedSize: archive.unpackedSize,
    ...(manifest ? { manifest } : {}),
    ...(options.signingKey === undefined
      ? {}
      : { signature: signIntegrity(integrity, options.signingKey, options.keyId) }),
  }
}

interface FoundFile {
  path: string
  size: number
  mode: number
}

async function requireFolder(root: string): Promise<void> {
  const stats = await lstat(root).catch(() => undefined)
  if (!stats?.isDirectory()) {
    throw new SkillOSError({
      code: 'NOT_FOUND',
      message: `Cannot pack ${root}: it is not a folder`,
      details: { path: root },
    })
  }
}

async function readIgnoreFile(root: string): Promise<IgnoreMatcher> {
  const text = await readFile(join(root, PACK_IGNORE_FILE), 'utf8').catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return ''
      throw error
    },
  )
  return parseIgnoreFile(text, join(root, PACK_IGNORE_FILE))
}

/** Every file to pack, sorted by UTF-8 bytes of its path. Refuses symlinks and special files. */
async function listFiles(
  root: string,
  ignored: IgnoreMatcher,
  maxFiles: number,
): Promise<FoundFile[]> {
  const files: FoundFile[] = []
  const visit = async (relativeDir: string): Promise<void> => {
    const dirents = await readdir(join(root, relativeDir), { withFileTypes: true })
    for (const dirent of dirents) {
      const path = relativeDir === '' ? dirent.name : `${relativeDir}/${dirent.name}`
      const isRootManifest =
        relativeDir === '' && (dirent.name === MANIFEST_FILE || dirent.name === SKILL_MD_FILE)
      if (isAlwaysExcluded(dirent.name)) continue
      if (!isRootManifest && ignored(path, dirent.isDirectory())) continue
      if (dirent.isSymbolicLink()) {
        throw refuse(
          root,
          path,
          'is a symbolic link; packs never contain links (copy the target into the skill folder, or list the link in .skillosignore)',
        )
      }
      if (dirent.isDirectory()) {
        await visit(path)
        continue
      }
      if (!dirent.isFile())
        throw refuse(root, path, 'is not a regular file (device, FIFO or socket)')
      const stats = await lstat(join(root, path))
      files.push({ path, size: stats.size, mode: stats.mode & 0o111 ? 0o755 : 0o644 })
      if (files.length > maxFiles) {
        throw overLimit(`Cannot pack ${root}: it has more than ${maxFiles} files (maxFiles)`, {
          limit: maxFiles,
          option: 'maxFiles',
        })
      }
    }
  }
  await visit('')
  return files.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)))
}

/** Apply the unpacking rules now, so every pack this function writes can be unpacked. */
function checkAsPacked(root: string, entries: TarEntry[]): ReturnType<typeof checkEntries> {
  try {
    return checkEntries(entries)
  } catch (error) {
    if (error instanceof ValidationError && typeof error.details?.entry === 'string') {
      const path = error.details.entry.slice(ARCHIVE_ROOT.length)
      throw refuse(root, path, error.issues[0]?.message ?? 'would be refused when unpacking', error)
    }
    throw error
  }
}

function tooLarge(root: string, size: number, maxBytes: number): SkillOSError {
  return overLimit(
    `Cannot pack ${root}: its files add up to ${size} bytes, over the limit of ${maxBytes} (maxBytes)`,
    { limit: maxBytes, option: 'maxBytes' },
  )
}

function refuse(root: string, path: string, reason: string, cause?: unknown): ValidationError {
  return new ValidationError(
    `Cannot pack ${root}: "${path}" ${reason}`,
    [{ path, message: reason }],
    {
      details: { path },
      ...(cause === undefined ? {} : { cause }),
    },
  )
}
