/**
 * Lower-cases and strips diacritics character by character, so offsets in the folded text are the
 * offsets in the original (`Spéciale` → `speciale`, `Ё` → `е`).
 *
 * @example
 * ```ts
 * foldText('Spéciale N°2') // 'speciale n°2'
 * ```
 */
export function foldText(text: string): string {
  let out = ''
  for (const char of text.normalize('NFC')) {
    const folded = char.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    // Keep one UTF-16 unit per input unit so spans line up with the original text.
    out += folded.length === char.length ? folded : char.toLowerCase().padEnd(char.length, ' ')
  }
  return out
}

/** Collapses runs of white space (tabs, no-break spaces) into single spaces and trims. */
export function squeezeSpaces(text: string): string {
  return text.replace(/[\s\u00a0\u202f]+/g, ' ').trim()
}
