/** The languages the summarizer stems and filters stop words for. */
export type Language = 'en' | 'ru'

/** `ru` when the text has more Cyrillic than Latin letters, otherwise `en`. */
export function detectLanguage(text: string): Language {
  const cyrillic = text.match(/[\u0400-\u04ff]/g)?.length ?? 0
  const latin = text.match(/[a-z]/gi)?.length ?? 0
  return cyrillic > latin ? 'ru' : 'en'
}
