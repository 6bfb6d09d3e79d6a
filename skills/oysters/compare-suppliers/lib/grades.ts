import { foldText } from '@skillos-skills/oysters-parse-price-list/text-fold'

/**
 * Average weight in grams of one cupped oyster per French calibre (norme AFNOR NF V45-056: N°0
 * over 150 g, N°1 121–150 g, N°2 86–120 g, N°3 66–85 g, N°4 46–65 g, N°5 30–45 g): the midpoint of
 * each band, 165 g assumed for N°0. Used to turn kilograms into pieces.
 */
export const GRAMS_PER_PIECE: Readonly<Record<number, number>> = {
  0: 165,
  1: 135,
  2: 103,
  3: 75,
  4: 55,
  5: 38,
}

// "No.2", "N°2", "№2", "#2", "номер 3", "калибр 2", "size 2", "grade 2", "N2".
const LABELLED =
  /(?<![\p{L}])(?:n\s?[°º]|no\.?|nr\.?|n|№|#|numero|номер\p{L}*|калибр\p{L}*|кал\.|cal\.?|calibre|taille|size|grade|размер\p{L}*)\s*(\d)(?!\d|[.,]\d)/u

/**
 * The size grade named in a request (`Gillardeau No.2`, `устрицы номер 3`, `калибр 2`), 0–9 as
 * written (the caller's schema refuses anything over 5).
 *
 * @example
 * ```ts
 * findGradeInText('300 Gillardeau No.2') // 2
 * ```
 */
export function findGradeInText(text: string): number | undefined {
  const m = LABELLED.exec(foldText(text))
  return m?.[1] === undefined ? undefined : Number(m[1])
}
