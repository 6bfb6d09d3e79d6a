import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listDocumentFiles, loadDocuments, parseFrontMatter, toLocalDocument } from './documents.js'
import { BUNDLED_DOCUMENTS_DIR } from './settings.js'

describe('parseFrontMatter', () => {
  it('reads key: value lines and the body', () => {
    expect(
      parseFrontMatter(
        '\uFEFF---\r\ntitle: "Grades: No. 0–5"\r\nLanguage: en\r\n---\r\nBody text.\r\n',
      ),
    ).toEqual({ fields: { title: 'Grades: No. 0–5', language: 'en' }, body: 'Body text.' })
  })

  it('keeps a file without front matter whole', () => {
    expect(parseFrontMatter('# Title\n\nText')).toEqual({ fields: {}, body: '# Title\n\nText' })
  })
})

describe('toLocalDocument', () => {
  it('takes title, language and date from the front matter', () => {
    expect(
      toLocalDocument(
        'a.md',
        '---\ntitle: T\nlanguage: ru\npublished: 2025-03-14\n---\nText',
        'file:///a.md',
      ),
    ).toEqual({
      id: 'a.md',
      title: 'T',
      body: 'Text',
      language: 'ru',
      publishedDate: '2025-03-14',
      url: 'file:///a.md',
    })
  })

  it('falls back to the heading, then the first line, and detects the language', () => {
    expect(toLocalDocument('b.md', '# Калибр\n\nТекст про устриц', 'u')).toMatchObject({
      title: 'Калибр',
      body: 'Текст про устриц',
      language: 'ru',
    })
    expect(toLocalDocument('c.txt', 'First line\nmore', 'u')).toMatchObject({
      title: 'First line',
      language: 'en',
    })
    expect(toLocalDocument('dir/empty-note.txt', '', 'u').title).toBe('empty-note')
  })

  it('ignores an impossible date and an unknown language', () => {
    const doc = toLocalDocument('d.md', '---\nlanguage: de\npublished: 2025-13-01\n---\nHallo', 'u')
    expect(doc.publishedDate).toBeUndefined()
    expect(doc.language).toBe('en')
  })
})

describe('loadDocuments', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'web-search-docs-'))
    await mkdir(join(dir, 'sub'))
    await writeFile(join(dir, 'one.md'), '---\ntitle: One\n---\nFirst.')
    await writeFile(join(dir, 'sub', 'two.txt'), 'Two\nSecond.')
    await writeFile(join(dir, 'image.png'), 'not text')
    await writeFile(join(dir, '.hidden.md'), 'hidden')
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('reads .md and .txt files of the folder and its sub-folders, skipping others', async () => {
    const docs = await loadDocuments(dir)
    expect(docs.map((d) => [d.id, d.title, d.url])).toEqual([
      ['one.md', 'One', pathToFileURL(join(dir, 'one.md')).href],
      ['sub/two.txt', 'Two', pathToFileURL(join(dir, 'sub', 'two.txt')).href],
    ])
  })

  it('fails with UNAVAILABLE naming a folder that does not exist', async () => {
    await expect(listDocumentFiles(join(dir, 'missing'))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining(join(dir, 'missing')),
    })
  })

  it('ships about twenty dated documents in English and Russian', async () => {
    const docs = await loadDocuments(BUNDLED_DOCUMENTS_DIR)
    expect(docs.length).toBeGreaterThanOrEqual(20)
    expect(docs.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.publishedDate ?? ''))).toBe(true)
    expect(docs.filter((d) => d.language === 'ru').length).toBeGreaterThanOrEqual(8)
    expect(docs.filter((d) => d.language === 'en').length).toBeGreaterThanOrEqual(8)
  })
})
