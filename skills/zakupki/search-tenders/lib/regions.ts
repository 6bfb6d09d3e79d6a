/** A Russian federal subject as zakupki.gov.ru codes it (the two-digit region code of the customer). */
export interface Region {
  code: string
  nameRu: string
  nameEn: string
  /** Regex source (lower case, `ё` folded to `е`) matching the region or its main city in any case form. */
  pattern: string
}

const L = '\\p{L}*'

// Ordered: a region whose pattern is a prefix of another's name ("Московская область" / "Москва")
// comes first. Each pattern also knows the regional capital, so "в Казани" means Tatarstan.
export const REGIONS: readonly Region[] = [
  {
    code: '50',
    nameRu: 'Московская область',
    nameEn: 'Moscow Oblast',
    pattern: `московск${L}\\s+област${L}|подмосков${L}|moscow\\s+(?:oblast|region)`,
  },
  {
    code: '77',
    nameRu: 'Москва',
    nameEn: 'Moscow',
    pattern: `москв${L}|moscow(?!\\s+(?:oblast|region))|мск`,
  },
  {
    code: '47',
    nameRu: 'Ленинградская область',
    nameEn: 'Leningrad Oblast',
    pattern: `ленинградск${L}\\s+област${L}|leningrad\\s+(?:oblast|region)`,
  },
  {
    code: '78',
    nameRu: 'Санкт-Петербург',
    nameEn: 'Saint Petersburg',
    pattern: `санкт-петербург${L}|петербург${L}|спб|питер${L}|(?:saint|st\\.?)\\s*-?\\s*petersburg`,
  },
  {
    code: '16',
    nameRu: 'Республика Татарстан',
    nameEn: 'Tatarstan',
    pattern: `татарстан${L}|tatarstan|казан[ьиюе]|казанью|kazan`,
  },
  {
    code: '23',
    nameRu: 'Краснодарский край',
    nameEn: 'Krasnodar Krai',
    pattern: `краснодар${L}|кубан${L}|krasnodar|kuban|сочи|sochi`,
  },
  {
    code: '25',
    nameRu: 'Приморский край',
    nameEn: 'Primorsky Krai',
    pattern: `приморск${L}\\s+кра${L}|приморь${L}|primorsk${L}|primorye|владивосток${L}|vladivostok`,
  },
  {
    code: '41',
    nameRu: 'Камчатский край',
    nameEn: 'Kamchatka Krai',
    pattern: `камчат${L}|kamchat${L}`,
  },
  {
    code: '65',
    nameRu: 'Сахалинская область',
    nameEn: 'Sakhalin Oblast',
    pattern: `сахалин${L}|южно-сахалинск${L}|sakhalin`,
  },
  {
    code: '51',
    nameRu: 'Мурманская область',
    nameEn: 'Murmansk Oblast',
    pattern: `мурманск${L}|murmansk`,
  },
  {
    code: '39',
    nameRu: 'Калининградская область',
    nameEn: 'Kaliningrad Oblast',
    pattern: `калининград${L}|kaliningrad`,
  },
  {
    code: '54',
    nameRu: 'Новосибирская область',
    nameEn: 'Novosibirsk Oblast',
    pattern: `новосибирск${L}|novosibirsk`,
  },
  {
    code: '66',
    nameRu: 'Свердловская область',
    nameEn: 'Sverdlovsk Oblast',
    pattern: `свердловск${L}|екатеринбург${L}|sverdlovsk|[ye]katerinburg`,
  },
  {
    code: '52',
    nameRu: 'Нижегородская область',
    nameEn: 'Nizhny Novgorod Oblast',
    pattern: `нижегородск${L}|нижн${L}\\s+новгород${L}|nizhny\\s+novgorod|nizhegorod${L}`,
  },
  {
    code: '61',
    nameRu: 'Ростовская область',
    nameEn: 'Rostov Oblast',
    pattern: `ростовск${L}\\s+област${L}|ростов${L}-на-дону|rostov`,
  },
  {
    code: '02',
    nameRu: 'Республика Башкортостан',
    nameEn: 'Bashkortostan',
    pattern: `башкортостан${L}|башкири${L}|bashkortostan|bashkiria|уф(?:а|ы|е|у|ой)|ufa`,
  },
  {
    code: '24',
    nameRu: 'Красноярский край',
    nameEn: 'Krasnoyarsk Krai',
    pattern: `красноярск${L}|krasnoyarsk`,
  },
]

const BOUNDED = REGIONS.map((region) => ({
  region,
  re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${region.pattern})(?![\\p{L}\\p{N}])`, 'gu'),
}))

function fold(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е')
}

/**
 * The region a name or code stands for: a two-digit code (`77`, `2` → `02`), or a name in English or
 * Russian in any case form, including the regional capital (`Москве`, `Moscow`, `Республика
 * Татарстан`, `Kazan`, `Krasnodar Krai`). Undefined when nothing matches.
 *
 * @example
 * resolveRegion('в Москве')?.code // '77'
 * resolveRegion('Moscow Oblast')?.code // '50'
 */
export function resolveRegion(value: string): Region | undefined {
  const text = fold(value.trim())
  if (/^\d{1,2}$/.test(text)) return REGIONS.find((r) => r.code === text.padStart(2, '0'))
  for (const { region, re } of BOUNDED) {
    re.lastIndex = 0
    if (re.test(text)) return region
  }
  return undefined
}

/** A region mentioned in free text, with where it was mentioned. */
export interface RegionMention {
  region: Region
  span: [number, number]
}

/**
 * Every region (or regional capital) mentioned in `text`, in order of appearance, overlapping
 * mentions removed (the earlier table entry wins).
 *
 * @example
 * findRegionMentions('тендеры в Татарстане и Казани').map((m) => m.region.code) // ['16', '16']
 */
export function findRegionMentions(text: string): RegionMention[] {
  const folded = fold(text)
  const found: RegionMention[] = []
  for (const { region, re } of BOUNDED) {
    re.lastIndex = 0
    for (const m of folded.matchAll(re)) {
      const span: [number, number] = [m.index, m.index + m[0].length]
      if (!found.some((f) => f.span[0] < span[1] && span[0] < f.span[1]))
        found.push({ region, span })
    }
  }
  return found.sort((a, b) => a.span[0] - b.span[0])
}
