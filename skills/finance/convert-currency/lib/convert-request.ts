import type { SkillStorage } from '@skillos/contracts'
import {
  hasCurrency,
  loadRates,
  normalizeCode,
  readRatesSettings,
  SOURCE_INFO,
  type LoadedRates,
  type RatesSource,
} from '@skillos-skills/finance-exchange-rates/rates'
import { convertAmount, type Conversion } from './convert.js'

/** A conversion request, as the skill's input schema admits it. */
export interface ConversionRequest {
  amount: number
  from: string
  to: string
  date?: string
  source?: RatesSource
}

/** The skill's answer: the conversion plus where the rates came from. */
export interface ConversionAnswer extends Conversion {
  requestedDate?: string
  live: boolean
  note?: string
}

/** What the rates are read with: the skill's `ctx.config`, `ctx.storage`, `ctx.signal`. */
export interface RatesAccess {
  config: Readonly<Record<string, unknown>>
  storage?: SkillStorage
  signal?: AbortSignal
  now?: () => number
}

/**
 * Converts through official rates: the requested source, else the configured one (`source`
 * setting, default the Bank of Russia). When no source was asked for and the configured one does
 * not quote a currency that the other one quotes (ISK, MXN… at the ECB; KZT, AED… at the Bank of
 * Russia), the other source is used and the answer says so. Live feeds, cache and offline
 * snapshots as in `loadRates`.
 *
 * @example
 * ```ts
 * (await convertWithOfficialRates({ amount: 250, from: 'EUR', to: 'RUB' }, { config: {} })).result // 21394.48
 * ```
 */
export async function convertWithOfficialRates(
  request: ConversionRequest,
  access: RatesAccess,
): Promise<ConversionAnswer> {
  const settings = readRatesSettings(access.config)
  const load = (source: RatesSource): Promise<LoadedRates> =>
    loadRates({
      source,
      ...(request.date ? { date: request.date } : {}),
      settings,
      ...(access.storage ? { storage: access.storage } : {}),
      ...(access.signal ? { signal: access.signal } : {}),
      ...(access.now ? { now: access.now } : {}),
    })
  const primary = request.source ?? settings.source
  let loaded = await load(primary)
  const codes = [normalizeCode(request.from), normalizeCode(request.to)]
  const unquoted = codes.filter((code) => !hasCurrency(loaded.table, code))
  const notes: string[] = []
  if (unquoted.length > 0 && request.source === undefined) {
    const other: RatesSource = primary === 'cbr' ? 'ecb' : 'cbr'
    const alternative = await load(other).catch(() => undefined)
    if (alternative && codes.every((code) => hasCurrency(alternative.table, code))) {
      notes.push(
        `${unquoted.join(', ')} is not quoted by the ${SOURCE_INFO[primary].name}; converted at ${SOURCE_INFO[other].name} rates`,
      )
      loaded = alternative
    }
  }
  // Throws VALIDATION_FAILED naming `from` or `to` when a currency is still not quoted.
  const conversion = convertAmount(loaded.table, request.amount, request.from, request.to)
  if (loaded.note) notes.push(loaded.note)
  const note = notes.length > 0 ? notes.join('. ') : undefined
  return {
    ...conversion,
    ...(request.date ? { requestedDate: request.date } : {}),
    live: loaded.live,
    ...(note ? { note, text: `${conversion.text}. ${note}.` } : { text: `${conversion.text}.` }),
  }
}
