import { createDocumentIndex, type DocumentIndex } from './document-index.js'
import { listDocumentFiles, loadDocuments } from './documents.js'

interface CachedIndex {
  fingerprint: string
  index: DocumentIndex
}

const cache = new Map<string, CachedIndex>()

/**
 * The BM25 index of a document folder, rebuilt only when a file was added, removed or changed
 * (names, sizes and modification times are compared on every call).
 */
export async function documentIndexFor(dir: string): Promise<DocumentIndex> {
  const files = await listDocumentFiles(dir)
  const fingerprint = files.map((f) => `${f.path}:${f.size}:${f.mtimeMs}`).join('|')
  const cached = cache.get(dir)
  if (cached?.fingerprint === fingerprint) return cached.index
  const index = createDocumentIndex(await loadDocuments(dir, files))
  cache.set(dir, { fingerprint, index })
  return index
}
