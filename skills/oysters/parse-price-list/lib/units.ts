import { foldText } from './text-fold.js'

/** How a price is quoted. */
export const PRICE_UNITS = ['piece', 'dozen', 'kg', 'box'] as const
export type PriceUnit = (typeof PRICE_UNITS)[number]

const UNIT_WORDS: Record<PriceUnit, string> = {
  piece:
    'pcs?|pces?|pieces?|pièces?|unites?|units?|each|ea|шт\\.?|штук\\p{L}*|штуку|штука|ед\\.?|huitres?|oysters?',
  dozen: 'douz\\p{L}*\\.?|dz\\.?|doz\\p{L}*\\.?|дюж\\p{L}*\\.?',
  kg: 'kgs?|kilos?|kilogram\\p{L}*|кг\\.?|килограмм\\p{L}*|кило',
  box: 'box(?:es)?|cases?|cartons?|colis|bourriches?|caisses?|crates?|коробк\\p{L}*|коробок|ящик\\p{L}*|упак\\p{L}*\\.?|уп\\.',
}
const UNIT_ORDER: PriceUnit[] = ['dozen', 'kg', 'box', 'piece']
const END = '(?![\\p{L}])'
// A currency sign or word between the amount and the unit: "540 ₽/шт", "310 руб./шт".
const CURRENCY_AFTER = '€|₽|\\$|eur|rub|usd|руб\\p{L}*\\.?|р\\.'

/** The unit a word names (`pcs` → piece, `douzaine` → dozen, `коробка` → box). */
export function unitOfWord(word: string): PriceUnit | undefined {
  const folded = foldText(word.trim())
  return UNIT_ORDER.find((u) => new RegExp(`^(?:${UNIT_WORDS[u]})$`, 'u').test(folded))
}

/**
 * The unit a price is quoted per, read right after the price (`520 ₽/шт`, `3,20 € la pièce`,
 * `24 € / dz`, `1 900 руб за дюжину`, `€45 per box`).
 *
 * @example
 * ```ts
 * unitAfterPrice(' / douz.') // 'dozen'
 * ```
 */
export function unitAfterPrice(textAfter: string): PriceUnit | undefined {
  const folded = foldText(textAfter)
  for (const unit of UNIT_ORDER) {
    const re = new RegExp(
      `^\\s*(?:${CURRENCY_AFTER})?\\s*(?:/|за|per|par|pour|le|la|les|l'|a|à|an?)?\\s*(?:1\\s*)?(?:${UNIT_WORDS[unit]})${END}`,
      'u',
    )
    if (re.test(folded)) return unit
  }
  return undefined
}

/**
 * The unit named anywhere in `text` with a "per" marker (`цена за кг`, `Prix €/pièce`, `price per
 * dozen`) — for column headers and for a unit written before the price.
 */
export function unitPerMarker(text: string): PriceUnit | undefined {
  const folded = foldText(text)
  for (const unit of UNIT_ORDER) {
    const re = new RegExp(
      `(?:/|за|per|par|pour|le|la|a|à)\\s*(?:1\\s*)?(?:${UNIT_WORDS[unit]})${END}`,
      'u',
    )
    if (re.test(folded)) return unit
  }
  return undefined
}

/** Pack contents written in a product text or a pack column. */
export interface PackMatch {
  /** Pieces per pack. */
  packSize?: number
  /** Kilograms per pack, for packs sold by weight. */
  packWeightKg?: number
  span: [number, number]
}

const BOX = UNIT_WORDS.box
const PIECES = 'pcs?|pces?|pieces?|huitres?|oysters?|шт\\.?|штук\\p{L}*|устриц\\p{L}*'
const PACK_PATTERNS: { re: RegExp; kind: 'pieces' | 'kg' }[] = [
  // "коробка 50 шт", "bourriche de 48", "box of 100 pcs", "colis x 96"
  {
    re: new RegExp(
      `(?<![\\p{L}])(?:${BOX})\\s*(?:de|of|по|x|×|:)?\\s*(\\d{1,4})\\s*(?:${PIECES})?${END}(?!\\s*(?:kg|кг))`,
      'u',
    ),
    kind: 'pieces',
  },
  // "50 шт в коробке", "48 pcs/box", "96 pièces par colis", "(24 шт/уп)"
  {
    re: new RegExp(
      `(?<![\\p{L}\\d.,])(\\d{1,4})\\s*(?:${PIECES})\\s*(?:/|в|per|par|in|a|à)\\s*(?:${BOX})`,
      'u',
    ),
    kind: 'pieces',
  },
  // "x48", "×24", "(48 шт)"
  {
    re: new RegExp(
      `(?:(?<![\\p{L}\\d])[x×]\\s*(\\d{1,4})(?![\\d.,]))|\\(\\s*(\\d{1,4})\\s*(?:${PIECES})\\s*\\)`,
      'u',
    ),
    kind: 'pieces',
  },
  // "коробка 5 кг", "colis de 3 kg", "box 2.5 kg"
  {
    re: new RegExp(
      `(?<![\\p{L}])(?:${BOX})\\s*(?:de|of|по|x|×|:)?\\s*(\\d{1,3}(?:[.,]\\d+)?)\\s*(?:kg|кг)${END}`,
      'u',
    ),
    kind: 'kg',
  },
]

/**
 * Pack contents in a text: pieces per box (`коробка 50 шт`, `bourriche de 48`, `48 pcs/box`,
 * `x96`) or kilograms per box (`colis de 3 kg`).
 *
 * @example
 * ```ts
 * findPack('Gillardeau N°2, bourriche de 48')?.packSize // 48
 * ```
 */
export function findPack(text: string): PackMatch | undefined {
  const folded = foldText(text)
  const kg = PACK_PATTERNS[3]
  const kgMatch = kg ? kg.re.exec(folded) : null
  if (kgMatch?.[1]) {
    return {
      packWeightKg: Number(kgMatch[1].replace(',', '.')),
      span: [kgMatch.index, kgMatch.index + kgMatch[0].length],
    }
  }
  for (const { re, kind } of PACK_PATTERNS) {
    if (kind !== 'pieces') continue
    const m = re.exec(folded)
    const digits = m?.[1] ?? m?.[2]
    if (m && digits && Number(digits) > 0)
      return { packSize: Number(digits), span: [m.index, m.index + m[0].length] }
  }
  return undefined
}

/** True when a box (bourriche, colis, коробка…) is named in `text`. */
export function mentionsBox(text: string): boolean {
  return new RegExp(`(?<![\\p{L}])(?:${BOX})${END}`, 'u').test(foldText(text))
}
