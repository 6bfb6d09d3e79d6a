import { readFile } from 'node:fs/promises'
import { maskUrl, SkillOSError, type SkillStorage } from '@skillos/contracts'
import { z } from 'zod'
import { parseCbrXml } from './cbr.js'
import { checkRateDate, toCbrDateParam } from './dates.js'
import { parseEcbXml } from './ecb.js'
import { SOURCE_INFO, type RateTable, type RatesSource } from './rate-table.js'
import { decodeXml } from './xml-document.js'

/** The settings of a skill that reads rates (`skills.settings["finance/exchange-rates"]`). */
export interface RatesSettings {
  /** Which publisher to use when the request does not say (default `cbr`). */
  source: RatesSource
  /** Live Bank of Russia feed, e.g. `https://www.cbr.ru/scripts/XML_daily.asp`; unset: offline snapshot. */
  cbrUrl?: string
  /** Live ECB feed, e.g. `https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml`; unset: offline snapshot. */
  ecbUrl?: string
  /** How long fetched rates are reused, in milliseconds (default one hour; 0: never cached). */
  cacheTtlMs: number
  /** Per-request timeout of the live feeds, in milliseconds (default 10 s). */
  timeoutMs: number
}

const blankToUndefined = (value: unknown): unknown => (value === '' ? undefined : value)
const settingsSchema = z.object({
  source: z.enum(['cbr', 'ecb']).optional(),
  cbrUrl: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/ }).optional()),
  ecbUrl: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/ }).optional()),
  cacheTtlMs: z.number().int().min(0).optional(),
  timeoutMs: z.number().int().positive().optional(),
})

/** Default `cacheTtlMs`: one hour. */
export const DEFAULT_CACHE_TTL_MS = 3_600_000
/** Default `timeoutMs` of a live feed: ten seconds. */
export const DEFAULT_TIMEOUT_MS = 10_000

/**
 * Reads rate settings from a skill's `ctx.config`; unknown keys are ignored, a bad value is a
 * `CONFIG_INVALID` naming the setting.
 *
 * @example
 * ```ts
 * readRatesSettings({ source: 'ecb', cacheTtlMs: 60_000 })
 * // { source: 'ecb', cacheTtlMs: 60000, timeoutMs: 10000 }
 * ```
 */
export function readRatesSettings(config: Readonly<Record<string, unknown>>): RatesSettings {
  const parsed = settingsSchema.safeParse(config)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SkillOSError({
      code: 'CONFIG_INVALID',
      message: `settings ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    })
  }
  const { source, cbrUrl, ecbUrl, cacheTtlMs, timeoutMs } = parsed.data
  return {
    source: source ?? 'cbr',
    ...(cbrUrl ? { cbrUrl } : {}),
    ...(ecbUrl ? { ecbUrl } : {}),
    cacheTtlMs: cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
    timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS,
  }
}

/**
 * The rate settings of a skill that uses official rates besides its own settings (margins,
 * supplier comparison): the same keys, but `ratesSource` for `source`, which such a skill may
 * already use for something else.
 *
 * @example
 * ```ts
 * readEmbeddedRatesSettings({ ratesSource: 'ecb', currency: 'EUR' }) // { source: 'ecb', … }
 * ```
 */
export function readEmbeddedRatesSettings(
  config: Readonly<Record<string, unknown>>,
): RatesSettings {
  const { ratesSource, cbrUrl, ecbUrl, cacheTtlMs, timeoutMs } = config
  return readRatesSettings({
    ...(ratesSource !== undefined ? { source: ratesSource } : {}),
    cbrUrl,
    ecbUrl,
    cacheTtlMs,
    timeoutMs,
  })
}

/** The dated snapshots shipped in `fixtures/`, used when no live URL is set. */
export const OFFLINE_SNAPSHOTS: Record<RatesSource, { file: URL; date: string }> = {
  cbr: { file: new URL('../fixtures/cbr-2026-11-21.xml', import.meta.url), date: '2026-11-21' },
  ecb: { file: new URL('../fixtures/ecb-2026-11-20.xml', import.meta.url), date: '2026-11-20' },
}

const offlineTables = new Map<RatesSource, Promise<RateTable[]>>()

/** The offline snapshot of `source`, parsed once per process. */
export function readOfflineTables(source: RatesSource): Promise<RateTable[]> {
  let tables = offlineTables.get(source)
  if (!tables) {
    tables = readFile(OFFLINE_SNAPSHOTS[source].file).then((bytes) => {
      const text = decodeXml(bytes)
      return source === 'cbr' ? [parseCbrXml(text)] : parseEcbXml(text)
    })
    offlineTables.set(source, tables)
  }
  return tables
}

/** What `loadRates` found: the day's table and where it came from. */
export interface LoadedRates {
  table: RateTable
  /** `true`: fetched from the configured URL (or the cache of it); `false`: the offline snapshot. */
  live: boolean
  /** The feed, credentials masked (live only). */
  url?: string
  /** Served from `ctx.storage` within `cacheTtlMs`. */
  cached: boolean
  /** Said to the person: the snapshot date when offline. */
  note?: string
}

export interface LoadRatesOptions {
  source: RatesSource
  /** The day wanted, `YYYY-MM-DD`; the latest rates when absent. */
  date?: string
  settings: RatesSettings
  /** Where live rates are cached (`ctx.storage`); no cache without it. */
  storage?: SkillStorage
  signal?: AbortSignal
  /** Clock, for the TTL and "not in the future" (default `Date.now`). */
  now?: () => number
  fetch?: typeof fetch
}

interface CacheEntry {
  url: string
  fetchedAt: number
  table: RateTable
}

/** The key under which rates of one source and requested date are cached: `rates/cbr/2026-11-21`. */
export function cacheKeyOf(source: RatesSource, date: string | undefined): string {
  return `rates/${source}/${date ?? 'latest'}`
}

/** The latest table on or before `date` (any, when no date), or `undefined`. */
export function pickTable(tables: readonly RateTable[], date?: string): RateTable | undefined {
  const eligible = tables.filter((t) => date === undefined || t.date <= date)
  return eligible.sort((a, b) => a.date.localeCompare(b.date)).at(-1)
}

function tooEarly(
  source: RatesSource,
  date: string,
  tables: readonly RateTable[],
  where: string,
): SkillOSError {
  const first = tables.map((t) => t.date).sort()[0] ?? '?'
  const setting = source === 'cbr' ? 'cbrUrl' : 'ecbUrl'
  return new SkillOSError({
    code: 'VALIDATION_FAILED',
    message: `date: ${where} has ${SOURCE_INFO[source].name} rates from ${first} only, none for ${date}${
      where.startsWith('the offline') ? `; set skills.settings ${setting} for other dates` : ''
    }`,
  })
}

/** The request URL of a live feed: the Bank of Russia takes the day as `date_req=DD/MM/YYYY`. */
export function feedUrl(source: RatesSource, url: string, date?: string): string {
  if (source !== 'cbr' || date === undefined) return url
  return `${url}${url.includes('?') ? '&' : '?'}date_req=${toCbrDateParam(date)}`
}

async function fetchTables(
  source: RatesSource,
  url: string,
  options: LoadRatesOptions,
): Promise<RateTable[]> {
  const masked = maskUrl(url)
  const name = SOURCE_INFO[source].name
  const timeout = AbortSignal.timeout(options.settings.timeoutMs)
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
  let bytes: Uint8Array
  let contentType: string | undefined
  try {
    const response = await (options.fetch ?? fetch)(url, {
      signal,
      headers: { accept: 'application/xml, text/xml' },
    })
    if (!response.ok) {
      throw new SkillOSError({
        code: 'UNAVAILABLE',
        message: `${name} rates at ${masked} answered HTTP ${response.status}`,
        details: { url: masked, status: response.status },
      })
    }
    contentType = response.headers.get('content-type') ?? undefined
    bytes = new Uint8Array(await response.arrayBuffer())
  } catch (error) {
    if (SkillOSError.is(error)) throw error
    if (options.signal?.aborted) throw error
    const reason = timeout.aborted
      ? `no answer within ${options.settings.timeoutMs} ms`
      : error instanceof Error
        ? ((error.cause as Error | undefined)?.message ?? error.message)
        : String(error)
    throw new SkillOSError({
      code: 'UNAVAILABLE',
      message: `cannot reach ${name} rates at ${masked}: ${reason}`,
      details: { url: masked },
      cause: error,
    })
  }
  try {
    const text = decodeXml(bytes, contentType)
    return source === 'cbr' ? [parseCbrXml(text)] : parseEcbXml(text)
  } catch (error) {
    throw new SkillOSError({
      code: 'UPSTREAM_FAILED',
      message: `${name} rates at ${masked} are unreadable: ${error instanceof Error ? error.message : String(error)}`,
      details: { url: masked },
      cause: error,
    })
  }
}

/**
 * Official rates of `source` for `date` (the latest published on or before it; the latest of all
 * when no date): from the live feed when its URL is set — cached in `storage` under
 * `rates/<source>/<date|latest>` for `cacheTtlMs`, so the cache survives restarts — otherwise from
 * the dated offline snapshot in `fixtures/`. A live feed that cannot be reached is `UNAVAILABLE`
 * naming the (masked) URL; there is no silent fallback to the snapshot.
 *
 * @example
 * ```ts
 * const { table, live } = await loadRates({ source: 'cbr', settings: readRatesSettings(ctx.config), storage: ctx.storage })
 * ```
 */
export async function loadRates(options: LoadRatesOptions): Promise<LoadedRates> {
  const { source, date, settings, storage } = options
  const now = options.now ?? Date.now
  if (date !== undefined) checkRateDate(date, now())
  const url = source === 'cbr' ? settings.cbrUrl : settings.ecbUrl
  if (!url) {
    const tables = await readOfflineTables(source)
    const table = pickTable(tables, date)
    const snapshot = OFFLINE_SNAPSHOTS[source].date
    if (!table) throw tooEarly(source, date ?? '?', tables, `the offline snapshot`)
    return {
      table,
      live: false,
      cached: false,
      note: `Offline snapshot of ${snapshot} shipped with the skill; set ${source === 'cbr' ? 'cbrUrl' : 'ecbUrl'} for live rates`,
    }
  }
  const key = cacheKeyOf(source, date)
  const masked = maskUrl(url)
  if (storage && settings.cacheTtlMs > 0) {
    const entry = await storage.get<CacheEntry>(key)
    const age = entry ? now() - entry.fetchedAt : Infinity
    if (entry && entry.url === url && age >= 0 && age < settings.cacheTtlMs) {
      return { table: entry.table, live: true, url: masked, cached: true }
    }
  }
  const requestUrl = feedUrl(source, url, date)
  const tables = await fetchTables(source, requestUrl, options)
  const table = pickTable(tables, date)
  if (!table) throw tooEarly(source, date ?? '?', tables, maskUrl(requestUrl))
  if (storage && settings.cacheTtlMs > 0) {
    await storage.set(key, { url, fetchedAt: now(), table } satisfies CacheEntry)
  }
  return { table, live: true, url: masked, cached: false }
}
