import { fileURLToPath } from 'node:url'
import { isAbsolute, resolve } from 'node:path'
import { SkillOSError } from '@skillos/contracts'

/** The documents shipped with the skill: the offline provider's default folder. */
export const BUNDLED_DOCUMENTS_DIR = fileURLToPath(
  new URL('../fixtures/documents/', import.meta.url),
)

export const DEFAULT_TIMEOUT_MS = 10_000

/** `skills.settings["research/web-search"]`, checked. */
export interface WebSearchSettings {
  /** Set: search through this SearXNG instance; unset: the local document folder. */
  searxngUrl?: string
  documentsDir: string
  timeoutMs: number
}

function invalid(key: string, reason: string): SkillOSError {
  return new SkillOSError({
    code: 'CONFIG_INVALID',
    message: `skills.settings["research/web-search"].${key}: ${reason}`,
  })
}

/**
 * Read the skill's settings from `ctx.config`: `searxngUrl` (http or https), `documentsDir`
 * (absolute, or relative to the working directory; default: the bundled documents) and
 * `timeoutMs` (default 10 000). A wrong type or value is `CONFIG_INVALID` naming the key.
 */
export function readSettings(config: Readonly<Record<string, unknown>>): WebSearchSettings {
  const { searxngUrl, documentsDir, timeoutMs } = config
  const settings: WebSearchSettings = {
    documentsDir: BUNDLED_DOCUMENTS_DIR,
    timeoutMs: DEFAULT_TIMEOUT_MS,
  }
  if (searxngUrl !== undefined && searxngUrl !== null && searxngUrl !== '') {
    if (typeof searxngUrl !== 'string' || !/^https?:\/\/[^\s]+$/i.test(searxngUrl))
      throw invalid('searxngUrl', 'must be an http(s) URL such as "http://localhost:8888"')
    settings.searxngUrl = searxngUrl
  }
  if (documentsDir !== undefined && documentsDir !== null && documentsDir !== '') {
    if (typeof documentsDir !== 'string') throw invalid('documentsDir', 'must be a folder path')
    settings.documentsDir = isAbsolute(documentsDir) ? documentsDir : resolve(documentsDir)
  }
  if (timeoutMs !== undefined) {
    if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs <= 0)
      throw invalid('timeoutMs', 'must be a positive whole number of milliseconds')
    settings.timeoutMs = timeoutMs
  }
  return settings
}
