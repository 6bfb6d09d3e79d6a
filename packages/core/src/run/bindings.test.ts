import { parseSkillManifest } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { fillParameters } from '../extract/index.js'
import { dataDependencies, readPath, upstreamValues } from './bindings.js'

const compare = parseSkillManifest({
  id: 'oysters/compare',
  version: '1.0.0',
  name: 'Compare',
  description: 'Rank suppliers for an order',
  input: {
    type: 'object',
    properties: { quantity: { type: 'number' } },
    required: ['quantity'],
  },
  output: {
    type: 'object',
    properties: {
      order: { type: 'object', properties: { quantity: { type: 'number' } } },
      ranking: { type: 'array', items: { type: 'object' } },
      currency: { type: 'string' },
    },
  },
})

const margin = parseSkillManifest({
  id: 'oysters/margin',
  version: '1.0.0',
  name: 'Margin',
  description: 'Margin at a sale price',
  input: {
    type: 'object',
    properties: {
      purchasePrice: { type: 'number', minimum: 0 },
      salePrice: { type: 'number', minimum: 0 },
      quantity: { type: 'number', exclusiveMinimum: 0, default: 1 },
      currency: { type: 'string' },
    },
    required: ['purchasePrice'],
  },
  bindings: {
    purchasePrice: ['ranking.0.perPiece'],
    quantity: ['ranking.0.billedPieces', 'order.quantity'],
  },
})

const compared = {
  order: { quantity: 300 },
  currency: 'EUR',
  ranking: [
    { supplier: 'A', perPiece: 3.52, billedPieces: 300 },
    { supplier: 'B', perPiece: 3.9, billedPieces: 312 },
  ],
}

describe('readPath', () => {
  it('reads object keys and array indices, and nothing else', () => {
    expect(readPath(compared, 'ranking.1.perPiece')).toBe(3.9)
    expect(readPath(compared, 'order.quantity')).toBe(300)
    expect(readPath(compared, 'ranking.first')).toBeUndefined()
    expect(readPath(compared, 'ranking.5.perPiece')).toBeUndefined()
    expect(readPath(compared, 'currency.length')).toBeUndefined()
    expect(readPath(compared, 'constructor')).toBeUndefined()
  })
})

describe('upstreamValues', () => {
  it('follows the bindings, then same-named fields, nearest output first', () => {
    expect(upstreamValues(margin, [compared])).toEqual({
      purchasePrice: 3.52,
      quantity: 300,
      currency: 'EUR',
    })
    // The nearest output that has the field wins; later ones fill the rest.
    expect(upstreamValues(margin, [{ currency: 'RUB' }, compared])).toEqual({
      purchasePrice: 3.52,
      quantity: 300,
      currency: 'RUB',
    })
    expect(upstreamValues(margin, [{ ranking: [] }])).toEqual({})
  })

  it('lets the request text win and fills only what it left open, before defaults', () => {
    const upstream = upstreamValues(margin, [compared])
    const filled = fillParameters(margin.input, 'what is my margin in RUB', {
      upstream,
      params: { salePrice: 450 },
    })
    expect(filled.values).toEqual({
      purchasePrice: 3.52,
      salePrice: 450,
      quantity: 300,
      currency: 'RUB',
    })
    expect(filled.filled.currency?.source).toBe('text')
    expect(filled.filled.purchasePrice?.source).toBe('upstream')
    expect(filled.missing).toEqual([])
    // A bound value that does not fit the schema is not used: the question is asked instead.
    const negative = fillParameters(margin.input, 'margin please', {
      upstream: { purchasePrice: -1 },
    })
    expect(negative.missing.map((m) => m.field)).toEqual(['purchasePrice'])
  })
})

describe('an ambiguous mention next to an upstream value', () => {
  const bid = {
    type: 'object' as const,
    properties: {
      nmck: { type: 'number' as const, exclusiveMinimum: 0, description: 'НМЦК, roubles' },
      costs: { type: 'number' as const, minimum: 0, description: 'full costs, roubles' },
    },
    required: ['nmck', 'costs'],
  }
  const text = 'рассчитай заявку при 1,2 млн рублей'

  it('is asked about when nothing upstream decides it', () => {
    const alone = fillParameters(bid, text)
    expect(alone.missing.some((m) => m.reason === 'ambiguous')).toBe(true)
  })

  it('goes to the field the earlier step did not provide', () => {
    const filled = fillParameters(bid, text, { upstream: { nmck: 2_845_600 } })
    expect(filled.values).toEqual({ nmck: 2_845_600, costs: 1_200_000 })
    expect(filled.filled.nmck?.source).toBe('upstream')
    expect(filled.filled.costs?.source).toBe('text')
  })
})

describe('dataDependencies', () => {
  it('makes an ask wait for the earlier ask whose declared output provides its missing input', () => {
    expect(
      dataDependencies([
        { manifest: compare, missing: [] },
        { manifest: margin, missing: ['purchasePrice'] },
      ]),
    ).toEqual([{ step: 1, from: 0, needs: ['purchasePrice'] }])
  })

  it('finds no dependency when nothing upstream declares the field', () => {
    expect(
      dataDependencies([
        { manifest: margin, missing: ['purchasePrice'] },
        { manifest: compare, missing: ['quantity'] },
      ]),
    ).toEqual([])
  })
})

describe('bindings in skill.yaml', () => {
  it('must name declared input fields and be dotted paths', () => {
    const bad = () =>
      parseSkillManifest({
        id: 'oysters/bad',
        version: '1.0.0',
        name: 'Bad',
        description: 'Bad bindings',
        input: { type: 'object', properties: { price: { type: 'number' } } },
        bindings: { cost: ['ranking.0.total'], price: ['ranking[0].total'] },
      })
    expect(bad).toThrow(/bindings\.cost[\s\S]*not a property of input|not a property of input/)
    expect(bad).toThrow(/dotted path/)
  })
})
