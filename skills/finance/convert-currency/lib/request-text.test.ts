import { describe, expect, it } from 'vitest'
import { extractConversionRequest, type CurrencyMention } from './request-text.js'

/** The generic currency mentions of `words` in `text`, as the orchestrator reports them. */
function known(text: string, words: [string, string][]): CurrencyMention[] {
  return words.map(([word, value]) => {
    const start = text.indexOf(word)
    return { value, span: [start, start + word.length] }
  })
}

describe('extractConversionRequest', () => {
  it.each([
    ['convert 100 USD to ISK', [['USD', 'USD']], { from: 'USD', to: 'ISK' }],
    ['100 MXN in euros', [['euros', 'EUR']], { from: 'MXN', to: 'EUR' }],
    ['переведи 100 ISK в рубли', [['рубли', 'RUB']], { from: 'ISK', to: 'RUB' }],
    ['convert 100 USD to XYZ', [['USD', 'USD']], { from: 'USD', to: 'XYZ' }],
    [
      'переведи 300 фунтов в евро по курсу ЕЦБ',
      [
        ['фунтов', 'GBP'],
        ['евро', 'EUR'],
      ],
      { source: 'ecb' },
    ],
    [
      'convert 250 EUR to RUB at the CBR rate',
      [
        ['EUR', 'EUR'],
        ['RUB', 'RUB'],
      ],
      { source: 'cbr' },
    ],
    [
      'convert 250 EUR to RUB',
      [
        ['EUR', 'EUR'],
        ['RUB', 'RUB'],
      ],
      {},
    ],
    ['ISK MXN PHP', [], {}],
  ] as const)('%s', (text, words, expected) => {
    const blocks = {
      currencies: known(
        text,
        words.map(([w, v]) => [w, v]),
      ),
    }
    expect(extractConversionRequest(text, blocks)).toEqual(expected)
  })
})
