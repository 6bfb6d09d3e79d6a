import { describe, expect, it } from 'vitest'
import { BUILT_IN_PRICES, createPriceTable } from './price-table.js'

describe('createPriceTable', () => {
  it('prices tokens per 1M from the built-in table, rounding up to a whole micro-dollar', () => {
    const prices = createPriceTable()
    // gpt-4o-mini: $0.15 in, $0.60 out per 1M → 1,000 × 0.15 + 500 × 0.60 micro-dollars
    expect(prices.cost('gpt-4o-mini', 1_000, 500, 'test')).toBe(450)
    // claude-sonnet-4-5: $3 in, $15 out → 3 × 1 + 15 × 1 = 18 micro-dollars
    expect(prices.cost('claude-sonnet-4-5', 1, 1, 'test')).toBe(18)
    // 1 token of gpt-5-nano input is 0.05 micro-dollars: charged as 1
    expect(prices.cost('gpt-5-nano', 1, 0, 'test')).toBe(1)
    expect(prices.cost('gpt-4o', 0, 0, 'test')).toBe(0)
  })

  it('finds dated, prefixed and differently cased names under their listed model', () => {
    const prices = createPriceTable()
    expect(prices.resolve('claude-sonnet-4-5-20250929', 'test').model).toBe('claude-sonnet-4-5')
    expect(prices.resolve('claude-sonnet-4-5@20250929', 'test').model).toBe('claude-sonnet-4-5')
    expect(prices.resolve('openai/gpt-4o-2024-08-06', 'test').model).toBe('gpt-4o')
    expect(prices.resolve('GPT-4o-mini', 'test').model).toBe('gpt-4o-mini')
    expect(prices.resolve('models/gemini-2.5-pro', 'test').model).toBe('gemini-2.5-pro')
  })

  it('lets the configuration override a built-in price and add a model', () => {
    const prices = createPriceTable({
      'gpt-4o': { input: 1, output: 2, currency: 'USD' },
      'acme-finetune': { input: 0.5, output: 1.5, currency: 'USD' },
    })
    expect(prices.resolve('gpt-4o', 'test')).toMatchObject({ source: 'config' })
    expect(prices.cost('gpt-4o', 1_000_000, 1_000_000, 'test')).toBe(3_000_000)
    expect(prices.cost('acme-finetune', 2_000_000, 0, 'test')).toBe(1_000_000)
    expect(prices.models()[0]).toBe('gpt-4o')
  })

  it('refuses an unknown model, naming it, where it was asked, and how to add it', () => {
    const prices = createPriceTable()
    expect(() => prices.cost('gpt-9-ultra', 10, 10, 'reserve()')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(
          /Unknown model "gpt-9-ultra" in reserve\(\).*budget\.prices/,
        ),
        details: expect.objectContaining({ model: 'gpt-9-ultra', where: 'reserve()' }),
      }),
    )
    expect(prices.has('gpt-9-ultra')).toBe(false)
  })

  it('lists only non-negative prices', () => {
    for (const price of Object.values(BUILT_IN_PRICES)) {
      expect(price.input).toBeGreaterThanOrEqual(0)
      expect(price.output).toBeGreaterThanOrEqual(0)
    }
  })
})
