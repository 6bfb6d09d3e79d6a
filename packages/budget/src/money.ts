import { ValidationError } from '@skillos/contracts'

/** Micro-dollars in one US dollar: every amount inside the budget is an integer of micro-dollars. */
export const MICROS_PER_USD = 1_000_000

/**
 * US dollars (as people write them) → integer micro-dollars, rounded to the nearest micro-dollar.
 * Refuses what is not a finite, non-negative amount, naming `field`.
 *
 * @example
 * ```ts
 * usdToMicros(4.2, 'costUsd') // 4_200_000
 * ```
 */
export function usdToMicros(usd: unknown, field: string): number {
  if (typeof usd !== 'number' || !Number.isFinite(usd) || usd < 0) {
    throw new ValidationError(`${field}: must be a non-negative number of US dollars`, [
      { path: field, message: 'must be a non-negative number of US dollars' },
    ])
  }
  const micros = Math.round(usd * MICROS_PER_USD)
  if (!Number.isSafeInteger(micros)) {
    throw new ValidationError(`${field}: is too large`, [{ path: field, message: 'is too large' }])
  }
  return micros
}

/** Integer micro-dollars → US dollars, for results and events (the only place floats appear). */
export function microsToUsd(micros: number): number {
  return micros / MICROS_PER_USD
}

/**
 * `$5.00`, `$1,234.50`, or as many decimals as it takes for amounts that are not whole cents
 * (`$0.000375`), so a message never rounds a small charge to `$0.00`.
 */
export function formatUsd(micros: number): string {
  const sign = micros < 0 ? '-' : ''
  const abs = Math.abs(micros)
  const dollars = Math.floor(abs / MICROS_PER_USD)
  const fraction = String(abs % MICROS_PER_USD).padStart(6, '0')
  const decimals = fraction.replace(/0+$/, '').padEnd(2, '0')
  return `${sign}$${dollars.toLocaleString('en-US')}.${decimals}`
}

/** `20,000 tokens`, `1 token`. */
export function formatTokens(tokens: number): string {
  return `${tokens.toLocaleString('en-US')} ${Math.abs(tokens) === 1 ? 'token' : 'tokens'}`
}
