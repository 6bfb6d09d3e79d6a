import { describe, expect, it } from 'vitest'
import { findCurrencies, findMoney } from './money.js'

describe('findCurrencies', () => {
  it.each([
    ['convert 250 EUR to RUB', ['EUR', 'RUB']],
    ['переведи 250 евро в рубли', ['EUR', 'RUB']],
    ['100 долларов в юанях', ['USD', 'CNY']],
    ['сколько стоит доллар', ['USD']],
    ['курс доллара', ['USD']],
    ['5 рублей', ['RUB']],
    ['300 руб.', ['RUB']],
    ['1000 юаней', ['CNY']],
    ['фунт стерлингов', ['GBP']],
    ['швейцарских франков', ['CHF']],
    ['йены и иены', ['JPY', 'JPY']],
    ['$ € ₽ £', ['USD', 'EUR', 'RUB', 'GBP']],
    ['US$ 40 and 30 канадских долларов', ['USD', 'CAD']],
    ['usd to rub', ['USD', 'RUB']],
    ['I try to pay', []],
    ['рейс во Франкфурт', []],
  ])('finds %s', (text, expected) => {
    expect(findCurrencies(text).map((m) => m.value)).toEqual(expected)
  })
})

describe('findMoney', () => {
  it.each([
    ['convert 250 EUR to RUB', [{ amount: 250, currency: 'EUR' }]],
    ['$100', [{ amount: 100, currency: 'USD' }]],
    ['НМЦК 12 500 000,00 ₽', [{ amount: 12_500_000, currency: 'RUB' }]],
    ['1,5 млн руб', [{ amount: 1_500_000, currency: 'RUB' }]],
    [
      'от 1 до 5 млн руб.',
      [
        { amount: 1_000_000, currency: 'RUB' },
        { amount: 5_000_000, currency: 'RUB' },
      ],
    ],
    [
      '$100-200',
      [
        { amount: 100, currency: 'USD' },
        { amount: 200, currency: 'USD' },
      ],
    ],
    ['250 долларов', [{ amount: 250, currency: 'USD' }]],
    ['100 oysters', []],
  ])('reads %s', (text, expected) => {
    expect(findMoney(text).map((m) => m.value)).toEqual(expected)
  })

  it('keeps the number and the currency spans apart', () => {
    const [money] = findMoney('pay 250 EUR')
    expect([money?.span, money?.number.span, money?.currencyMatch.span]).toEqual([
      [4, 11],
      [4, 7],
      [8, 11],
    ])
  })
})
