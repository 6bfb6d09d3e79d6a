import { describe, expect, it } from 'vitest'
import { findPercentages, findQuantities, unitOf } from './quantities.js'

describe('findQuantities', () => {
  it.each([
    ['100 шт', { amount: 100, unit: 'pcs' }],
    ['200 pieces', { amount: 200, unit: 'pcs' }],
    ['5 дюжин устриц', { amount: 5, unit: 'dozen' }],
    ['две дюжины', { amount: 2, unit: 'dozen' }],
    ['two dozen oysters', { amount: 2, unit: 'dozen' }],
    ['a dozen', { amount: 1, unit: 'dozen' }],
    ['дюжину устриц', { amount: 1, unit: 'dozen' }],
    ['полдюжины', { amount: 0.5, unit: 'dozen' }],
    ['12 kg', { amount: 12, unit: 'kg' }],
    ['5kg', { amount: 5, unit: 'kg' }],
    ['10 килограммов', { amount: 10, unit: 'kg' }],
    ['500 г', { amount: 500, unit: 'g' }],
    ['1,5 т', { amount: 1.5, unit: 't' }],
    ['3 тонны', { amount: 3, unit: 't' }],
    ['3 коробки', { amount: 3, unit: 'box' }],
    ['10 ящиков', { amount: 10, unit: 'box' }],
    ['4 boxes', { amount: 4, unit: 'box' }],
    ['2 л', { amount: 2, unit: 'l' }],
  ])('reads %s', (text, expected) => {
    expect(findQuantities(text).map((m) => m.value)).toEqual([expected])
  })

  it('ignores numbers without a unit', () => {
    expect(findQuantities('100 oysters')).toEqual([])
  })

  it('names the unit a word or enum value stands for', () => {
    expect(['коробка', 'Dozen', 'шт', 'кг', 'oysters'].map(unitOf)).toEqual([
      'box',
      'dozen',
      'pcs',
      'kg',
      undefined,
    ])
  })
})

describe('findPercentages', () => {
  it.each([
    ['15%', 15],
    ['наценка 12,5 %', 12.5],
    ['20 percent', 20],
    ['десять процентов', 10],
  ])('reads %s', (text, expected) => {
    expect(findPercentages(text).map((m) => m.value)).toEqual([expected])
  })
})
