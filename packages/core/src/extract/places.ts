import { keepLongest, matchAt, type TextMatch } from './match.js'
import { CITY_ROWS, COUNTRY_ROWS } from './places-data.js'
import { normalizeWord, tokenizeWords } from './words.js'
import { matchesIn } from './regex.js'

/** A city from the built-in gazetteer. */
export interface City {
  /** English name, e.g. "Moscow". */
  name: string
  /** Russian name in the nominative, e.g. "Москва". */
  nameRu: string
  /** IATA city (or main airport) code, e.g. "MOW", when known. */
  iata?: string
  /** ISO 3166 alpha-2 country code. */
  country: string
}

/** A country from the built-in table. */
export interface Country {
  /** ISO 3166 alpha-2 code, e.g. "RU". */
  code: string
  /** English name. */
  name: string
}

const NOUN_ENDINGS: [RegExp, string[]][] = [
  [/ия$/u, ['ия', 'ии', 'ию', 'ией']],
  [/ья$/u, ['ья', 'ьи', 'ье', 'ью', 'ьей']],
  [/а$/u, ['а', 'ы', 'и', 'е', 'у', 'ой', 'ою']],
  [/я$/u, ['я', 'и', 'е', 'ю', 'ей']],
  [/ь$/u, ['ь', 'и', 'ью', 'я', 'ю', 'е', 'ем']],
  [/й$/u, ['й', 'я', 'ю', 'е', 'ем']],
  [/ы$/u, ['ы', '', 'ах', 'ам', 'ами']],
  [/[оеиуэю]$/u, ['']],
]
const ADJECTIVE_ENDINGS: [RegExp, string[]][] = [
  [/ий$/u, ['ий', 'его', 'ого', 'ему', 'ому', 'ем', 'ом', 'им']],
  [/ый$/u, ['ый', 'ого', 'ому', 'ом', 'ым']],
  [/ая$/u, ['ая', 'ой', 'ую']],
  [/ые$/u, ['ые', 'ых', 'ым', 'ыми']],
]

function wordForms(word: string, isLastWord: boolean): string[] {
  const w = normalizeWord(word)
  if (!/[а-я]/.test(w) || (/^[а-я]{2,4}$/.test(w) && word === word.toUpperCase())) return [w]
  const hyphen = w.lastIndexOf('-')
  if (hyphen >= 0) {
    // "Санкт-Петербург", "Нью-Йорк": only the last part declines.
    const head = w.slice(0, hyphen + 1)
    return wordForms(w.slice(hyphen + 1), isLastWord).map((f) => head + f)
  }
  const table = isLastWord ? NOUN_ENDINGS : [...ADJECTIVE_ENDINGS, ...NOUN_ENDINGS]
  for (const [re, endings] of table) {
    if (!re.test(w)) continue
    const stem = w.replace(re, '')
    return endings.map((e) => (e === '' && re.source.startsWith('[') ? w : stem + e))
  }
  // Ends in a consonant: Лондон → Лондона, Лондону, Лондоне, Лондоном.
  return ['', 'а', 'у', 'е', 'ом'].map((e) => w + e)
}

/** The case forms of a Russian place name (nominative in, all common cases out). */
export function russianForms(name: string): string[] {
  const words = name.split(/\s+/)
  let forms = ['']
  words.forEach((word, i) => {
    const last = i === words.length - 1
    const endsAdjective = !last && ADJECTIVE_ENDINGS.some(([re]) => re.test(normalizeWord(word)))
    const options = endsAdjective ? wordForms(word, false) : wordForms(word, true)
    forms = forms.flatMap((f) => options.map((o) => (f ? `${f} ${o}` : o)))
  })
  return [...new Set(forms)]
}

interface Entry<T> {
  value: T
  caseSensitive: boolean
}

/** Place names by their normalised words, and the most words a name has per first word. */
interface PlaceIndex<T> {
  names: Map<string, Entry<T>>
  /** A text position whose word starts no name is passed over at once. */
  longestByFirstWord: Map<string, number>
}

function buildIndex<T>(rows: { value: T; ru: string; en: string }[]): PlaceIndex<T> {
  const names = new Map<string, Entry<T>>()
  const longestByFirstWord = new Map<string, number>()
  const add = (phrase: string, value: T, caseSensitive: boolean): void => {
    const words = tokenizeWords(phrase).map((t) => t.norm)
    const key = words.join(' ')
    const existing = names.get(key)
    if (key && !existing) {
      names.set(key, { value, caseSensitive })
      const first = words[0] ?? ''
      longestByFirstWord.set(first, Math.max(longestByFirstWord.get(first) ?? 0, words.length))
    }
    // "Nice|^Nice": a capitalised-only spelling makes the whole key case sensitive.
    else if (existing && existing.value === value && caseSensitive) existing.caseSensitive = true
  }
  for (const row of rows) {
    for (const raw of row.ru.split('|').filter(Boolean)) {
      const caseSensitive = raw.startsWith('^')
      const name = raw.replace(/^[\^=]/, '')
      const forms = raw.startsWith('=') ? [name] : russianForms(name)
      for (const form of forms) add(form, row.value, caseSensitive)
    }
    for (const raw of row.en.split('|').filter(Boolean)) {
      add(raw.replace(/^\^/, ''), row.value, raw.startsWith('^'))
    }
  }
  return { names, longestByFirstWord }
}

function russianName(names: string): string {
  return names.split('|')[0]?.replace(/^[\^=]/, '') ?? ''
}

const CITY_INDEX = buildIndex(
  CITY_ROWS.map(([name, iata, country, ru, en]) => ({
    value: { name, nameRu: russianName(ru), country, ...(iata ? { iata } : {}) } satisfies City,
    ru,
    en: [name, en ?? ''].join('|'),
  })),
)
const CITY_BY_IATA = new Map<string, City>(
  CITY_ROWS.filter(([, iata]) => iata).map(([name, iata, country, ru]) => [
    iata,
    { name, nameRu: russianName(ru), iata, country },
  ]),
)
const COUNTRY_INDEX = buildIndex(
  COUNTRY_ROWS.map(([code, name, ru, en]) => ({
    value: { code, name } satisfies Country,
    ru,
    en: [name, en ?? ''].join('|'),
  })),
)

// Words of one name are separated by spaces, dots or hyphens only ("St. Petersburg").
const NAME_GAP = /^[\s.-]{1,3}$/u

function lookup<T>(text: string, index: PlaceIndex<T>, maxWords = 4): TextMatch<T>[] {
  const tokens = tokenizeWords(text)
  const found: TextMatch<T>[] = []
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i]
    const longest = first && index.longestByFirstWord.get(first.norm)
    if (!first || !longest) continue
    // The longest name first: "Нижний Новгород" before "Нижний".
    let words = Math.min(maxWords, longest, tokens.length - i)
    // How many words from `first` on are joined by name gaps only.
    let joined = 1
    while (joined < words) {
      const previous = tokens[i + joined - 1]
      const next = tokens[i + joined]
      if (!previous || !next || !NAME_GAP.test(text.slice(previous.end, next.start))) break
      joined++
    }
    words = joined
    let key = first.norm
    const keys = [key]
    for (let n = 1; n < words; n++) keys.push((key = `${key} ${tokens[i + n]?.norm ?? ''}`))
    for (let n = words; n >= 1; n--) {
      const entry = index.names.get(keys[n - 1] ?? '')
      const last = tokens[i + n - 1]
      if (!entry || !last) continue
      if (entry.caseSensitive && first.word[0] !== first.word[0]?.toUpperCase()) continue
      found.push(matchAt(text, first.start, last.end, entry.value))
      i += n - 1
      break
    }
  }
  return found
}

/**
 * Every city of the built-in gazetteer (~200 major world and Russian cities) mentioned in EN or RU,
 * in any common case form (`Москва`/`Москвы`/`Москве`/`Москву`, `из Санкт-Петербурга`,
 * `в Нижнем Новгороде`), or by an upper-case IATA code (`MOW`, `DXB`).
 *
 * @example
 * ```ts
 * findCities('из Москвы в Сочи').map((m) => m.value.iata) // ['MOW', 'AER']
 * ```
 */
export function findCities(text: string): TextMatch<City>[] {
  const found = lookup(text, CITY_INDEX)
  for (const m of matchesIn(text, /(?<![\p{L}\d])[A-Z]{3}(?![\p{L}\d])/gu)) {
    const city = CITY_BY_IATA.get(m[0])
    if (city) found.push(matchAt(text, m.index, m.index + 3, city))
  }
  return keepLongest(found)
}

/**
 * Every country of the built-in table (~70) mentioned in EN or RU, in any common case form.
 *
 * @example
 * ```ts
 * findCountries('поставка устриц из Франции')[0]?.value.code // 'FR'
 * ```
 */
export function findCountries(text: string): TextMatch<Country>[] {
  return lookup(text, COUNTRY_INDEX)
}

const REGION_PATTERNS: [RegExp, (m: RegExpMatchArray) => string][] = [
  [
    /(?<![\p{L}])(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)(?:ая|ой|ую|ою)\s+област(?:ь|и|ью)(?![\p{L}])/gu,
    (m) => `${m[1]}ая область`,
  ],
  [
    /(?<![\p{L}-])(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)(?:ий|ого|ому|ом|им)\s+кра(?:й|я|ю|е|ем)(?![\p{L}])/gu,
    (m) => `${m[1]}ий край`,
  ],
  [
    /(?<![\p{L}-])(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)(?:ий|ого|ому|ом|им)\s+автономн\p{Ll}+\s+округ\p{Ll}*(?![\p{L}])/gu,
    (m) => `${m[1]}ий автономный округ`,
  ],
  [
    /(?<![\p{L}])[Рр]еспублик(?:а|и|е|у|ой)\s+(\p{Lu}[\p{L}-]+(?:\s+\p{Lu}\p{L}+)?)/gu,
    (m) => `Республика ${m[1]}`,
  ],
  [
    /(?<![\p{L}])(\p{Lu}\p{L}+)\s+(Oblast|Krai|Region|Republic)(?![\p{L}])/gu,
    (m) => `${m[1]} ${m[2]}`,
  ],
]

/**
 * Russian federal subjects written out, normalised to the nominative: "в Московской области" →
 * "Московская область", "Краснодарского края" → "Краснодарский край", "Республике Татарстан" →
 * "Республика Татарстан"; EN "Moscow Oblast", "Krasnodar Krai". Matched by shape, not by a list.
 *
 * @example
 * ```ts
 * findRegions('тендеры в Московской области')[0]?.value // 'Московская область'
 * ```
 */
export function findRegions(text: string): TextMatch<string>[] {
  const found: TextMatch<string>[] = []
  for (const [re, normalize] of REGION_PATTERNS) {
    for (const m of matchesIn(text, re))
      found.push(matchAt(text, m.index, m.index + m[0].length, normalize(m)))
  }
  return keepLongest(found)
}
