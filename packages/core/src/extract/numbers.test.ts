import { describe, expect, it } from 'vitest'
import { findNumbers, parseDigits } from './numbers.js'

describe('findNumbers', () => {
  it.each([
    ['250', [250]],
    ['1,234.56', [1234.56]],
    ['1 234,56', [1234.56]],
    ['12 500 000,00 ₽', [12_500_000]],
    ['1.234,56', [1234.56]],
    ['1,5 кг', [1.5]],
    ['2.5k', [2500]],
    ['1,5 млн руб', [1_500_000]],
    ['3 тыс. шт', [3000]],
    ['2 billion', [2_000_000_000]],
    ['от 1 до 5 млн', [1_000_000, 5_000_000]],
    ['two', [2]],
    ['twenty-five', [25]],
    ['two hundred and fifty', [250]],
    ['nineteen', [19]],
    ['два', [2]],
    ['двадцать пять', [25]],
    ['триста сорок два', [342]],
    ['три тысячи двести', [3200]],
    ['пяти', [5]],
    ['на двоих', [2]],
    ['полтора', [1.5]],
    ['No.2 and №3', [2, 3]],
    ['A320 at 10:30', []],
  ])('reads %s', (text, expected) => {
    expect(findNumbers(text).map((m) => m.value)).toEqual(expected)
  })

  it('gives the span of each number, scale word included', () => {
    expect(findNumbers('НМЦК 1,5 млн руб')).toEqual([
      { value: 1_500_000, text: '1,5 млн', span: [5, 12], form: 'digits', scale: 1_000_000 },
    ])
  })

  it('tells a Russian decimal comma from an English thousands comma', () => {
    expect([parseDigits('1,5'), parseDigits('1,234'), parseDigits('12,50')]).toEqual([
      1.5, 1234, 12.5,
    ])
  })
})
