import type { JsonSchemaSubset } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { answerParameters, fillParameters, type FillOptions } from './fill.js'

// A Wednesday, 12:00 in Moscow.
const now = new Date('2026-03-11T09:00:00Z')
const at = (options: FillOptions = {}): FillOptions => ({
  now,
  timeZoneOffsetMinutes: 180,
  ...options,
})

const convert: JsonSchemaSubset = {
  type: 'object',
  properties: {
    amount: { type: 'number', exclusiveMinimum: 0, description: 'Amount to convert' },
    from: { type: 'string', format: 'currency', description: 'Source currency' },
    to: { type: 'string', format: 'currency', description: 'Target currency' },
  },
  required: ['amount', 'from', 'to'],
}

const flight: JsonSchemaSubset = {
  type: 'object',
  properties: {
    origin: { type: 'string', description: 'Departure city' },
    destination: { type: 'string', description: 'Destination city' },
    date: { type: 'string', format: 'date', description: 'Departure date' },
    passengers: { type: 'integer', minimum: 1, maximum: 9, default: 1 },
    baggage: { type: 'boolean', description: 'Checked baggage included' },
  },
  required: ['origin', 'destination', 'date'],
}

const hotel: JsonSchemaSubset = {
  type: 'object',
  properties: {
    city: { type: 'string', description: 'City' },
    checkIn: { type: 'string', format: 'date' },
    checkOut: { type: 'string', format: 'date' },
    guests: { type: 'integer', minimum: 1, default: 1 },
  },
  required: ['city', 'checkIn', 'checkOut'],
}

const oysters: JsonSchemaSubset = {
  type: 'object',
  properties: {
    variety: {
      type: 'string',
      enum: ['Fines de Claire', 'Gillardeau', 'Special Gillardeau', 'Belon'],
      description: 'Oyster variety',
    },
    grade: { type: 'integer', enum: [0, 1, 2, 3, 4, 5], description: 'Size grade No.0–5' },
    quantity: { type: 'number', exclusiveMinimum: 0 },
    unit: { type: 'string', enum: ['pcs', 'dozen', 'kg', 'box'] },
  },
  required: ['variety', 'grade', 'quantity', 'unit'],
}

const tenders: JsonSchemaSubset = {
  type: 'object',
  properties: {
    keywords: { type: 'string', description: 'What is being procured' },
    region: { type: 'string', description: 'Region of the customer' },
    law: { type: 'string', enum: ['44-FZ', '223-FZ'], description: 'Procurement law' },
    priceMin: { type: 'number', minimum: 0, description: 'Minimum initial price (НМЦК), RUB' },
    priceMax: { type: 'number', minimum: 0, description: 'Maximum initial price (НМЦК), RUB' },
  },
  required: ['law'],
}

const margin: JsonSchemaSubset = {
  type: 'object',
  properties: {
    cost: { type: 'number', minimum: 0, description: 'Purchase cost' },
    margin: { type: 'number', minimum: 0, maximum: 100, description: 'Margin, percent' },
    vat: { type: 'number', minimum: 0, maximum: 1, description: 'VAT rate as a fraction' },
  },
  required: ['cost', 'margin'],
}

describe('fillParameters', () => {
  describe('currency conversion', () => {
    it.each([
      ['convert 250 EUR to RUB', { amount: 250, from: 'EUR', to: 'RUB' }],
      ['переведи 250 евро в рубли', { amount: 250, from: 'EUR', to: 'RUB' }],
      ['сколько будет 100 долларов в юанях', { amount: 100, from: 'USD', to: 'CNY' }],
      ['$1,200 into euros', { amount: 1200, from: 'USD', to: 'EUR' }],
      ['1000 USD/RUB', { amount: 1000, from: 'USD', to: 'RUB' }],
      ['в рубли 2.5k юаней', { amount: 2500, from: 'CNY', to: 'RUB' }],
    ])('fills %s', (text, expected) => {
      const result = fillParameters(convert, text, at())
      expect(result.values).toEqual(expected)
      expect(result.missing).toEqual([])
    })

    it('explains where each value came from', () => {
      const result = fillParameters(convert, 'convert 250 EUR to RUB', at())
      expect(result.filled).toEqual({
        amount: { value: 250, source: 'text', text: '250 EUR', span: [8, 11] },
        from: { value: 'EUR', source: 'text', text: 'EUR', span: [12, 15] },
        to: { value: 'RUB', source: 'text', text: 'RUB', span: [19, 22] },
      })
      expect(result.language).toBe('en')
    })

    it("keeps the caller's params over the text, and does not reuse what they name", () => {
      const result = fillParameters(
        convert,
        'convert 250 EUR to RUB',
        at({ params: { to: 'CNY', note: 'x' } }),
      )
      expect(result.values).toEqual({ amount: 250, from: 'EUR', to: 'CNY', note: 'x' })
      expect(result.filled.to?.source).toBe('params')

      const claimed = fillParameters(
        convert,
        'convert 250 EUR to RUB',
        at({ params: { from: 'EUR' } }),
      )
      expect(claimed.values).toEqual({ amount: 250, from: 'EUR', to: 'RUB' })
      expect(claimed.filled.from).toEqual({
        value: 'EUR',
        source: 'params',
        text: 'EUR',
        span: [12, 15],
      })
    })

    it('asks for a missing target currency in English', () => {
      const result = fillParameters(convert, 'convert 250 EUR', at())
      expect(result.values).toEqual({ amount: 250, from: 'EUR' })
      expect(result.missing).toEqual([
        { field: 'to', question: 'What is the target currency (to)?', reason: 'not_found' },
      ])
    })

    it('asks in Russian when the request is in Russian', () => {
      const result = fillParameters(convert, 'переведи 250 евро', at())
      expect(result.language).toBe('ru')
      expect(result.missing.map((m) => m.question)).toEqual(['Укажите целевую валюту (to).'])
    })

    it('does not pick one of two equally plausible amounts', () => {
      const result = fillParameters(convert, 'convert 250 EUR or 300 EUR to RUB', at())
      expect(result.values).toEqual({ from: 'EUR', to: 'RUB' })
      expect(result.missing).toEqual([
        {
          field: 'amount',
          reason: 'ambiguous',
          candidates: ['250 EUR', '300 EUR'],
          question:
            'I found more than one possible amount ("250 EUR", "300 EUR") and cannot tell which is meant. What is the amount to convert (amount) (more than 0)?',
        },
      ])
    })
  })

  describe('flight search', () => {
    it.each([
      [
        'из Москвы в Сочи 15 марта на двоих',
        { origin: 'Moscow', destination: 'Sochi', date: '2026-03-15', passengers: 2 },
      ],
      [
        'from Moscow to Dubai next Friday, 2 passengers, with baggage',
        {
          origin: 'Moscow',
          destination: 'Dubai',
          date: '2026-03-20',
          passengers: 2,
          baggage: true,
        },
      ],
      [
        'билеты в Стамбул из Санкт-Петербурга послезавтра без багажа',
        {
          origin: 'Saint Petersburg',
          destination: 'Istanbul',
          date: '2026-03-13',
          passengers: 1,
          baggage: false,
        },
      ],
      [
        'Moscow → Dubai 2026-12-01',
        { origin: 'Moscow', destination: 'Dubai', date: '2026-12-01', passengers: 1 },
      ],
    ])('fills %s', (text, expected) => {
      const result = fillParameters(flight, text, at())
      expect(result.values).toEqual(expected)
      expect(result.missing).toEqual([])
    })

    it('takes the default for an optional property the text does not mention', () => {
      const result = fillParameters(flight, 'из Москвы в Сочи завтра', at())
      expect(result.filled.passengers).toEqual({ value: 1, source: 'default' })
      expect(result.values.date).toBe('2026-03-12')
    })

    it('asks for the origin when only a destination is given', () => {
      const result = fillParameters(flight, 'flights to Dubai tomorrow', at())
      expect(result.values).toEqual({ destination: 'Dubai', date: '2026-03-12', passengers: 1 })
      expect(result.missing).toEqual([
        { field: 'origin', question: 'What is the departure city (origin)?', reason: 'not_found' },
      ])
    })

    it('does not guess whether a lone city is the origin or the destination', () => {
      const result = fillParameters(flight, 'рейсы Дубай завтра', at())
      expect(result.values).toEqual({ date: '2026-03-12', passengers: 1 })
      expect(result.missing.map((m) => [m.field, m.reason, m.question])).toEqual([
        [
          'origin',
          'ambiguous',
          'Непонятно, «Дубай» — это origin или destination. Укажите город отправления (origin).',
        ],
        [
          'destination',
          'ambiguous',
          'Непонятно, «Дубай» — это destination или origin. Укажите город назначения (destination).',
        ],
      ])
    })

    it('rejects an out-of-range value and asks instead of falling back to the default', () => {
      const result = fillParameters(flight, 'from Moscow to Dubai next Friday, 12 passengers', at())
      expect(result.values).toEqual({ origin: 'Moscow', destination: 'Dubai', date: '2026-03-20' })
      expect(result.missing).toEqual([
        {
          field: 'passengers',
          reason: 'invalid',
          candidates: ['12'],
          question:
            '"12" does not fit passengers. What is the number of passengers (passengers) (from 1 to 9)?',
        },
      ])
    })

    it('writes IATA codes when the schema asks for codes', () => {
      const codes: JsonSchemaSubset = {
        type: 'object',
        properties: {
          from: { type: 'string', pattern: '^[A-Z]{3}$', description: 'Origin IATA code' },
          to: { type: 'string', pattern: '^[A-Z]{3}$', description: 'Destination IATA code' },
        },
        required: ['from', 'to'],
      }
      expect(fillParameters(codes, 'из Петербурга в Дубай', at()).values).toEqual({
        from: 'LED',
        to: 'DXB',
      })
    })
  })

  describe('hotel booking', () => {
    it.each([
      [
        'hotel in Sochi from March 20 to March 25 for 2 guests',
        { city: 'Sochi', checkIn: '2026-03-20', checkOut: '2026-03-25', guests: 2 },
      ],
      [
        'отель в Сочи с 20 по 25 марта',
        { city: 'Sochi', checkIn: '2026-03-20', checkOut: '2026-03-25', guests: 1 },
      ],
      [
        'отель в Казани, заезд 20.03.2026, выезд 22.03.2026, нас трое',
        { city: 'Kazan', checkIn: '2026-03-20', checkOut: '2026-03-22', guests: 3 },
      ],
      [
        'check out March 25, check in March 21, London',
        { city: 'London', checkIn: '2026-03-21', checkOut: '2026-03-25', guests: 1 },
      ],
    ])('fills %s', (text, expected) => {
      expect(fillParameters(hotel, text, at()).values).toEqual(expected)
    })

    it('takes a lone date as the check-in and asks for the check-out', () => {
      const result = fillParameters(hotel, 'hotel in Paris on March 20', at())
      expect(result.values).toEqual({ city: 'Paris', checkIn: '2026-03-20', guests: 1 })
      expect(result.missing.map((m) => m.question)).toEqual(['What is the end date (checkOut)?'])
    })
  })

  describe('oyster order', () => {
    it.each([
      [
        'Нужно 5 дюжин устриц Fines de Claire №2',
        { variety: 'Fines de Claire', grade: 2, quantity: 5, unit: 'dozen' },
      ],
      [
        'order 200 pcs Gillardeau No.3',
        { variety: 'Gillardeau', grade: 3, quantity: 200, unit: 'pcs' },
      ],
      [
        'Special Gillardeau size 1, 3 boxes',
        { variety: 'Special Gillardeau', grade: 1, quantity: 3, unit: 'box' },
      ],
    ])('fills %s', (text, expected) => {
      expect(fillParameters(oysters, text, at()).values).toEqual(expected)
    })

    it('matches a variety through a synonym and a unit in Russian', () => {
      const result = fillParameters(
        oysters,
        'устрицы Белон №3, 10 кг',
        at({ synonyms: { variety: { Belon: ['белон'] } } }),
      )
      expect(result.values).toEqual({ variety: 'Belon', grade: 3, quantity: 10, unit: 'kg' })
    })

    it('maps the unit onto the enum as the skill spells it', () => {
      const russianUnits: JsonSchemaSubset = {
        ...oysters,
        properties: {
          ...oysters.properties,
          unit: { type: 'string', enum: ['шт', 'дюжина', 'кг', 'ящик'] },
        },
      }
      expect(fillParameters(russianUnits, 'Gillardeau №1, две дюжины', at()).values).toEqual({
        variety: 'Gillardeau',
        grade: 1,
        quantity: 2,
        unit: 'дюжина',
      })
    })

    it('asks when two quantities compete', () => {
      const result = fillParameters(oysters, 'Gillardeau №2, 10 кг и 2 коробки', at())
      expect(result.values).toEqual({ variety: 'Gillardeau', grade: 2 })
      expect(result.missing.map((m) => [m.field, m.reason, m.candidates])).toEqual([
        ['quantity', 'ambiguous', ['10 кг', '2 коробки']],
        ['unit', 'ambiguous', ['кг', 'коробки']],
      ])
    })

    it('rejects a grade outside the enum', () => {
      const result = fillParameters(oysters, 'устрицы Gillardeau №7, 100 штук', at())
      expect(result.values).toEqual({ variety: 'Gillardeau', quantity: 100, unit: 'pcs' })
      expect(result.missing).toEqual([
        {
          field: 'grade',
          reason: 'invalid',
          candidates: ['7'],
          question: '«7» не подходит для grade. Укажите число (grade). Варианты: 0, 1, 2, 3, 4, 5.',
        },
      ])
    })
  })

  describe('tender search', () => {
    const keywords = (text: string): Record<string, unknown> | undefined => {
      const m = /на поставку\s+(.+?)\s+(?:в|по)\s/u.exec(text)
      return m?.[1] ? { keywords: m[1] } : undefined
    }

    it('fills law, region and a price range, with keywords from the skill', () => {
      const text =
        'тендеры на поставку медицинского оборудования в Московской области по 44-ФЗ от 1 до 5 млн руб'
      const result = fillParameters(tenders, text, at({ extract: keywords }))
      expect(result.values).toEqual({
        keywords: 'медицинского оборудования',
        region: 'Московская область',
        law: '44-FZ',
        priceMin: 1_000_000,
        priceMax: 5_000_000,
      })
      expect(result.filled.keywords?.source).toBe('skill')
      const at44 = text.indexOf('44-ФЗ')
      expect(result.filled.law).toEqual({
        value: '44-FZ',
        source: 'text',
        text: '44-ФЗ',
        span: [at44, at44 + 5],
      })
    })

    it('reads "до" as the top of the range', () => {
      expect(
        fillParameters(tenders, 'закупки по 223-ФЗ в Краснодарском крае до 12 500 000,00 ₽', at())
          .values,
      ).toEqual({ region: 'Краснодарский край', law: '223-FZ', priceMax: 12_500_000 })
    })

    it("lets the skill's extractor override generic values, and ignores what does not fit", () => {
      const result = fillParameters(
        tenders,
        'тендеры по 44-ФЗ в Москве',
        at({ extract: () => ({ region: 'г. Москва', law: '94-FZ' }) }),
      )
      expect(result.values).toEqual({ region: 'г. Москва', law: '44-FZ' })
      expect([result.filled.region?.source, result.filled.law?.source]).toEqual(['skill', 'text'])
    })

    it("hands the skill's extractor blocks it can spread, sharing what the filler computed", () => {
      let seen: Record<string, unknown> = {}
      const result = fillParameters(
        tenders,
        'тендеры по 44-ФЗ в Москве до 5 млн ₽',
        at({
          extract: (_text, blocks) => {
            seen = { ...blocks }
            return { priceMax: blocks.money[0]?.value.amount }
          },
        }),
      )
      expect(result.values.priceMax).toBe(5_000_000)
      expect(result.filled.priceMax?.source).toBe('skill')
      expect(Object.keys(seen)).toEqual(
        expect.arrayContaining(['text', 'numbers', 'money', 'cities', 'dates', 'matchEnum']),
      )
      expect((seen.cities as { value: { name: string } }[])[0]?.value.name).toBe('Moscow')
      expect((seen.numbers as unknown[]).length).toBeGreaterThan(0)
    })

    it('asks which law when both are mentioned', () => {
      const result = fillParameters(tenders, 'тендеры по 44-ФЗ и 223-ФЗ', at())
      expect(result.values).toEqual({})
      expect(result.missing).toEqual([
        {
          field: 'law',
          reason: 'ambiguous',
          candidates: ['44-ФЗ', '223-ФЗ'],
          question:
            'Нашлось несколько подходящих значений («44-ФЗ», «223-ФЗ»), непонятно, какое из них law. Укажите значение (law). Варианты: 44-FZ, 223-FZ.',
        },
      ])
    })
  })

  describe('margin calculation', () => {
    it.each([
      ['закупка 120 000 руб, наценка 35%, НДС 20%', { cost: 120_000, margin: 35, vat: 0.2 }],
      ['cost $1,200 with a 15% margin', { cost: 1200, margin: 15 }],
      ['маржа 12,5 процента при стоимости 3 тыс.', { cost: 3000, margin: 12.5 }],
    ])('fills %s', (text, expected) => {
      expect(fillParameters(margin, text, at()).values).toEqual(expected)
    })

    it('rejects a percentage above the maximum', () => {
      const result = fillParameters(margin, 'cost 1200, margin 150%', at())
      expect(result.values).toEqual({ cost: 1200 })
      expect(result.missing.map((m) => m.question)).toEqual([
        '"150%" does not fit margin. What is the margin (from 0 to 100)?',
      ])
    })
  })

  describe('other kinds', () => {
    it('collects every currency into an array property', () => {
      const watch: JsonSchemaSubset = {
        type: 'object',
        properties: {
          currencies: { type: 'array', items: { type: 'string', format: 'currency' }, minItems: 1 },
        },
        required: ['currencies'],
      }
      expect(fillParameters(watch, 'следи за долларом, евро и юанем', at()).values).toEqual({
        currencies: ['USD', 'EUR', 'CNY'],
      })
    })

    it('joins a date and a time in the requester time zone', () => {
      const meeting: JsonSchemaSubset = {
        type: 'object',
        properties: {
          startsAt: { type: 'string', format: 'date-time' },
          email: { type: 'string', format: 'email' },
          phone: { type: 'string', format: 'phone' },
        },
        required: ['startsAt', 'email'],
      }
      const result = fillParameters(
        meeting,
        'созвон 15 марта в 10:30, пишите ivan@example.com или +7 916 123-45-67',
        at(),
      )
      expect(result.values).toEqual({
        startsAt: '2026-03-15T10:30:00+03:00',
        email: 'ivan@example.com',
        phone: '+79161234567',
      })
    })
  })
})

describe('answerParameters', () => {
  it('completes a run from a text answer', () => {
    const first = fillParameters(convert, 'convert 250 EUR', at())
    expect(first.missing.map((m) => m.field)).toEqual(['to'])
    const next = answerParameters(convert, first, 'в рубли', at())
    expect(next.values).toEqual({ amount: 250, from: 'EUR', to: 'RUB' })
    expect(next.filled.to).toEqual({ value: 'RUB', source: 'answer', text: 'рубли', span: [2, 7] })
    expect(next.missing).toEqual([])
    expect(next.language).toBe('en')
  })

  it('completes a run from a structured answer', () => {
    const first = fillParameters(flight, 'рейсы Дубай завтра', at())
    const next = answerParameters(flight, first, {
      origin: 'Moscow',
      destination: 'Dubai',
      date: 'x',
    })
    expect(next.values).toEqual({
      origin: 'Moscow',
      destination: 'Dubai',
      date: '2026-03-12',
      passengers: 1,
    })
    expect(next.missing).toEqual([])
  })

  it('answers a lone city once there is one question left', () => {
    const first = fillParameters(flight, 'flights to Dubai tomorrow', at())
    const next = answerParameters(flight, first, 'Moscow', at())
    expect(next.values.origin).toBe('Moscow')
    expect(next.missing).toEqual([])
  })

  it('keeps asking, in the original language, when the answer does not help', () => {
    const first = fillParameters(convert, 'переведи 250 евро', at())
    const next = answerParameters(convert, first, 'не знаю', at())
    expect(next.values).toEqual({ amount: 250, from: 'EUR' })
    expect(next.missing.map((m) => m.question)).toEqual(['Укажите целевую валюту (to).'])
  })

  it('takes the whole answer for a single free-text field', () => {
    const search: JsonSchemaSubset = {
      type: 'object',
      properties: {
        keywords: { type: 'string', minLength: 2 },
        law: { type: 'string', enum: ['44-FZ', '223-FZ'] },
      },
      required: ['keywords', 'law'],
    }
    const first = fillParameters(search, 'тендеры по 44-ФЗ', at())
    expect(first.missing.map((m) => m.question)).toEqual(['Укажите значение (keywords).'])
    const next = answerParameters(search, first, '  медицинское оборудование ')
    expect(next.values).toEqual({ law: '44-FZ', keywords: 'медицинское оборудование' })
  })
})
