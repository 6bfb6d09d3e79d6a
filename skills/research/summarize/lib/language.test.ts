import { describe, expect, it } from 'vitest'
import { detectLanguage } from './language.js'

describe('detectLanguage', () => {
  it.each([
    ['Oysters are graded by weight.', 'en'],
    ['Устрицы сортируют по весу.', 'ru'],
    ['Закон 44-FZ (Federal Law) регулирует госзакупки.', 'ru'],
    ['Gillardeau oysters — устрицы', 'en'],
    ['12345', 'en'],
  ])('%j is %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language)
  })
})
