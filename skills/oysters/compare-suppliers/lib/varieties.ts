import { foldText } from './text-fold.js'

/** Normalised oyster varieties. */
export const VARIETY_IDS = [
  'gillardeau',
  'speciale-de-claire',
  'fine-de-claire',
  'tsarskaya',
  'utah-beach',
  'belon',
  'kumamoto',
  'kusshi',
  'blue-point',
  'sydney-rock',
  'far-eastern',
  'black-sea',
  'pacific',
] as const
export type VarietyId = (typeof VARIETY_IDS)[number]

export interface Variety {
  id: VarietyId
  /** Trade name in English. */
  name: string
  /** Trade name in Russian. */
  nameRu: string
  /** Latin species name. */
  species: string
}

interface VarietyDefinition extends Variety {
  /** Folded spellings (lower case, no accents), regular-expression sources. */
  aliases: string[]
}

// Most specific first: a "Gillardeau spéciale" is a Gillardeau, a "Fine de Claire (gigas)" a Fine.
const DEFINITIONS: VarietyDefinition[] = [
  {
    id: 'gillardeau',
    name: 'Gillardeau',
    nameRu: 'Жиллардо',
    species: 'Crassostrea gigas',
    aliases: ['gillardeau', 'gilardeau', 'ж[иы]л+ардо', 'гил+ардо'],
  },
  {
    id: 'tsarskaya',
    name: 'Tsarskaya',
    nameRu: 'Царская',
    species: 'Crassostrea gigas',
    aliases: ['tsarskaya', 'tsarskaia', 'царск\\p{L}*'],
  },
  {
    id: 'utah-beach',
    name: 'Utah Beach',
    nameRu: 'Юта Бич',
    species: 'Crassostrea gigas',
    aliases: ['utah\\s*beach', 'юта\\s*бич'],
  },
  {
    id: 'speciale-de-claire',
    name: 'Spéciale de Claire',
    nameRu: 'Спесьяль де Клер',
    species: 'Crassostrea gigas',
    aliases: [
      'speciales?\\s+(?:de\\s+)?claires?',
      'special\\s+de\\s+claire',
      'сп[еэ]с[ьи]?[ая]ль\\p{L}*\\s+(?:де\\s+)?кл[еэ]р\\p{L}*',
      'специаль\\p{L}*\\s+(?:де\\s+)?кл[еэ]р\\p{L}*',
    ],
  },
  {
    id: 'fine-de-claire',
    name: 'Fine de Claire',
    nameRu: 'Фин де Клер',
    species: 'Crassostrea gigas',
    aliases: ['fines?\\s+(?:de\\s+)?claires?', 'фин\\p{L}*\\s+(?:де\\s+)?кл[еэ]р\\p{L}*'],
  },
  {
    id: 'belon',
    name: 'Belon',
    nameRu: 'Белон',
    species: 'Ostrea edulis',
    aliases: ['belons?', 'белон\\p{L}*', 'huitres?\\s+plates?', 'plates?\\s+de\\s+bretagne'],
  },
  {
    id: 'kumamoto',
    name: 'Kumamoto',
    nameRu: 'Кумамото',
    species: 'Crassostrea sikamea',
    aliases: ['kumamoto', 'кумамото'],
  },
  {
    id: 'kusshi',
    name: 'Kusshi',
    nameRu: 'Кусси',
    species: 'Crassostrea gigas',
    aliases: ['kusshi', 'кус+и', 'куш+и'],
  },
  {
    id: 'blue-point',
    name: 'Blue Point',
    nameRu: 'Блю Пойнт',
    species: 'Crassostrea virginica',
    aliases: ['blue\\s*points?', 'блю\\s*по[ий]нт'],
  },
  {
    id: 'sydney-rock',
    name: 'Sydney rock',
    nameRu: 'Сиднейская скальная',
    species: 'Saccostrea glomerata',
    aliases: ['sydney\\s+rock', 'сиднейск\\p{L}*'],
  },
  {
    id: 'far-eastern',
    name: 'Far Eastern (Dalnevostochnaya)',
    nameRu: 'Дальневосточная',
    species: 'Crassostrea gigas',
    aliases: [
      'dalnevostochn\\p{L}*',
      'far[\\s-]+east\\p{L}*',
      'дальневосточн\\p{L}*',
      'приморск\\p{L}*',
    ],
  },
  {
    id: 'black-sea',
    name: 'Black Sea',
    nameRu: 'Черноморская',
    species: 'Crassostrea gigas',
    aliases: ['black\\s+sea', 'chernomorsk\\p{L}*', 'черноморск\\p{L}*', 'крымск\\p{L}*'],
  },
  {
    id: 'pacific',
    name: 'Pacific (Crassostrea gigas)',
    nameRu: 'Тихоокеанская (гигас)',
    species: 'Crassostrea gigas',
    aliases: [
      'pacific',
      '(?:crassostrea|magallana)\\s+gigas',
      'gigas',
      'creuses?',
      'тихоокеанск\\p{L}*',
      'гигас',
    ],
  },
]

const MATCHERS = DEFINITIONS.map((d) => ({
  variety: { id: d.id, name: d.name, nameRu: d.nameRu, species: d.species } satisfies Variety,
  re: new RegExp(`(?<![\\p{L}])(?:${d.aliases.join('|')})(?![\\p{L}])`, 'u'),
}))

/** A variety and where its name was written. */
export interface VarietyMatch {
  variety: Variety
  span: [number, number]
}

/**
 * The oyster variety named in `text` (English, French or Russian trade names, any case or accents).
 * When several are named, the most specific wins (Gillardeau over "gigas").
 *
 * @example
 * ```ts
 * findVariety('Huîtres Spéciales de Claire N°3')?.variety.id // 'speciale-de-claire'
 * findVariety('Устрица дальневосточная, калибр 2')?.variety.id // 'far-eastern'
 * ```
 */
export function findVariety(text: string): VarietyMatch | undefined {
  const folded = foldText(text)
  for (const { variety, re } of MATCHERS) {
    const m = re.exec(folded)
    if (m) return { variety, span: [m.index, m.index + m[0].length] }
  }
  return undefined
}

/** The variety with this id. */
export function varietyById(id: VarietyId): Variety {
  const found = MATCHERS.find((m) => m.variety.id === id)
  if (!found) throw new Error(`unknown variety ${id}`)
  return found.variety
}
