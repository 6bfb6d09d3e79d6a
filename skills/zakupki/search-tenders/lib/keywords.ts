import { stem } from '@skillos/recommender'

/**
 * Keyword matching for tender search: lower case, `ё` → `е`, Snowball stems for Russian and
 * English (the stemmers the skill index uses), prefix comparison of stems, and a small EN → RU
 * glossary so that English keywords find Russian notices.
 */

/** Lower case with `ё` folded to `е` (same length, so spans stay valid). */
export function foldCase(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е')
}

/**
 * The stem of one lower-case word: the Snowball stemmers the skill index uses (Russian for
 * Cyrillic, Porter for the rest).
 *
 * @example
 * stemWord('морепродуктов') // 'морепродукт'
 */
export function stemWord(word: string): string {
  return stem(word)
}

/** Words of a text (letters and digits), folded. */
export function tokenize(text: string): string[] {
  return foldCase(text).match(/[\p{L}\p{N}]+/gu) ?? []
}

/**
 * Whether two stems are the same word: one is a prefix of the other, the shorter having at least
 * three letters (`рыб` ~ `рыбн`, `мебел` ~ `мебел`); shorter stems must be equal.
 */
export function stemsMatch(queryStem: string, textStem: string): boolean {
  if (queryStem === textStem) return true
  const shorter = Math.min(queryStem.length, textStem.length)
  if (shorter < 3) return false
  return textStem.startsWith(queryStem) || queryStem.startsWith(textStem)
}

// Request scaffolding and words every notice shares: never keywords.
const STOP_WORDS = new Set(
  (
    'a an the of for in on at to by from under over below above up and or with without me my all any ' +
    'find search show list look get give please what which are is there open government public state ' +
    'tender procurement purchase supply delivery notice customer auction quotation law fz rub ruble rouble million mln thousand ' +
    'bn billion closing close deadline this week month today tomorrow less more than new current active ' +
    'в во на по до от для и или с со из к у о об а но не без при про за это как какие какой есть ' +
    'мне нам все всех фз руб рублей рубля млн млрд тыс тысяч миллион миллиона миллионов торги торгов торгах'
  ).split(' '),
)
/** The stop words' own stems, so inflected forms ("procurements", "tenders") are stop words too. */
const STOP_WORD_STEMS = new Set([...STOP_WORDS].map(stemWord))
const STOP_STEMS =
  /^(?:тендер|закуп|госзакуп|извещен|поставк|поставщ|найд|найт|поиск|покаж|показ|ищ|открыт|действующ|актуальн|нужн|подач|заявк|окончан|срок|недел|месяц|сегодн|завтр|закон|рубл|миллион|тысяч|госзаказ|заказчик|аукцион|конкурс|котировк)/

/** English keywords → Russian stems used in notices (the dataset is in Russian, as in the ЕИС). */
export const GLOSSARY: Readonly<Record<string, readonly string[]>> = {
  seafood: ['морепродукт', 'рыб', 'кревет', 'кальмар', 'краб', 'мид', 'устриц', 'гребешк'],
  fish: ['рыб', 'минта', 'трес', 'хек', 'лосос', 'горбуш'],
  salmon: ['лосос', 'горбуш', 'форел'],
  cod: ['трес'],
  pollock: ['минта'],
  shrimp: ['кревет'],
  prawn: ['кревет'],
  squid: ['кальмар'],
  crab: ['краб'],
  oyster: ['устриц'],
  mussel: ['мид'],
  scallop: ['гребешк'],
  furniture: ['мебел'],
  office: ['офисн', 'офис'],
  chair: ['стул', 'кресл'],
  desk: ['стол', 'парт'],
  road: ['дорог', 'автодорог'],
  repair: ['ремонт'],
  asphalt: ['асфальт'],
  pavement: ['тротуар', 'покрыт'],
  computer: ['компьютер', 'вычислительн'],
  laptop: ['ноутбук'],
  software: ['программн'],
  antivirus: ['антивирус'],
  server: ['сервер'],
  printer: ['принтер', 'мфу', 'многофункциональн'],
  it: ['информационн', 'программн', 'компьютер'],
  food: ['продукт', 'питан'],
  meal: ['питан'],
  catering: ['питан'],
  school: ['школ', 'обучающ', 'общеобразовательн'],
  milk: ['молок', 'молочн'],
  dairy: ['молочн', 'молок'],
  meat: ['мяс', 'говядин'],
  beef: ['говядин'],
  vegetable: ['овощ'],
  fruit: ['фрукт'],
  bread: ['хлеб'],
  medical: ['медицинск', 'лечебн'],
  medicine: ['лекарствен', 'препарат'],
  drug: ['лекарствен', 'препарат'],
  cleaning: ['уборк'],
  snow: ['снег'],
  fuel: ['топлив', 'бензин'],
  petrol: ['бензин'],
  gasoline: ['бензин'],
  paper: ['бумаг'],
  stationery: ['канцелярск'],
  canteen: ['столов', 'пищеблок'],
  hospital: ['больниц'],
}

/** One keyword of a query and the stems any of which counts as a match. */
export interface QueryTerm {
  word: string
  stems: string[]
}

/** Whether a lower-case word is request scaffolding or a word every notice shares. */
export function isStopWord(word: string): boolean {
  if (STOP_WORDS.has(word) || STOP_WORD_STEMS.has(stemWord(word)) || /^\d+$/.test(word)) return true
  return /[а-я]/.test(word) && STOP_STEMS.test(word)
}

/**
 * The keywords of a free-text query: stop words dropped, each word stemmed, English words widened
 * with their Russian stems from `GLOSSARY`, duplicates removed.
 *
 * @example
 * queryTerms('поставка рыбы').map((t) => t.stems) // [['рыб']]
 * queryTerms('office furniture')[1]?.stems // ['furnitur', 'мебел']
 */
export function queryTerms(query: string): QueryTerm[] {
  const terms: QueryTerm[] = []
  for (const word of tokenize(query)) {
    if (isStopWord(word)) continue
    const stem = stemWord(word)
    if (terms.some((t) => t.stems[0] === stem)) continue
    const glossary = GLOSSARY[stem] ?? GLOSSARY[word] ?? []
    terms.push({ word, stems: [stem, ...glossary.filter((g) => g !== stem)] })
  }
  return terms
}

/** How well a notice matches the keywords: 0 (none) to 1 (every keyword in the title). */
export interface KeywordScore {
  score: number
  matched: string[]
}

/**
 * Scores keywords against a notice: a keyword found in the title (purchase object) counts 1, found
 * only in the OKPD2 names 0.5; the score is the mean over keywords, rounded to two decimals.
 *
 * @example
 * scoreKeywords(queryTerms('рыба'), 'Поставка рыбы мороженой', []) // { score: 1, matched: ['рыба'] }
 */
export function scoreKeywords(
  terms: readonly QueryTerm[],
  title: string,
  classifierNames: readonly string[],
): KeywordScore {
  if (terms.length === 0) return { score: 0, matched: [] }
  const titleStems = tokenize(title).map(stemWord)
  const okpdStems = tokenize(classifierNames.join(' ')).map(stemWord)
  const has = (stems: string[], term: QueryTerm) =>
    term.stems.some((q) => stems.some((s) => stemsMatch(q, s)))
  let total = 0
  const matched: string[] = []
  for (const term of terms) {
    const weight = has(titleStems, term) ? 1 : has(okpdStems, term) ? 0.5 : 0
    if (weight > 0) matched.push(term.word)
    total += weight
  }
  return { score: Math.round((total / terms.length) * 100) / 100, matched }
}
