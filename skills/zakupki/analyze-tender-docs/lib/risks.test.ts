import { describe, expect, it } from 'vitest'
import { analyzeTenderDocument } from './analyze.js'
import { fineNorm44 } from './risks.js'

describe('fineNorm44', () => {
  it.each([
    [2_845_600, 10],
    [3_000_000, 10],
    [3_000_000.01, 5],
    [50_000_000, 5],
    [75_000_000, 1],
    [212_000_000, 0.5],
    [20_000_000_000, 0.1],
  ])('%d roubles → %d %%', (price, percent) => {
    expect(fineNorm44(price)).toBe(percent)
  })
})

function codes(document: string): string[] {
  return analyzeTenderDocument(document).risks.map((r) => `${r.code}:${r.severity}`)
}

describe('risk flags', () => {
  const head = 'Контракт по 44-ФЗ. Начальная (максимальная) цена контракта: 1 000 000,00 руб.\n'

  it('accepts a 44-FZ brand with "или эквивалент"', () => {
    expect(codes(`${head}Принтер HP LaserJet M404dn или эквивалент.\nАванс 30 %.`)).toEqual([])
  })

  it('flags a brand model without an equivalent, with the sentence', () => {
    const risk = analyzeTenderDocument(`${head}Принтер HP LaserJet M404dn.\nАванс 30 %.`).risks[0]
    expect(risk).toMatchObject({
      code: 'BRAND_WITHOUT_EQUIVALENT',
      severity: 'high',
      sentence: 'Принтер HP LaserJet M404dn.',
    })
  })

  it('does not take a Latin species name in parentheses for a brand', () => {
    expect(codes(`${head}Устрицы (Crassostrea gigas) живые.\nАванс 30 %.`)).toEqual([])
  })

  it.each([
    ['Срок поставки: в течение 3 дней с даты заявки.', 'SHORT_DELIVERY:high'],
    ['Срок поставки: в течение 5 рабочих дней.', 'SHORT_DELIVERY:medium'],
    ['Обеспечение заявки 2 % НМЦК.', 'BID_SECURITY_HIGH:high'],
    ['Обеспечение исполнения контракта 35 % цены контракта.', 'CONTRACT_SECURITY_HIGH:high'],
    ['Обеспечение исполнения контракта 20 % цены контракта.', 'CONTRACT_SECURITY_HIGH:medium'],
    ['Пени за каждый день просрочки 0,05 % цены контракта.', 'PENALTY_ABOVE_NORM:high'],
    ['Пени за каждый день просрочки в размере 1/150 ключевой ставки.', 'PENALTY_ABOVE_NORM:high'],
    ['Штраф в размере 15 % цены контракта.', 'FINE_ABOVE_NORM:high'],
    ['Оплата в течение 10 рабочих дней.', 'LONG_PAYMENT_TERM:high'],
    ['Цвет по согласованию с заказчиком.', 'VAGUE_SPECIFICATION:medium'],
  ])('%s → %s', (sentence, code) => {
    expect(codes(`${head}${sentence}\nАванс 30 %.`)).toEqual([code])
  })

  it('keeps 44-FZ norms quiet: 1/300 of the key rate, the 10 % fine, 7 working days', () => {
    const text = `${head}Пеня за каждый день просрочки в размере одной трехсотой ключевой ставки.\nШтраф 10 % цены контракта.\nОплата в течение 7 рабочих дней.\nАванс 30 %.`
    expect(codes(text)).toEqual([])
  })

  it('flags a missing advance even when no sentence mentions it', () => {
    const risk = analyzeTenderDocument(`${head}Оплата в течение 7 рабочих дней.`).risks
    expect(risk).toEqual([
      expect.objectContaining({
        code: 'NO_ADVANCE',
        severity: 'low',
        sentence: 'Оплата в течение 7 рабочих дней.',
      }),
    ])
  })
})
