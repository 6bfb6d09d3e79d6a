import type { TenderAnalysis } from './analyze.js'

/** Every risk this skill flags. */
export const RISK_CODES = [
  'SHORT_DELIVERY',
  'BID_SECURITY_HIGH',
  'CONTRACT_SECURITY_HIGH',
  'PENALTY_ABOVE_NORM',
  'FINE_ABOVE_NORM',
  'VAGUE_SPECIFICATION',
  'BRAND_WITHOUT_EQUIVALENT',
  'NO_ADVANCE',
  'LONG_PAYMENT_TERM',
  'RESTRICTIVE_REQUIREMENT',
  'EXPERIENCE_REQUIRED',
] as const

/** A risk flag and the sentence that raised it (absent only when the risk is an absence). */
export interface Risk {
  code: (typeof RISK_CODES)[number]
  severity: 'low' | 'medium' | 'high'
  message: string
  sentence?: string
}

/**
 * The thresholds the flags use. 44-FZ norms: bid security 0.5–1 % of НМЦК (art. 44), contract
 * security up to 30 % (art. 96), пени 1/300 of the ЦБ key rate a day and fines by contract price
 * bracket (Decree No. 1042 of 30.08.2017), payment within 7 working days (art. 34 part 13.1).
 */
export const RULES = {
  bidSecurityMax44: 1,
  bidSecurityHeavy: 3,
  contractSecurityMax44: 30,
  contractSecurityHeavy: 20,
  shortDeliveryHighDays: 3,
  shortDeliveryMediumDays: 5,
  paymentMaxWorkingDays: 7,
  paymentMaxCalendarDays: 10,
  dailyPenaltyHeavyPercent: 0.1,
} as const

// Decree 1042, p. 3: a supplier's fine as a percentage of the contract price, by price (roubles).
const FINE_BRACKETS: [number, number][] = [
  [3_000_000, 10],
  [50_000_000, 5],
  [100_000_000, 1],
  [500_000_000, 0.5],
  [1_000_000_000, 0.4],
  [2_000_000_000, 0.3],
  [5_000_000_000, 0.25],
  [10_000_000_000, 0.2],
  [Number.POSITIVE_INFINITY, 0.1],
]

/**
 * The 44-FZ fine for a supplier's improper performance at a contract price, in percent.
 *
 * @example
 * fineNorm44(2_845_600) // 10
 */
export function fineNorm44(priceRoubles: number): number {
  return (FINE_BRACKETS.find(([limit]) => priceRoubles <= limit) ?? [0, 0.1])[1]
}

const VAGUE =
  /(?<![\p{L}])(?:и\s+т\.\s?[пд]\.?|и\s+др\.|и\s+другие|и\s+прочее|в\s+ассортименте|по\s+согласованию\s+с\s+заказчиком|по\s+требованию\s+заказчика|иные\s+характеристики|etc\.)/iu
const BRAND_MODEL =
  /(?<![\p{L}])[A-Z][A-Za-z]+\s+[A-Z0-9]*\d[A-Z0-9]*(?:-[A-Z0-9]+)*|[A-Z]{2,}-[A-Z0-9]*\d/u
const BRAND_WORDS = /товарн\p{L}*\s+знак|торгов\p{L}*\s+марк|®|™|оригинальн\p{L}*/iu

function fmt(n: number): string {
  return String(n).replace('.', ',')
}

/**
 * Risk flags for an analysed document, each with the sentence that triggered it: short delivery,
 * heavy or above-norm security, пени and fines above the 44-FZ norms, vague specification, brand
 * names without "или эквивалент", no advance, a long payment term, restrictive requirements.
 */
export function assessRisks(
  analysis: Omit<TenderAnalysis, 'risks'>,
  sentences: readonly string[],
  nmckMinor: number | undefined,
): Risk[] {
  const risks: Risk[] = []
  const is44 = analysis.law === '44-FZ'
  const smbOnly = sentences.some((s) =>
    /малого\s+(?:и\s+среднего\s+)?предпринимательства/iu.test(s),
  )

  for (const d of analysis.deadlines.filter((x) => x.kind === 'delivery')) {
    const days = d.hours !== undefined ? d.hours / 24 : d.days
    if (days === undefined) continue
    const term = d.hours !== undefined ? `${d.hours} hours` : `${d.days} ${d.dayType} days`
    if (days <= RULES.shortDeliveryHighDays)
      risks.push({
        code: 'SHORT_DELIVERY',
        severity: 'high',
        message: `Delivery within ${term}: stock must be on hand near the customer`,
        sentence: d.sentence,
      })
    else if (days <= RULES.shortDeliveryMediumDays)
      risks.push({
        code: 'SHORT_DELIVERY',
        severity: 'medium',
        message: `Delivery within ${term} leaves little time to source the goods`,
        sentence: d.sentence,
      })
  }

  const bid = analysis.bidSecurity
  if (bid?.required && bid.percent !== undefined) {
    if (is44 && bid.percent > RULES.bidSecurityMax44)
      risks.push({
        code: 'BID_SECURITY_HIGH',
        severity: 'high',
        message: `Bid security ${fmt(bid.percent)} % of НМЦК is above the 0,5–1 % range of 44-FZ art. 44`,
        sentence: bid.sentence,
      })
    else if (bid.percent >= RULES.bidSecurityHeavy)
      risks.push({
        code: 'BID_SECURITY_HIGH',
        severity: 'medium',
        message: `Bid security ${fmt(bid.percent)} % ties up working capital while bids are reviewed`,
        sentence: bid.sentence,
      })
  }

  const contract = analysis.contractSecurity
  if (contract?.required && contract.percent !== undefined) {
    if (is44 && contract.percent > RULES.contractSecurityMax44)
      risks.push({
        code: 'CONTRACT_SECURITY_HIGH',
        severity: 'high',
        message: `Contract security ${fmt(contract.percent)} % exceeds the 30 % maximum of 44-FZ art. 96`,
        sentence: contract.sentence,
      })
    else if (contract.percent >= RULES.contractSecurityHeavy)
      risks.push({
        code: 'CONTRACT_SECURITY_HIGH',
        severity: contract.percent >= 30 ? 'high' : 'medium',
        message: `Contract security ${fmt(contract.percent)} % (more with the anti-dumping ×1,5) makes a bank guarantee expensive`,
        sentence: contract.sentence,
      })
  }

  for (const p of analysis.penalties) {
    if (
      p.kind === 'penalty' &&
      p.basis === 'contract-price' &&
      p.percent !== undefined &&
      p.perDay
    ) {
      const yearly = Math.round(p.percent * 365 * 100) / 100
      if (is44)
        risks.push({
          code: 'PENALTY_ABOVE_NORM',
          severity: 'high',
          message: `Пени ${fmt(p.percent)} % a day instead of 1/300 of the ЦБ key rate (Decree 1042): as much as a ${fmt(Math.round(p.percent * 300 * 100) / 100)} % key rate`,
          sentence: p.sentence,
        })
      else if (p.percent >= RULES.dailyPenaltyHeavyPercent)
        risks.push({
          code: 'PENALTY_ABOVE_NORM',
          severity: p.percent >= 0.3 ? 'high' : 'medium',
          message: `Пени ${fmt(p.percent)} % of the price a day (${fmt(yearly)} % a year) — well above the 44-FZ norm of 1/300 of the key rate`,
          sentence: p.sentence,
        })
    }
    if (p.kind === 'penalty' && p.basis === 'key-rate' && p.fraction && p.fraction !== '1/300')
      risks.push({
        code: 'PENALTY_ABOVE_NORM',
        severity: 'high',
        message: `Пени ${p.fraction} of the key rate a day, above the 1/300 of Decree 1042`,
        sentence: p.sentence,
      })
    if (p.kind === 'fine' && p.percent !== undefined && is44 && nmckMinor !== undefined) {
      const norm = fineNorm44(nmckMinor / 100)
      if (p.percent > norm)
        risks.push({
          code: 'FINE_ABOVE_NORM',
          severity: 'high',
          message: `Fine ${fmt(p.percent)} % of the price; Decree 1042 sets ${fmt(norm)} % at this НМЦК`,
          sentence: p.sentence,
        })
    }
  }

  for (const sentence of sentences) {
    if (VAGUE.test(sentence))
      risks.push({
        code: 'VAGUE_SPECIFICATION',
        severity: 'medium',
        message:
          'Open-ended wording: the scope or characteristics can be widened after the contract is signed',
        sentence,
      })
    const withoutParentheses = sentence.replace(/\([^)]*\)/g, '')
    if (
      (BRAND_MODEL.test(withoutParentheses) || BRAND_WORDS.test(sentence)) &&
      !/эквивалент/iu.test(sentence)
    )
      risks.push({
        code: 'BRAND_WITHOUT_EQUIVALENT',
        severity: is44 ? 'high' : 'medium',
        message: is44
          ? 'A brand or model without "или эквивалент" (44-FZ art. 33): only that product qualifies'
          : 'A brand or model without "или эквивалент": only that product qualifies',
        sentence,
      })
  }

  const advance = analysis.advance
  if (!advance?.provided) {
    const sentence = advance?.sentence ?? analysis.payment?.sentence
    risks.push({
      code: 'NO_ADVANCE',
      severity: 'low',
      message: advance
        ? 'No advance payment: the whole delivery is financed by the supplier until acceptance'
        : 'No advance payment is mentioned: plan to finance the delivery yourself',
      ...(sentence ? { sentence } : {}),
    })
  }

  const pay = analysis.payment
  if (pay) {
    const long =
      pay.dayType === 'working'
        ? pay.days > RULES.paymentMaxWorkingDays
        : pay.days > RULES.paymentMaxCalendarDays
    if (long)
      risks.push({
        code: 'LONG_PAYMENT_TERM',
        severity: is44 || smbOnly ? 'high' : 'medium',
        message: `Payment ${pay.days} ${pay.dayType} days after acceptance${is44 || smbOnly ? ', beyond the 7 working days the law sets for this purchase' : ''}`,
        sentence: pay.sentence,
      })
  }

  for (const r of analysis.qualificationRequirements) {
    if (r.kind === 'dealer')
      risks.push({
        code: 'RESTRICTIVE_REQUIREMENT',
        severity: 'medium',
        message:
          'A dealer or manufacturer authorisation is demanded: it limits who can bid (a ground for a complaint to the FAS under 44-FZ)',
        sentence: r.sentence,
      })
    if (r.kind === 'experience')
      risks.push({
        code: 'EXPERIENCE_REQUIRED',
        severity: 'low',
        message:
          'Prior contracts must be proven: check that yours match the amount and period asked',
        sentence: r.sentence,
      })
  }
  return risks
}
