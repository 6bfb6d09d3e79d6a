import { foldText } from '@skillos-skills/oysters-parse-price-list/text-fold'
import { findVariety } from '@skillos-skills/oysters-parse-price-list/varieties'
import { findGradeInText } from './grades.js'

const WITHOUT_DELIVERY =
  /(?:without|excluding|excl\.?|no|ex)\s+(?:the\s+)?delivery|без\s+(?:учета\s+|учёта\s+)?доставк|не\s+считая\s+доставк|доставк\p{L}*\s+не\s+(?:учитыва|считa|счита)/u

/**
 * What the generic extractors cannot find in a request: the variety (trade names in EN/FR/RU, any
 * inflection), the grade (`No.2`, `№3`, `номер 3`, `калибр 2`), and whether delivery counts
 * ("without delivery" / "без доставки"; counted otherwise — decided here so that the "No" of
 * "No.2" is never read as a no).
 *
 * @example
 * ```ts
 * extractOrder('which supplier is cheapest for 300 Gillardeau No.2')
 * // { variety: 'gillardeau', grade: 2, includeDelivery: true }
 * ```
 */
export function extractOrder(text: string): Record<string, unknown> {
  const variety = findVariety(text)?.variety.id
  const grade = findGradeInText(text)
  return {
    ...(variety ? { variety } : {}),
    ...(grade !== undefined ? { grade } : {}),
    includeDelivery: !WITHOUT_DELIVERY.test(foldText(text)),
  }
}
