import { describe, expect, it } from 'vitest'
import { extractRatesRequest, findSourceMention, type CurrencyMention } from './request-text.js'

describe('findSourceMention', () => {
  it.each([
    ['ECB reference rates for yesterday', 'ecb'],
    ['курсы ЕЦБ на вчера', 'ecb'],
    ['rates of the European Central Bank', 'ecb'],
    ['курс Европейского центрального банка', 'ecb'],
    ['официальный курс евро ЦБ РФ', 'cbr'],
    ['курс юаня по ЦБ', 'cbr'],
    ['курсы валют центробанка на завтра', 'cbr'],
    ['курс Банка России', 'cbr'],
    ['Bank of Russia rates', 'cbr'],
    ['CBR dollar rate', 'cbr'],
    ['what is the euro exchange rate today', undefined],
    ['цбр', 'cbr'],
    ['ЦБШ', undefined],
  ])('%s → %s', (text, source) => {
    expect(findSourceMention(text)).toBe(source)
  })
})

/** Currency mentions as the orchestrator finds them: every `code`/`word` pair, in order. */
function mentions(text: string, found: [string, string][]): CurrencyMention[] {
  let from = 0
  return found.map(([word, value]) => {
    const start = text.indexOf(word, from)
    from = start + word.length
    return { value, text: word, span: [start, start + word.length] }
  })
}

describe('extractRatesRequest', () => {
  it.each([
    [
      'курс юаня к доллару по ЦБ',
      [
        ['юаня', 'CNY'],
        ['доллару', 'USD'],
      ],
      { source: 'cbr', base: 'USD', currencies: ['CNY'] },
    ],
    [
      'what is the yuan exchange rate against the dollar',
      [
        ['yuan', 'CNY'],
        ['dollar', 'USD'],
      ],
      { base: 'USD', currencies: ['CNY'] },
    ],
    [
      'euro rate in dollars',
      [
        ['euro', 'EUR'],
        ['dollars', 'USD'],
      ],
      { base: 'USD', currencies: ['EUR'] },
    ],
    ['курсы в долларах', [['долларах', 'USD']], { base: 'USD' }],
    ['what is the euro exchange rate today', [['euro', 'EUR']], {}],
    [
      'dollar, euro and yuan rates today',
      [
        ['dollar', 'USD'],
        ['euro', 'EUR'],
        ['yuan', 'CNY'],
      ],
      {},
    ],
    ['курсы ЕЦБ на вчера', [], { source: 'ecb' }],
  ] as const)('%s', (text, found, expected) => {
    const blocks = {
      currencies: mentions(
        text,
        found.map(([w, v]) => [w, v]),
      ),
    }
    expect(extractRatesRequest(text, blocks)).toEqual(expected)
  })
})
