import { describe, expect, it } from 'vitest'
import { extractSearchFields } from './request-text.js'

describe('extractSearchFields', () => {
  it.each([
    ['find tenders for seafood supply in Moscow', { query: 'seafood', region: 'Москва' }],
    ['найди тендеры на поставку рыбы в Москве по 44-ФЗ', { query: 'рыбы', region: 'Москва' }],
    [
      'какие госзакупки на канцелярию открыты в Татарстане',
      { query: 'канцелярию', region: 'Республика Татарстан' },
    ],
    ['поиск закупок по 223-ФЗ на ремонт дорог', { query: 'ремонт дорог' }],
    ['search 44-FZ procurements for office furniture', { query: 'office furniture' }],
    ['find tenders', {}],
  ])('%s', (text, expected) => {
    expect(extractSearchFields(text)).toEqual(expected)
  })

  it('leaves out what the generic extractors found (money, dates, quoted names)', () => {
    const text = 'рыба до 5 млн у заказчика "Школа № 1298"'
    const money: [number, number] = [text.indexOf('5 млн'), text.indexOf('5 млн') + 5]
    const quoted: [number, number] = [text.indexOf('"'), text.length]
    expect(
      extractSearchFields(text, { money: [{ span: money }], quoted: [{ span: quoted }] }),
    ).toEqual({
      query: 'рыба',
    })
  })
})
