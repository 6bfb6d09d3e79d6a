import { describe, expect, it } from 'vitest'
import { analyzeRequest, riskLevelOf, splitIntents } from './analyze.js'

describe('splitIntents', () => {
  it.each([
    ['rate of USD and convert 100 EUR', 'independent', ['rate of USD', 'convert 100 EUR']],
    [
      'курс доллара и переведи 100 евро в рубли',
      'independent',
      ['курс доллара', 'переведи 100 евро в рубли'],
    ],
    [
      'find tenders for oysters, then estimate the bid',
      'sequence',
      ['find tenders for oysters', 'estimate the bid'],
    ],
    [
      'найди тендеры на устрицы, затем оцени заявку',
      'sequence',
      ['найди тендеры на устрицы', 'оцени заявку'],
    ],
    ['convert 250 EUR to RUB', 'single', ['convert 250 EUR to RUB']],
    [
      'plan a trip through Kazan, Sochi and St Petersburg',
      'single',
      ['plan a trip through Kazan, Sochi and St Petersburg'],
    ],
    [
      'маршрут через Казань и Нижний Новгород',
      'single',
      ['маршрут через Казань и Нижний Новгород'],
    ],
  ])('%s → %s', (text, relation, parts) => {
    expect(splitIntents(text)).toEqual({ relation, parts })
  })
})

describe('analyzeRequest', () => {
  it('scores risk from the candidates, money and outward actions, with the reasons', () => {
    const analysis = analyzeRequest('pay invoice 42 for 12 000 EUR', [
      { id: 'finance/pay-invoice', risk: 'high', sideEffects: 'payment', dependencies: 0 },
    ])
    expect(analysis.risk).toBe(0.8)
    expect(riskLevelOf(analysis.risk)).toBe('high')
    expect(analysis.factors).toEqual([
      'finance/pay-invoice declares risk high, side effects payment',
      'money mentioned: 12 000 EUR',
      'asks to send, pay, order or publish something',
    ])
  })

  it('scores complexity higher for several asks and dependencies', () => {
    const one = analyzeRequest('rate of USD', [
      { id: 'a/b', risk: 'low', sideEffects: 'read', dependencies: 0 },
    ])
    const two = analyzeRequest('rate of USD and convert 100 EUR', [
      { id: 'a/b', risk: 'low', sideEffects: 'read', dependencies: 2 },
    ])
    expect(two.complexity).toBeGreaterThan(one.complexity)
    expect(one.risk).toBe(0.1)
  })
})
