import { describe, expect, it } from 'vitest'
import { actionOf, categoryOfText, extractBudgetRequest, periodOfText } from './request-text.js'

describe('actionOf', () => {
  it.each([
    ['I spent 1200 rubles on taxi', true, 'add-expense'],
    ['потратил 1200 рублей на такси', true, 'add-expense'],
    ['add an expense of 1200 rubles for taxi', true, 'add-expense'],
    ['запиши расход 3000 рублей на продукты', true, 'add-expense'],
    ['taxi 1200', true, 'add-expense'],
    ['paid 500 for lunch from the food budget', true, 'add-expense'],
    ['set a budget of 50000 for travel this month', true, 'set-budget'],
    ['установи бюджет 30000 рублей на продукты на месяц', true, 'set-budget'],
    ['лимит 5000 на такси в неделю', true, 'set-budget'],
    ['is 5000 left in the taxi budget', true, 'add-expense'],
    ['how much budget is left this month', false, 'report'],
    ['сколько осталось от бюджета на месяц', false, 'report'],
    ['я превышаю бюджет на развлечения', false, 'report'],
    ['set a budget for travel', false, 'set-budget'],
    ['сколько я потратил на такси', false, 'report'],
  ])('%s (amount: %s) → %s', (text, hasAmount, action) => {
    expect(actionOf(text, hasAmount)).toBe(action)
  })
})

describe('periodOfText', () => {
  it.each([
    ['how much budget is left this month', 'month'],
    ['monthly food budget', 'month'],
    ['отчёт по расходам за неделю', 'week'],
    ['am I over budget this week', 'week'],
    ['еженедельный лимит', 'week'],
    ['I spent 1200 rubles on taxi', undefined],
  ])('%s → %s', (text, period) => {
    expect(periodOfText(text)).toBe(period)
  })
})

describe('categoryOfText', () => {
  it.each([
    ['I spent 1200 rubles on taxi', 'taxi'],
    ['потратил 1200 рублей на такси', 'taxi'],
    ['add an expense of 1200 rubles for taxi', 'taxi'],
    ['set a budget of 50000 for travel this month', 'travel'],
    ['установи бюджет 30000 рублей на продукты на месяц', 'groceries'],
    ['вчера потратил 500 рублей на кофе', 'restaurants'],
    ['spent 300 on dog food yesterday', 'groceries'],
    ['потратил 2500 на ремонт лодки', 'ремонт лодки'],
    ['how much of my monthly food budget is left', 'groceries'],
    ['сколько осталось от бюджета на месяц', undefined],
    ['how much budget is left this month', undefined],
    ['spent 100 on EUR', undefined],
  ])('%s → %s', (text, category) => {
    expect(categoryOfText(text)).toBe(category)
  })
})

describe('extractBudgetRequest', () => {
  it('counts money and bare numbers as an amount, but not the numbers of a date', () => {
    const text = 'report for 21 November'
    const dates = [{ span: [11, 22] as const }]
    expect(extractBudgetRequest(text, { numbers: [{ span: [11, 13] }], dates })).toEqual({
      action: 'report',
    })
    expect(extractBudgetRequest('taxi 1200', { numbers: [{ span: [5, 9] }] })).toEqual({
      action: 'add-expense',
      category: 'taxi',
    })
    expect(
      extractBudgetRequest('потратил 1200 ₽ на такси за неделю', { money: [{ span: [9, 15] }] }),
    ).toEqual({
      action: 'add-expense',
      category: 'taxi',
      period: 'week',
    })
  })
})
