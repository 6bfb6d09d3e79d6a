// ISO 4217 exponents that are not 2 (the default), for the currencies the rate sources quote and
// their neighbours. XDR has no minor unit in ISO 4217; amounts in it are shown to 2 decimals.
const EXPONENTS: Record<string, number> = {
  BHD: 3,
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  IQD: 3,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  PYG: 0,
  RWF: 0,
  TND: 3,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
}

/**
 * How many decimals an amount of `code` is written with (ISO 4217 minor units): 0 for JPY, KRW,
 * VND, ISK; 3 for KWD, BHD, OMR; 2 otherwise.
 *
 * @example
 * ```ts
 * minorUnitsOf('JPY') // 0
 * minorUnitsOf('RUB') // 2
 * ```
 */
export function minorUnitsOf(code: string): number {
  return EXPONENTS[code] ?? 2
}
