import { describe, expect, it } from 'vitest'
import { findEmails, findPhones, findUrls } from './contacts.js'
import { findBooleans, findQuoted, matchEnum } from './enums.js'

describe('matchEnum', () => {
  const laws = ['44-FZ', '223-FZ']
  it.each([
    ['закупки по 223-ФЗ', ['223-FZ']],
    ['по 44 фз', ['44-FZ']],
    ['44фз', ['44-FZ']],
    ['223-fz and 44-FZ', ['223-FZ', '44-FZ']],
    ['закон 94-ФЗ', []],
  ])('reads %s as a law', (text, expected) => {
    expect(matchEnum(text, laws).map((m) => m.value)).toEqual(expected)
  })

  it('tolerates plurals and prefers the longest value', () => {
    const varieties = ['Fines de Claire', 'Gillardeau', 'Special Gillardeau']
    expect(matchEnum('Fine de Claire', varieties).map((m) => m.value)).toEqual(['Fines de Claire'])
    expect(matchEnum('two Special Gillardeau', varieties).map((m) => m.value)).toEqual([
      'Special Gillardeau',
    ])
  })

  it('tolerates Russian case endings and uses synonyms', () => {
    expect(matchEnum('без устриц', ['устрицы', 'мидии']).map((m) => m.value)).toEqual(['устрицы'])
    expect(
      matchEnum('хочу жиллардо', ['Gillardeau'], { synonyms: { Gillardeau: ['жиллардо'] } }),
    ).toEqual([{ value: 'Gillardeau', text: 'жиллардо', span: [5, 13] }])
  })
})

describe('yes/no and quoted text', () => {
  it('reads yes and no in both languages', () => {
    expect(findBooleans('да, нет, не нужно, yes').map((m) => m.value)).toEqual([
      true,
      false,
      false,
      true,
    ])
  })

  it('reads quoted text', () => {
    expect(
      findQuoted('тендеры «медицинское оборудование» и "oysters"').map((m) => m.value),
    ).toEqual(['медицинское оборудование', 'oysters'])
  })
})

describe('contacts', () => {
  it('finds emails, links and phones', () => {
    const text =
      'пишите Ivan.Petrov@example.com, смотрите https://zakupki.gov.ru/epz?x=1 или www.example.org, звоните +7 (495) 123-45-67 или 8 916 123 45 67'
    expect(findEmails(text).map((m) => m.value)).toEqual(['ivan.petrov@example.com'])
    expect(findUrls(text).map((m) => m.value)).toEqual([
      'https://zakupki.gov.ru/epz?x=1',
      'https://www.example.org',
    ])
    expect(findPhones(text).map((m) => m.value)).toEqual(['+74951234567', '+79161234567'])
  })

  it('does not take amounts or dates for phones', () => {
    expect(findPhones('12 500 000,00 руб до 15.03.2026')).toEqual([])
  })
})
