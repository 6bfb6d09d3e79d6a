/** Default cap on the unpacked size of a skill (sum of its file sizes): 10 MiB. */
export const DEFAULT_PACK_MAX_BYTES = 10 * 1024 * 1024

/** Default cap on the number of entries (files and directories) in a skill archive. */
export const DEFAULT_PACK_MAX_FILES = 1000

/**
 * The modification time written for every entry, so packing does not depend on the clock or the
 * checkout. It is npm's choice (1985-10-26T08:15:00Z): a fixed date that zip and tar tools accept.
 */
export const PACK_MTIME = new Date('1985-10-26T08:15:00.000Z')

/** Longest entry path accepted in an archive, in UTF-8 bytes (including the `skill/` prefix). */
export const MAX_PATH_BYTES = 1024

/** The top-level folder every entry lives under, like npm's `package/`. */
export const ARCHIVE_ROOT = 'skill/'

/** Bytes a tar archive may need beyond file contents for one entry: header, padding, pax or GNU records. */
export const ENTRY_OVERHEAD_BYTES = 8 * 512

/**
 * The most bytes a well-formed archive within `maxBytes` and `maxFiles` can decompress to. Gunzip
 * stops there, so a gzip bomb costs at most this much memory.
 */
export function maxTarBytes(limits: { maxBytes: number; maxFiles: number }): number {
  return limits.maxBytes + (limits.maxFiles + 2) * ENTRY_OVERHEAD_BYTES
}

/** The manifest file of a SkillOS skill. */
export const MANIFEST_FILE = 'skill.yaml'

/** The instructions file of an Agent Skills folder (the only required file there). */
export const SKILL_MD_FILE = 'SKILL.md'
