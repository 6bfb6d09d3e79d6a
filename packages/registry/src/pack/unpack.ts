import { chmod, mkdir, mkdtemp, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { SkillOSError, type SkillManifest } from '@skillos/contracts'
import { parseManifestText } from '../manifest-file.js'
import { malformedArchive, overLimit } from './archive-errors.js'
import { checkEntries, type SafeArchive } from './entry-policy.js'
import { gunzipWithin, isGzip } from './gzip.js'
import { computeIntegrity, verifyIntegrity } from './integrity.js'
import {
  ARCHIVE_ROOT,
  DEFAULT_PACK_MAX_BYTES,
  DEFAULT_PACK_MAX_FILES,
  MANIFEST_FILE,
  SKILL_MD_FILE,
  maxTarBytes,
} from './pack-format.js'
import type { PackedFile } from './pack.js'
import { verifySignature, type SkillSignature, type TrustedKeys } from './signature.js'
import { TruncatedArchiveError, decodeTar } from './tar-entries.js'

/** What to check before trusting a tarball. */
export interface InspectOptions {
  /** Expected SRI string (`sha512-…`); checked before the tarball is decompressed. */
  integrity?: string
  /** The publisher's signature over the tarball's sha512 integrity. Checked only with `trustedKeys`. */
  signature?: SkillSignature
  /** When set, a valid signature by one of these keys is REQUIRED. */
  trustedKeys?: TrustedKeys
  /** Largest unpacked size (sum of file sizes). Default 10 MiB. */
  maxBytes?: number
  /** Most entries (files and directories). Default 1000. */
  maxFiles?: number
  /** Largest tarball accepted. Default: the most a tarball within `maxBytes` and `maxFiles` can need. */
  maxCompressedBytes?: number
}

/** How to unpack: the checks of {@link InspectOptions}, and what to do with an existing destination. */
export interface UnpackOptions extends InspectOptions {
  /** Replace a non-empty destination. Default false: a non-empty destination is a `CONFLICT`. */
  overwrite?: boolean
}

/** A tarball that passed every check. */
export interface InspectedSkill {
  files: PackedFile[]
  unpackedSize: number
  /** The sha512 SRI string of the tarball as received. */
  integrity: string
  /** The validated skill.yaml; absent for an Agent Skills archive (SKILL.md only). */
  manifest?: SkillManifest
  /** The key id whose signature was verified, when `trustedKeys` was given. */
  signedBy?: string
}

/** An unpacked skill: what {@link inspectTarball} reports, and where it now lives. */
export interface UnpackedSkill extends InspectedSkill {
  /** Absolute path of the skill folder. */
  directory: string
}

/**
 * Check a tarball without writing anything: size limits, integrity, signature (when
 * `trustedKeys` is set), then every entry (see {@link unpackSkill} for the rules) and skill.yaml.
 *
 * @throws as {@link unpackSkill}, except `CONFLICT`.
 * @example
 * ```ts
 * const { files, unpackedSize, manifest } = await inspectTarball(tarball, { integrity })
 * ```
 */
export async function inspectTarball(
  tarball: Uint8Array,
  options: InspectOptions = {},
): Promise<InspectedSkill> {
  return (await readArchive(tarball, options)).inspected
}

/**
 * Unpack a skill tarball into `destination`, after checking all of it in memory. In order:
 * tarball size (`maxCompressedBytes`), integrity, signature (required when `trustedKeys` is set),
 * gunzip capped near `maxBytes` (a gzip bomb stops there), each header's declared size against
 * `maxBytes` and the entry count against `maxFiles`, then each entry: it must be a file or a
 * directory under `skill/`; `..` segments, absolute and Windows paths, NUL and control characters,
 * symbolic and hard links (inside or outside), devices, FIFOs, duplicate and case-colliding paths
 * are refused. skill.yaml, when present, must be a valid manifest. Only then are files written, into
 * a temporary sibling folder that is renamed into place, so a failure leaves no half-written skill.
 *
 * @throws ValidationError (`VALIDATION_FAILED`) naming the bad entry and the reason;
 *   SkillOSError `INTEGRITY_FAILED` for a hash or signature that does not match (or a missing
 *   signature), `PAYLOAD_TOO_LARGE` over a limit, `CONFLICT` when `destination` is not empty.
 * @example
 * ```ts
 * const { manifest, files } = await unpackSkill(tarball, 'skills/finance/convert-currency', {
 *   integrity: 'sha512-…',
 *   signature,
 *   trustedKeys: [publisherPublicKeyPem],
 * })
 * ```
 */
export async function unpackSkill(
  tarball: Uint8Array,
  destination: string,
  options: UnpackOptions = {},
): Promise<UnpackedSkill> {
  const { inspected, archive } = await readArchive(tarball, options)
  const directory = resolve(destination)
  await writeSkillFolder(archive, directory, options.overwrite ?? false)
  return { ...inspected, directory }
}

async function readArchive(
  tarball: Uint8Array,
  options: InspectOptions,
): Promise<{ inspected: InspectedSkill; archive: SafeArchive }> {
  const limits = {
    maxBytes: options.maxBytes ?? DEFAULT_PACK_MAX_BYTES,
    maxFiles: options.maxFiles ?? DEFAULT_PACK_MAX_FILES,
  }
  const tarCap = maxTarBytes(limits)
  const maxCompressedBytes = options.maxCompressedBytes ?? tarCap
  if (tarball.length > maxCompressedBytes) {
    throw overLimit(
      `Refusing skill archive: the tarball is ${tarball.length} bytes, over the limit of ${maxCompressedBytes} (maxCompressedBytes)`,
      { limit: maxCompressedBytes, option: 'maxCompressedBytes' },
    )
  }

  // Hash and signature first: bytes that are not the ones published never reach gunzip.
  const integrity = computeIntegrity(tarball)
  if (options.integrity !== undefined) verifyIntegrity(tarball, options.integrity)
  let signedBy: string | undefined
  if (options.trustedKeys !== undefined) {
    if (options.signature === undefined) {
      throw new SkillOSError({
        code: 'INTEGRITY_FAILED',
        message: 'Refusing skill archive: it is not signed, and trustedKeys requires a signature',
        details: { integrity },
      })
    }
    verifySignature(integrity, options.signature, options.trustedKeys)
    signedBy = options.signature.keyId
  }

  if (!isGzip(tarball)) throw malformedArchive('the tarball is not gzip-compressed')
  const { data, complete } = await gunzipWithin(tarball, tarCap)
  const entries = decodeWithinCap(data, complete, limits, tarCap)
  const archive = checkEntries(entries)
  const manifest = readManifest(archive)

  return {
    archive,
    inspected: {
      files: archive.files.map((file) => ({
        path: file.path,
        size: file.data.length,
        mode: file.mode,
      })),
      unpackedSize: archive.unpackedSize,
      integrity,
      ...(manifest ? { manifest } : {}),
      ...(signedBy === undefined ? {} : { signedBy }),
    },
  }
}

/**
 * Read the tar entries. When gunzip stopped at the cap, the headers read so far usually show which
 * entry is too large; if they do not (zero padding, say), the archive as a whole is.
 */
function decodeWithinCap(
  data: Uint8Array,
  complete: boolean,
  limits: { maxBytes: number; maxFiles: number },
  tarCap: number,
): ReturnType<typeof decodeTar> {
  const tooLarge = () =>
    overLimit(
      `Refusing skill archive: it decompresses to more than ${tarCap} bytes (maxBytes ${limits.maxBytes}, maxFiles ${limits.maxFiles})`,
      { limit: tarCap, option: 'maxBytes' },
    )
  let entries: ReturnType<typeof decodeTar>
  try {
    entries = decodeTar(data, limits)
  } catch (error) {
    if (!complete && error instanceof TruncatedArchiveError) throw tooLarge()
    throw error
  }
  if (!complete) throw tooLarge()
  return entries
}

function readManifest(archive: SafeArchive): SkillManifest | undefined {
  const manifestFile = archive.files.find((file) => file.path === MANIFEST_FILE)
  if (manifestFile === undefined) {
    if (archive.files.some((file) => file.path === SKILL_MD_FILE)) return undefined
    throw malformedArchive(
      `it has neither ${ARCHIVE_ROOT}${MANIFEST_FILE} nor ${ARCHIVE_ROOT}${SKILL_MD_FILE}`,
    )
  }
  return parseManifestText(
    Buffer.from(manifestFile.data).toString('utf8'),
    ARCHIVE_ROOT + MANIFEST_FILE,
  )
}

async function writeSkillFolder(
  archive: SafeArchive,
  target: string,
  overwrite: boolean,
): Promise<void> {
  const existing = await listExisting(target)
  if (existing !== undefined && existing.length > 0 && !overwrite) {
    throw new SkillOSError({
      code: 'CONFLICT',
      message: `Cannot unpack into ${target}: it is not empty (pass overwrite: true to replace it)`,
      details: { destination: target },
    })
  }
  const parent = dirname(target)
  await mkdir(parent, { recursive: true })
  const staging = await mkdtemp(join(parent, `.${basename(target)}.unpacking-`))
  const previous = `${staging}.previous`
  let movedAside = false
  try {
    for (const directory of archive.directories) {
      await mkdir(join(staging, directory), { recursive: true })
    }
    for (const file of archive.files) {
      const path = join(staging, file.path)
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, file.data, { flag: 'wx', mode: file.mode })
      await chmod(path, file.mode) // writeFile's mode is filtered by the umask
    }
    if (existing !== undefined) {
      if (existing.length === 0) await rmdir(target)
      else {
        await rename(target, previous)
        movedAside = true
      }
    }
    await rename(staging, target)
  } catch (error) {
    await rm(staging, { recursive: true, force: true })
    if (movedAside) await rename(previous, target).catch(() => undefined)
    throw error
  }
  if (movedAside) await rm(previous, { recursive: true, force: true })
}

/** The names in `target`, or undefined when it does not exist. */
async function listExisting(target: string): Promise<string[] | undefined> {
  try {
    return await readdir(target)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    if (code === 'ENOTDIR') {
      throw new SkillOSError({
        code: 'CONFLICT',
        message: `Cannot unpack into ${target}: it exists and is not a folder`,
        details: { destination: target },
      })
    }
    throw error
  }
}
