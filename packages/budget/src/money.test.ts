import { describe, expect, it } from 'vitest'
import { formatTokens, formatUsd, microsToUsd, usdToMicros } from './money.js'

describe('money', () => {
  it('turns dollars into whole micro-dollars without float drift', () => {
    expect(usdToMicros(0.1, 'costUsd')).toBe(100_000)
    expect(usdToMicros(4.2, 'costUsd')).toBe(4_200_000)
    expect(usdToMicros(0.0000004, 'costUsd')).toBe(0)
    expect(usdToMicros(0.0000005, 'costUsd')).toBe(1)
    expect(microsToUsd(4_200_000)).toBe(4.2)
  })

  it('refuses a negative, infinite or non-numeric amount, naming the field', () => {
    for (const bad of [-0.01, Infinity, Number.NaN, '5']) {
      expect(() => usdToMicros(bad, 'limits.0.usd')).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          message: expect.stringContaining('limits.0.usd'),
        }),
      )
    }
  })

  it('prints cents, and every digit of amounts smaller than a cent', () => {
    expect(formatUsd(5_000_000)).toBe('$5.00')
    expect(formatUsd(4_200_000)).toBe('$4.20')
    expect(formatUsd(1_234_500_000)).toBe('$1,234.50')
    expect(formatUsd(375)).toBe('$0.000375')
    expect(formatUsd(0)).toBe('$0.00')
    expect(formatTokens(20_000)).toBe('20,000 tokens')
    expect(formatTokens(1)).toBe('1 token')
  })
})
