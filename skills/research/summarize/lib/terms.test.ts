import { describe, expect, it } from 'vitest'
import { contentTerms } from './terms.js'

describe('contentTerms', () => {
  it.each([
    ['The oysters were graded by weight', ['oyster', 'grade', 'weight']],
    ["The grower's oysters", ['grower', 'oyster']],
    ['Устрицы сортируют по калибру', ['устриц', 'сортир', 'калибр']],
    ['Ёмкость и емкость', ['емкост', 'емкост']],
    ['Price 450 in 2025, a b c', ['price', '450', '2025']],
    ['Oysters и устрицы', ['oyster', 'устриц']],
    ['the and of и в на', []],
  ])('%j → %j', (sentence, expected) => {
    expect(contentTerms(sentence)).toEqual(expected)
  })
})
