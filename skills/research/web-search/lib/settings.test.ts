import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUNDLED_DOCUMENTS_DIR, DEFAULT_TIMEOUT_MS, readSettings } from './settings.js'

describe('readSettings', () => {
  it('defaults to the bundled documents, offline', () => {
    expect(readSettings({})).toEqual({
      documentsDir: BUNDLED_DOCUMENTS_DIR,
      timeoutMs: DEFAULT_TIMEOUT_MS,
    })
    expect(BUNDLED_DOCUMENTS_DIR).toMatch(/web-search[/\\]fixtures[/\\]documents[/\\]$/)
  })

  it('reads the SearXNG URL, a relative documents folder and the timeout', () => {
    expect(
      readSettings({ searxngUrl: 'http://localhost:8888', documentsDir: 'notes', timeoutMs: 3000 }),
    ).toEqual({
      searxngUrl: 'http://localhost:8888',
      documentsDir: resolve('notes'),
      timeoutMs: 3000,
    })
  })

  it('treats an empty URL as unset', () => {
    expect(readSettings({ searxngUrl: '' }).searxngUrl).toBeUndefined()
  })

  it.each([
    [
      { searxngUrl: 'ftp://x' },
      'skills.settings["research/web-search"].searxngUrl: must be an http(s) URL such as "http://localhost:8888"',
    ],
    [
      { searxngUrl: 42 },
      'skills.settings["research/web-search"].searxngUrl: must be an http(s) URL such as "http://localhost:8888"',
    ],
    [
      { documentsDir: ['a'] },
      'skills.settings["research/web-search"].documentsDir: must be a folder path',
    ],
    [
      { timeoutMs: -5 },
      'skills.settings["research/web-search"].timeoutMs: must be a positive whole number of milliseconds',
    ],
  ])('refuses %j with CONFIG_INVALID', (config, message) => {
    expect(() => readSettings(config)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message }),
    )
  })
})
