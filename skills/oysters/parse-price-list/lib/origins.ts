import { foldText } from './text-fold.js'

// Growing areas and countries, folded; the first match wins, so areas come before countries.
const ORIGINS: [string, string][] = [
  ['marennes[\\s-]*oleron|марен\\p{L}*[\\s-]*олерон\\p{L}*|oleron', 'Marennes-Oléron, France'],
  ['arcachon|аркашон\\p{L}*', 'Arcachon, France'],
  ['cancale|канкал\\p{L}*', 'Cancale, France'],
  ['bretagne|brittany|бретан\\p{L}*', 'Brittany, France'],
  ['normandie|normandy|нормандии|нормандия', 'Normandy, France'],
  ['utah\\s*beach', 'Normandy, France'],
  ['france|франци\\p{L}*|fr', 'France'],
  ['irlande|ireland|ирланди\\p{L}*|ie', 'Ireland'],
  ['zeeland|zelande|зеланди\\p{L}*', 'Zeeland, Netherlands'],
  ['netherlands|pays[\\s-]*bas|нидерланд\\p{L}*|голланди\\p{L}*|nl', 'Netherlands'],
  ['крым\\p{L}*|crimea', 'Crimea'],
  ['приморь\\p{L}*|primorye|приморск\\p{L}*\\s+кра\\p{L}*', 'Primorye, Russia'],
  ['сахалин\\p{L}*|sakhalin', 'Sakhalin, Russia'],
  ['британская\\s+колумбия|british\\s+columbia|bc', 'British Columbia, Canada'],
  ['canada|канад\\p{L}*|ca', 'Canada'],
  ['япони\\p{L}*|japan|japon|jp', 'Japan'],
  ['австрали\\p{L}*|australia|australie|au', 'Australia'],
  ['сша|usa|us|etats[\\s-]*unis|long\\s+island|лонг[\\s-]*айленд', 'USA'],
  ['марокко|maroc|morocco|dakhla|ma', 'Morocco'],
  ['россия|russia|рф|ru', 'Russia'],
]
const MATCHERS = ORIGINS.map(
  ([re, name]) => [new RegExp(`(?<![\\p{L}])(?:${re})(?![\\p{L}])`, 'u'), name] as const,
)
// Two-letter country codes are read only from an origin column, never from free text.
const CODE_ONLY = /^[a-z]{2}$/

/**
 * The growing area or country named in `text`, normalised (`Марен-Олерон` → "Marennes-Oléron,
 * France"). Two-letter codes (`FR`, `IE`) count only when `column` is true.
 *
 * @example
 * ```ts
 * findOrigin('Фин де Клер №3 (Франция)') // 'France'
 * findOrigin('FR', { column: true }) // 'France'
 * ```
 */
export function findOrigin(text: string, options: { column?: boolean } = {}): string | undefined {
  const folded = foldText(text)
  for (const [re, name] of MATCHERS) {
    const m = re.exec(folded)
    if (!m) continue
    if (!options.column && CODE_ONLY.test(m[0])) continue
    return name
  }
  return undefined
}
