/** `ru` when most letters of `text` are Cyrillic, otherwise `en`. */
export function detectLanguage(text: string): 'en' | 'ru' {
  const cyrillic = text.match(/[\u0400-\u04ff]/g)?.length ?? 0
  const latin = text.match(/[a-z]/gi)?.length ?? 0
  return cyrillic > latin ? 'ru' : 'en'
}
