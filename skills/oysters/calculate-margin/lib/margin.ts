import {
  add,
  compare,
  divide,
  fromNumber,
  multiply,
  ratio,
  roundToNumber,
  type Ratio,
} from '@skillos-skills/finance-exchange-rates/rates'
import { SkillOSError } from '@skillos/contracts'

/** Everything the calculation needs, rates already resolved. Amounts per piece. */
export interface MarginInput {
  purchasePrice: number
  /** Sale-currency units per purchase-currency unit, exact. */
  purchaseRate: Ratio
  freightPerPiece: number
  /** Sale-currency units per freight-currency unit, exact. */
  freightRate: Ratio
  dutyPercent: number
  vatPercent: number
  /** true: import VAT is recovered and the sale price includes VAT; false: VAT is a cost. */
  vatPayer: boolean
  quantity: number
  /** Retail price per piece in the sale currency (VAT included for a VAT payer). */
  salePrice?: number
  /** Gross margin wanted, percent of the net sale price. */
  targetMargin?: number
}

/** Money in the sale currency, per piece and for the whole quantity (2 decimals each). */
export interface Money {
  perPiece: number
  total: number
}

export interface MarginResult {
  purchase: Money
  freight: Money
  customsValue: Money
  duty: Money
  importVat: Money
  /** Purchase + freight + duty (+ import VAT when it is not recovered). */
  landedCost: Money
  sale?: {
    price: Money
    netPrice: Money
    outputVat: Money
    profit: Money
    /** Profit ÷ net sale price, percent (2 decimals). */
    marginPercent: number
    /** Profit ÷ landed cost, percent (2 decimals). */
    markupPercent: number
  }
  target?: {
    marginPercent: number
    netPrice: Money
    /** What to charge (VAT included for a VAT payer). */
    retailPrice: Money
  }
}

const sub = (a: Ratio, b: Ratio): Ratio => add(a, multiply(b, ratio(-1n)))
const percent = (p: number): Ratio => divide(fromNumber(p), ratio(100n))

function money(perPiece: Ratio, quantity: Ratio): Money {
  return {
    perPiece: roundToNumber(perPiece, 2),
    // Computed from the exact per-piece value: the total carries no rounding of the pieces.
    total: roundToNumber(multiply(perPiece, quantity), 2),
  }
}

/**
 * Landed cost of imported oysters — purchase and freight converted to the sale currency, customs
 * duty on their sum, import VAT on the sum plus duty — and either the margin at a sale price or the
 * price for a target margin. Exact rational arithmetic, rounded to cents only in the result.
 *
 * @example
 * ```ts
 * computeMargin({ purchasePrice: 1.2, purchaseRate: fromNumber(85.5779), freightPerPiece: 0.35, freightRate: fromNumber(85.5779),
 *   dutyPercent: 7, vatPercent: 10, vatPayer: true, quantity: 1, salePrice: 450 })
 * // landedCost.perPiece 141.92, sale.marginPercent 65.31
 * ```
 */
export function computeMargin(input: MarginInput): MarginResult {
  if (input.targetMargin !== undefined && input.targetMargin >= 100)
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `targetMargin: ${input.targetMargin}% is not possible — a margin is below 100% of the price`,
    })
  const quantity = fromNumber(input.quantity)
  const purchase = multiply(fromNumber(input.purchasePrice), input.purchaseRate)
  const freight = multiply(fromNumber(input.freightPerPiece), input.freightRate)
  const customsValue = add(purchase, freight)
  const duty = multiply(customsValue, percent(input.dutyPercent))
  const vatRate = percent(input.vatPercent)
  const importVat = multiply(add(customsValue, duty), vatRate)
  const landed = input.vatPayer ? add(customsValue, duty) : add(add(customsValue, duty), importVat)
  const result: MarginResult = {
    purchase: money(purchase, quantity),
    freight: money(freight, quantity),
    customsValue: money(customsValue, quantity),
    duty: money(duty, quantity),
    importVat: money(importVat, quantity),
    landedCost: money(landed, quantity),
  }
  const withVat = add(ratio(1n), vatRate)
  if (input.salePrice !== undefined) {
    const price = fromNumber(input.salePrice)
    const net = input.vatPayer ? divide(price, withVat) : price
    const profit = sub(net, landed)
    const hundred = ratio(100n)
    result.sale = {
      price: money(price, quantity),
      netPrice: money(net, quantity),
      outputVat: money(sub(price, net), quantity),
      profit: money(profit, quantity),
      marginPercent:
        compare(net, ratio(0n)) === 0
          ? 0
          : roundToNumber(multiply(divide(profit, net), hundred), 2),
      markupPercent:
        compare(landed, ratio(0n)) === 0
          ? 0
          : roundToNumber(multiply(divide(profit, landed), hundred), 2),
    }
  }
  if (input.targetMargin !== undefined) {
    const net = divide(landed, sub(ratio(1n), percent(input.targetMargin)))
    const retail = input.vatPayer ? multiply(net, withVat) : net
    result.target = {
      marginPercent: input.targetMargin,
      netPrice: money(net, quantity),
      retailPrice: money(retail, quantity),
    }
  }
  return result
}
