import { describe, expect, it } from 'vitest'
import { splitSentences } from './sentences.js'

describe('splitSentences', () => {
  it.each([
    [
      'Место поставки: г. Москва. Аванс не предусмотрен.',
      ['Место поставки: г. Москва.', 'Аванс не предусмотрен.'],
    ],
    ['1. Начальная цена: 100 руб.', ['1. Начальная цена: 100 руб.']],
    [
      'Больница им. А.С. Лукашевского. Срок поставки 2 дня.',
      ['Больница им. А.С. Лукашевского.', 'Срок поставки 2 дня.'],
    ],
    [
      'в соответствии со ст. 31 Закона.\n\nПени 0,1 %.',
      ['в соответствии со ст. 31 Закона.', 'Пени 0,1 %.'],
    ],
    ['Дата 20.11.2026 09:00. Итоги 24.11.2026.', ['Дата 20.11.2026 09:00.', 'Итоги 24.11.2026.']],
  ])('%s', (text, expected) => {
    expect(splitSentences(text).map((s) => s.text)).toEqual(expected)
  })

  it('keeps where each sentence starts', () => {
    const text = 'Первое.\r\nВторое. Третье.'
    expect(splitSentences(text).map((s) => s.start)).toEqual([0, 9, 17])
  })
})
