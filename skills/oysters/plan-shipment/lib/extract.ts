import { foldText } from '@skillos-skills/oysters-parse-price-list/text-fold'
import type { ColdChainData, Leg } from './cold-chain.js'
import { placesIn } from './routes.js'

const WORD_NUMBERS: Record<string, number> = {
  one: 1,
  a: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  один: 1,
  одни: 1,
  одного: 1,
  одну: 1,
  два: 2,
  две: 2,
  двое: 2,
  двух: 2,
  три: 3,
  трое: 3,
  трех: 3,
  четыре: 4,
  четырех: 4,
  пять: 5,
  пяти: 5,
  шесть: 6,
  шести: 6,
  семь: 7,
  семи: 7,
}
const NUMBER = `\\d+(?:[.,]\\d+)?|${Object.keys(WORD_NUMBERS).join('|')}`
const DURATION = new RegExp(
  `(?<![\\p{L}\\d])(${NUMBER})[\\s-]*(days?|дн\\p{L}*|день|суток|сутки|hours?|hrs?|h|час\\p{L}*|ч)(?![\\p{L}])`,
  'u',
)
const TEMPERATURE = /(?<![\p{L}\d])([+-−]?\d+(?:[.,]\d+)?)\s*(?:°\s*c?|℃|degrees?|градус\p{L}*)/u
const QUANTITY =
  /(?<![\p{L}\d.,])(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)\s*(oysters?|устриц\p{L}*|pieces|pcs|шт\.?|штук\p{L}*|dozens?|дюжин\p{L}*)/u
const GRADE =
  /(?<![\p{L}])(?:n\s?[°º]|no\.?|№|#|номер\p{L}*|калибр\p{L}*|grade|size|calibre|размер\p{L}*)\s*(\d)(?!\d|[.,]\d)/u
const AIR = /(?<![\p{L}])(?:air|by plane|flight|самол[её]т\p{L}*|авиа\p{L}*|рейс\p{L}*)/u

function numberOf(word: string): number {
  return WORD_NUMBERS[word] ?? Number(word.replace(',', '.'))
}

/**
 * What the generic extractors cannot find in a shipment request: the quantity of oysters (so that
 * the days and degrees are not taken for it), the grade, a route between known places ("from
 * Arcachon to Moscow", "из Франции в Москву"), and a single transit written as a duration and a
 * temperature ("a 4 day transit at 5 degrees", "три дня в пути при +5 °C").
 *
 * @example
 * ```ts
 * extractShipment('will 500 oysters survive a 4 day transit at 5 degrees', data)
 * // { quantity: 500, unit: 'piece', legs: [{ from: 'origin', to: 'destination', mode: 'truck', hours: 96, temperatureC: 5 }] }
 * ```
 */
export function extractShipment(text: string, data: ColdChainData): Record<string, unknown> {
  const folded = foldText(text)
  const out: Record<string, unknown> = {}
  const quantity = QUANTITY.exec(folded)
  if (quantity?.[1] && quantity[2]) {
    out.quantity = Number(quantity[1].replace(/\s/g, ''))
    out.unit = /^(?:dozen|дюжин)/u.test(quantity[2]) ? 'dozen' : 'piece'
  }
  const grade = GRADE.exec(folded)?.[1]
  if (grade !== undefined) out.grade = Number(grade)
  const places = placesIn(text, data)
  const [first, second] = places
  if (first && second) {
    out.origin = first.place.name
    out.destination = second.place.name
  }
  const duration = DURATION.exec(folded)
  if (duration?.[1] && duration[2] && !(first && second)) {
    const amount = numberOf(duration[1])
    const hours = /^(?:d|дн|день|сут)/u.test(duration[2]) ? amount * 24 : amount
    const temperature = TEMPERATURE.exec(folded)?.[1]
    const leg: Leg = {
      from: first?.place.name ?? 'origin',
      to: 'destination',
      mode: AIR.test(folded) ? 'air' : 'truck',
      hours,
      ...(temperature !== undefined
        ? { temperatureC: Number(temperature.replace('−', '-').replace(',', '.')) }
        : {}),
    }
    out.legs = [leg]
  }
  return out
}
