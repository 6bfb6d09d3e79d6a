import { SkillOSError } from '@skillos/contracts'

/**
 * An amount in integer minor units (kopecks, cents), rounded half up on its decimal digits as
 * written, so `1.005` is 101 (a double would say 100). Negative, non-finite or absurdly large
 * amounts are a `VALIDATION_FAILED` naming `field`.
 *
 * @example
 * ```ts
 * toMinor(1200) // 120000
 * toMinor(0.1 + 0.2) // 30
 * ```
 */
export function toMinor(amount: number, field = 'amount'): number {
  if (!Number.isFinite(amount) || amount < 0 || amount > 1e13) {
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `${field}: must be a number from 0 to 10 000 000 000 000, got ${amount}`,
      details: { field, value: amount },
    })
  }
  // The shortest decimal that prints as the double: what the person wrote.
  const written = /e/i.test(String(amount)) ? amount.toFixed(12) : String(amount)
  const [whole = '0', fraction = ''] = written.split('.')
  const digits = fraction.padEnd(3, '0')
  const minor = Number(whole) * 100 + Number(digits.slice(0, 2))
  return Number(digits[2]) >= 5 ? minor + 1 : minor
}

/** Minor units back to a number of major units: `120050` → `1200.5`. */
export function fromMinor(minor: number): number {
  return minor / 100
}

/**
 * Minor units as text with grouped thousands and two decimals: `120050`, `RUB` → `1 200.50 RUB`.
 */
export function formatMoney(minor: number, currency: string): string {
  const sign = minor < 0 ? '-' : ''
  const abs = Math.abs(minor)
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')
  return `${sign}${whole}.${(abs % 100).toString().padStart(2, '0')} ${currency}`
}

/** `a × b / c` rounded half up, for non-negative integers (no float error below 2^53). */
export function mulDivRound(a: number, b: number, c: number): number {
  if (c <= 0) throw new RangeError('division by zero')
  const product = BigInt(a) * BigInt(b)
  const divisor = BigInt(c)
  return Number((2n * product + divisor) / (2n * divisor))
}
