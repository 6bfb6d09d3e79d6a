import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, extname, join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { SkillOSError } from '@skillos/contracts'
import { detectLanguage } from './language.js'
import { toIsoDate } from './search-result.js'

/** A text file of the local document folder. */
export interface LocalDocument {
  /** Path relative to the folder, `/`-separated. */
  id: string
  title: string
  body: string
  language: 'en' | 'ru'
  /** `YYYY-MM-DD` from the front matter's `published`, when given. */
  publishedDate?: string
  /** `file://` URL of the document. */
  url: string
}

const EXTENSIONS = new Set(['.md', '.markdown', '.txt'])
/** Larger files are skipped: a document folder holds notes and articles, not dumps. */
const MAX_FILE_BYTES = 2 * 1024 * 1024
const MAX_FILES = 10_000

/**
 * Split `---`-delimited front matter (`key: value` lines) from the body of a text file. Files
 * without front matter get an empty record and the whole text as body.
 *
 * @example
 * ```ts
 * parseFrontMatter('---\ntitle: Grades\nlanguage: en\n---\nNo. 2 is 86–120 g.')
 * // { fields: { title: 'Grades', language: 'en' }, body: 'No. 2 is 86–120 g.' }
 * ```
 */
export function parseFrontMatter(text: string): { fields: Record<string, string>; body: string } {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(normalized)
  if (!match) return { fields: {}, body: normalized.trim() }
  const fields: Record<string, string> = {}
  for (const line of (match[1] ?? '').split('\n')) {
    const kv = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line)
    if (kv?.[1]) fields[kv[1].toLowerCase()] = (kv[2] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2')
  }
  return { fields, body: normalized.slice(match[0].length).trim() }
}

/**
 * Turn one file's text into a document: title from the front matter, else the first `# heading`,
 * else the first line, else the file name; language from the front matter or detected.
 */
export function toLocalDocument(id: string, text: string, url: string): LocalDocument {
  const { fields, body } = parseFrontMatter(text)
  let content = body
  let title = fields.title
  if (!title) {
    const heading = /^#\s+(.+)$/m.exec(content)
    if (heading?.[1]) {
      title = heading[1].trim()
      content = content.replace(heading[0], '').trim()
    } else {
      title = content.split('\n', 1)[0]?.trim() || basename(id, extname(id))
    }
  }
  const declared = fields.language?.toLowerCase()
  const language = declared === 'en' || declared === 'ru' ? declared : detectLanguage(content)
  const publishedDate = toIsoDate(fields.published ?? fields.date)
  return {
    id,
    title,
    body: content,
    language,
    url,
    ...(publishedDate ? { publishedDate } : {}),
  }
}

/** The files a folder's documents come from, with size and mtime (the cache fingerprint). */
export async function listDocumentFiles(
  dir: string,
): Promise<{ path: string; size: number; mtimeMs: number }[]> {
  const out: { path: string; size: number; mtimeMs: number }[] = []
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true })
    entries.sort((a, b) => a.name.localeCompare(b.name))
    for (const entry of entries) {
      if (out.length >= MAX_FILES || entry.name.startsWith('.')) continue
      const path = join(folder, entry.name)
      if (entry.isDirectory()) await walk(path)
      else if (entry.isFile() && EXTENSIONS.has(extname(entry.name).toLowerCase())) {
        const info = await stat(path)
        if (info.size <= MAX_FILE_BYTES) out.push({ path, size: info.size, mtimeMs: info.mtimeMs })
      }
    }
  }
  try {
    await walk(dir)
  } catch (cause) {
    throw new SkillOSError({
      code: 'UNAVAILABLE',
      message: `documentsDir: the document folder ${dir} cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
      cause,
    })
  }
  return out
}

/** Read every `.md`, `.markdown` and `.txt` file under `dir` (sub-folders included, dot-files not). */
export async function loadDocuments(
  dir: string,
  files?: { path: string }[],
): Promise<LocalDocument[]> {
  const list = files ?? (await listDocumentFiles(dir))
  return Promise.all(
    list.map(async ({ path }) =>
      toLocalDocument(
        relative(dir, path).split('\\').join('/'),
        await readFile(path, 'utf8'),
        pathToFileURL(path).href,
      ),
    ),
  )
}
