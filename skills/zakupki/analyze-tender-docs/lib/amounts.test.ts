import { describe, expect, it } from 'vitest'
import { findDates, findDurations, findMoney, findPercents, percentOf } from './amounts.js'

describe('findMoney', () => {
  it.each([
    ['НМЦК: 2 845 600,00 руб.', [284_560_000]],
    ['4 215 000 (четыре миллиона двести пятнадцать тысяч) рублей 00 копеек', [421_500_000]],
    ['что составляет 28 456,00 руб.', [2_845_600]],
    ['4,5 млн руб.', [450_000_000]],
    ['120 тыс. рублей', [12_000_000]],
    ['12 345 678,9 ₽', [1_234_567_890]],
    ['НДС 10 %, 3 шт.', []],
  ])('%s', (text, expected) => {
    expect(findMoney(text).map((m) => m.minor)).toEqual(expected)
  })
})

describe('findPercents', () => {
  it.each([
    ['1 % начальной цены', [1]],
    ['0,5 процента и 30 %', [0.5, 30]],
    ['в размере 10 процентов', [10]],
    ['1/300 ключевой ставки', []],
  ])('%s', (text, expected) => {
    expect(findPercents(text)).toEqual(expected)
  })
})

describe('findDurations', () => {
  it.each([
    ['в течение 2 (двух) календарных дней', { amount: 2, unit: 'day', dayType: 'calendar' }],
    ['не позднее 5 рабочих дней', { amount: 5, unit: 'day', dayType: 'working' }],
    ['в течение 24 часов', { amount: 24, unit: 'hour' }],
    ['за последние 3 года', { amount: 3, unit: 'year' }],
    ['10 дней', { amount: 10, unit: 'day', dayType: 'calendar' }],
  ])('%s', (text, expected) => {
    expect(findDurations(text)[0]).toMatchObject(expected)
  })
})

describe('findDates', () => {
  it('reads dates with an optional time and skips impossible ones', () => {
    expect(findDates('до 20.11.2026 09:00 (МСК), итоги 24.11.2026 г., не 31.02.2026')).toEqual([
      { date: '2026-11-20', time: '09:00', text: '20.11.2026 09:00' },
      { date: '2026-11-24', text: '24.11.2026' },
    ])
  })
})

describe('percentOf', () => {
  it.each([
    [284_560_000, 1, 2_845_600],
    [421_500_000, 3, 12_645_000],
    [333, 0.5, 2],
    [100_000_000_000_001, 30, 30_000_000_000_000],
  ])('%i × %d %%', (minor, percent, expected) => {
    expect(percentOf(minor, percent)).toBe(expected)
  })
})
