import { foldText } from './text-fold.js'

/** The French size grades (calibres) of cupped oysters: N°0 (largest) to N°5 (smallest). */
export const MIN_GRADE = 0
export const MAX_GRADE = 5

/** A grade read from text, or why the grade written cannot be used. */
export type GradeMatch =
  { grade: number; span: [number, number] } | { error: string; span: [number, number] }

// "N°2", "No.2", "no 2", "№2", "#2", "N2", "калибр 2", "номер 3", "size 2", "taille 3", "cal. 4".
const LABELLED =
  /(?<![\p{L}])(?:n\s?[°º]|nr?\.?|no\.?|№|#|numero|num\.?|номер\p{L}*|калибр\p{L}*|кал\.|cal\.?|calibre|taille|size|grade|размер\p{L}*)\s*(\d{1,3})(?!\d|[.,]\d)/u

/**
 * The size grade written in a product text (`Gillardeau N°2`, `Фин де Клер №3`, `калибр 2`).
 * A grade outside N°0–5 comes back as an error naming it.
 *
 * @example
 * ```ts
 * findGrade('Fine de Claire N°3') // { grade: 3, span: [15, 18] }
 * findGrade('Gillardeau N°7') // { error: 'grade N°7 is outside N°0–5', span: [11, 14] }
 * ```
 */
export function findGrade(text: string): GradeMatch | undefined {
  const folded = foldText(text)
  const m = LABELLED.exec(folded)
  if (!m?.[1]) return undefined
  const span: [number, number] = [m.index, m.index + m[0].length]
  return gradeFromDigits(m[1], span)
}

/**
 * A grade from a cell of a grade column: `2`, `N°2`, `No.2`, `№ 2`. Empty → undefined.
 */
export function parseGradeCell(cell: string): GradeMatch | undefined {
  const trimmed = cell.trim()
  if (trimmed === '') return undefined
  if (/^\d{1,3}$/.test(trimmed)) return gradeFromDigits(trimmed, [0, trimmed.length])
  return (
    findGrade(trimmed) ?? { error: `grade "${trimmed}" is not N°0–5`, span: [0, trimmed.length] }
  )
}

function gradeFromDigits(digits: string, span: [number, number]): GradeMatch {
  const grade = Number(digits)
  if (digits.length > 1 && digits.startsWith('0'))
    return { error: `grade N°${digits} is not a standard grade (N°0–5)`, span }
  if (grade < MIN_GRADE || grade > MAX_GRADE)
    return { error: `grade N°${digits} is outside N°${MIN_GRADE}–${MAX_GRADE}`, span }
  return { grade, span }
}
