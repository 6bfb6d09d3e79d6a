import { describe, expect, it } from 'vitest'
import { divideMoney, fromMicros, toMicros } from './decimal.js'
import { findGrade, parseGradeCell } from './grades.js'
import { currencyOf, findCurrency, findMoney, parseDecimal } from './money.js'
import { findOrigin } from './origins.js'
import { foldText } from './text-fold.js'
import { findPack, unitAfterPrice, unitOfWord, unitPerMarker } from './units.js'
import { findVariety } from './varieties.js'

describe('parseDecimal', () => {
  it.each([
    ['12,50', 12.5],
    ['3.20', 3.2],
    ['1 250,00', 1250],
    ['1\u00a0250,5', 1250.5],
    ['1.250,00', 1250],
    ['1,250.75', 1250.75],
    ['1.250.000', 1250000],
    ['17 760', 17760],
    ['0', 0],
  ])('reads %s as %d', (raw, value) => {
    expect(parseDecimal(raw)).toBe(value)
  })

  it.each(['', 'sur demande', '12,5,0x', '-3', 'n/c'])('refuses %j', (raw) => {
    expect(parseDecimal(raw)).toBeUndefined()
  })
})

describe('currencies', () => {
  it.each([
    ['€', 'EUR'],
    ['eur', 'EUR'],
    ['Euro', 'EUR'],
    ['евро', 'EUR'],
    ['₽', 'RUB'],
    ['руб.', 'RUB'],
    ['рублей', 'RUB'],
    ['р.', 'RUB'],
    ['RUB', 'RUB'],
    ['$', 'USD'],
    ['AUD', 'AUD'],
    ['JPY', 'JPY'],
  ])('%s is %s', (word, code) => {
    expect(currencyOf(word)).toBe(code)
  })

  it('finds the currency of a header', () => {
    expect(findCurrency('Prix HT €')).toBe('EUR')
    expect(findCurrency('Цена, руб.')).toBe('RUB')
    expect(findCurrency('Price (USD)')).toBe('USD')
    expect(findCurrency('Prix HT')).toBeUndefined()
  })

  it('finds amounts written with their currency, before or after', () => {
    expect(findMoney('Гиллардо №2 — 540 ₽/шт')).toEqual([
      { amount: 540, currency: 'RUB', span: [14, 19] },
    ])
    expect(findMoney('Fine N°3 €3,20 la pièce').map((m) => [m.amount, m.currency])).toEqual([
      [3.2, 'EUR'],
    ])
    expect(findMoney('коробка — 17 760 руб.').map((m) => m.amount)).toEqual([17760])
    expect(findMoney('прайс на 20.11.2026')).toEqual([])
  })
})

describe('findVariety', () => {
  it.each([
    ['Gillardeau N°2', 'gillardeau'],
    ['Устрица Жиллардо №3', 'gillardeau'],
    ['Гиллардо спесьяль', 'gillardeau'],
    ['Huîtres Spéciales de Claire', 'speciale-de-claire'],
    ['Special de Claire No.2', 'speciale-de-claire'],
    ['Спесьяль де Клер', 'speciale-de-claire'],
    ['Fines de Claire Marennes', 'fine-de-claire'],
    ['Фин де Клер №3', 'fine-de-claire'],
    ['Belon 0', 'belon'],
    ['Huître plate de Bretagne', 'belon'],
    ['KUMAMOTO', 'kumamoto'],
    ['Kusshi BC', 'kusshi'],
    ['Blue Point', 'blue-point'],
    ['Sydney Rock', 'sydney-rock'],
    ['Дальневосточная устрица', 'far-eastern'],
    ['Dalnevostochnaya', 'far-eastern'],
    ['Устрица черноморская', 'black-sea'],
    ['Black Sea oyster', 'black-sea'],
    ['Crassostrea gigas', 'pacific'],
    ['Huîtres creuses de pleine mer', 'pacific'],
    ['Тихоокеанская устрица', 'pacific'],
    ['Царская', 'tsarskaya'],
  ])('%s → %s', (text, id) => {
    expect(findVariety(text)?.variety.id).toBe(id)
  })

  it('finds no variety in mussels or prose', () => {
    expect(findVariety('Moules de bouchot')).toBeUndefined()
    expect(findVariety('Доставка по Москве бесплатно')).toBeUndefined()
    // "belonging" must not read as Belon.
    expect(findVariety('belonging')).toBeUndefined()
  })
})

describe('grades', () => {
  it.each([
    ['Gillardeau N°2', 2],
    ['Gillardeau n° 0', 0],
    ['Fine de Claire No.3', 3],
    ['Fine no 4', 4],
    ['Фин де Клер №3', 3],
    ['черноморская, калибр 2', 2],
    ['номер 5', 5],
    ['Kumamoto #3', 3],
    ['Pacific N2', 2],
    ['size 1', 1],
    ['taille 3', 3],
  ])('%s is N°%d', (text, grade) => {
    expect(findGrade(text)).toMatchObject({ grade })
  })

  it('names a grade outside N°0–5', () => {
    expect(findGrade('Gillardeau N°7')).toMatchObject({ error: 'grade N°7 is outside N°0–5' })
    expect(findGrade('Fine N°00')).toMatchObject({
      error: 'grade N°00 is not a standard grade (N°0–5)',
    })
  })

  it('reads grade cells', () => {
    expect(parseGradeCell('2')).toMatchObject({ grade: 2 })
    expect(parseGradeCell('No.3')).toMatchObject({ grade: 3 })
    expect(parseGradeCell('')).toBeUndefined()
    expect(parseGradeCell('small')).toMatchObject({ error: 'grade "small" is not N°0–5' })
  })

  it('does not read a price as a grade', () => {
    expect(findGrade('Gillardeau 3,40 €')).toBeUndefined()
  })
})

describe('units and packs', () => {
  it.each([
    [' ₽/шт', 'piece'],
    [' руб за штуку', 'piece'],
    [' € la pièce', 'piece'],
    [' / douz.', 'dozen'],
    [' за дюжину', 'dozen'],
    [' per dozen', 'dozen'],
    ['/кг', 'kg'],
    [' le colis', 'box'],
    [' за коробку', 'box'],
  ])('%j is per %s', (after, unit) => {
    expect(unitAfterPrice(after)).toBe(unit)
  })

  it('reads unit words and per-markers', () => {
    expect(unitOfWord('colis')).toBe('box')
    expect(unitOfWord('douzaine')).toBe('dozen')
    expect(unitOfWord('шт.')).toBe('piece')
    expect(unitOfWord('litre')).toBeUndefined()
    expect(unitPerMarker('Prix € / douzaine')).toBe('dozen')
    expect(unitPerMarker('Цена за кг, руб.')).toBe('kg')
    expect(unitPerMarker('Prix HT €')).toBeUndefined()
  })

  it.each([
    ['Bourriche de 50', { packSize: 50 }],
    ['коробка 48 шт', { packSize: 48 }],
    ['box of 100 pcs', { packSize: 100 }],
    ['48 pcs/box', { packSize: 48 }],
    ['96 pièces par colis', { packSize: 96 }],
    ['Fine N°3 x24', { packSize: 24 }],
    ['Kumamoto (60 шт)', { packSize: 60 }],
    ['colis de 3 kg', { packWeightKg: 3 }],
    ['коробка 2,5 кг', { packWeightKg: 2.5 }],
  ])('%s holds %j', (text, pack) => {
    expect(findPack(text)).toMatchObject(pack)
  })

  it('finds no pack in a plain product', () => {
    expect(findPack('Gillardeau N°2')).toBeUndefined()
  })
})

describe('origins', () => {
  it.each([
    ['Марен-Олерон', 'Marennes-Oléron, France'],
    ['Marennes Oléron', 'Marennes-Oléron, France'],
    ['(Франция)', 'France'],
    ['Крым', 'Crimea'],
    ['Приморье', 'Primorye, Russia'],
    ['British Columbia', 'British Columbia, Canada'],
    ['Long Island, USA', 'USA'],
  ])('%s → %s', (text, origin) => {
    expect(findOrigin(text)).toBe(origin)
  })

  it('reads two-letter codes only from an origin column', () => {
    expect(findOrigin('FR', { column: true })).toBe('France')
    expect(findOrigin('huîtres au kilo')).toBeUndefined()
  })
})

describe('decimal money', () => {
  it('divides without float error', () => {
    expect(divideMoney(13.9, 12, 4)).toBe(1.1583)
    expect(divideMoney(172.5, 50, 4)).toBe(3.45)
    expect(divideMoney(0.1 + 0.2, 1, 2)).toBe(0.3)
    expect(fromMicros(toMicros(1.005), 2)).toBe(1.01)
  })

  it('keeps offsets when folding accents', () => {
    const text = 'Spéciale №2 Ёлка'
    expect(foldText(text)).toHaveLength(text.length)
    expect(foldText(text)).toBe('speciale №2 елка')
  })
})
