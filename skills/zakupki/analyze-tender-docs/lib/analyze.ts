import {
  findDates,
  findDurations,
  findMoney,
  findPercents,
  percentOf,
  toRoubles,
  type Duration,
} from './amounts.js'
import { assessRisks, type Risk } from './risks.js'
import { splitSentences } from './sentences.js'

export type Law = '44-FZ' | '223-FZ'

/** A security (bid or contract): required or not, its percentage and amount when stated. */
export interface Security {
  required: boolean
  percent?: number
  /** Roubles: as written, or computed from the percentage of НМЦК (`amountComputed`). */
  amount?: number
  amountComputed?: boolean
  basis?: 'nmck' | 'contract-price'
  sentence: string
}

export interface Deadline {
  kind: 'submission' | 'results' | 'delivery' | 'contract-end'
  date?: string
  time?: string
  days?: number
  hours?: number
  dayType?: 'working' | 'calendar'
  sentence: string
}

export interface DeliveryTerm {
  kind: 'place' | 'logistics' | 'storage' | 'shelf-life' | 'batches'
  sentence: string
}

export interface Requirement {
  kind: 'general' | 'smb-only' | 'experience' | 'license' | 'sro' | 'certification' | 'dealer'
  sentence: string
}

export interface Penalty {
  kind: 'penalty' | 'fine'
  /** 1/300 of the ЦБ key rate (the 44-FZ formula), or a percentage of the contract price. */
  basis: 'key-rate' | 'contract-price'
  fraction?: string
  percent?: number
  perDay: boolean
  sentence: string
}

/** Everything read from one notice or specification. */
export interface TenderAnalysis {
  law?: Law
  purchaseNumber?: string
  nmck?: { amount: number; currency: 'RUB'; sentence: string }
  bidSecurity?: Security
  contractSecurity?: Security
  advance?: { provided: boolean; percent?: number; sentence: string }
  payment?: { days: number; dayType: 'working' | 'calendar'; sentence: string }
  deadlines: Deadline[]
  deliveryTerms: DeliveryTerm[]
  qualificationRequirements: Requirement[]
  penalties: Penalty[]
  risks: Risk[]
}

const NOT_REQUIRED = /не\s+(?:требуется|установлен\p{L}*|предусмотрен\p{L}*|предоставляется)/iu
const NMCK = /начальн\p{L}*\s*\(?максимальн\p{L}*\)?\s*цен\p{L}*|нмц[кд]/iu
const BID_SECURITY = /обеспечени\p{L}*\s+(?:\p{L}+\s+)?заяв/iu
const CONTRACT_SECURITY =
  /обеспечени\p{L}*\s+исполнени\p{L}*\s+(?:\p{L}+\s+)?(?:контракт|договор)/iu

function detectLaw(document: string): Law | undefined {
  if (/223\s*-?\s*фз/iu.test(document)) return '223-FZ'
  if (/44\s*-?\s*фз|контракт/iu.test(document)) return '44-FZ'
  return undefined
}

function readSecurity(sentence: string, nmckMinor: number | undefined): Security {
  if (NOT_REQUIRED.test(sentence)) return { required: false, sentence }
  const percent = findPercents(sentence)[0]
  const money = findMoney(sentence)[0]
  const basis =
    /от\s+цены\s+(?:контракта|договора)|цены\s+(?:контракта|договора),\s+по\s+которой/iu.test(
      sentence,
    )
      ? 'contract-price'
      : NMCK.test(sentence)
        ? 'nmck'
        : undefined
  const security: Security = { required: true, sentence }
  if (percent !== undefined) security.percent = percent
  if (basis) security.basis = basis
  if (money) security.amount = toRoubles(money.minor)
  else if (percent !== undefined && basis === 'nmck' && nmckMinor !== undefined) {
    security.amount = toRoubles(percentOf(nmckMinor, percent))
    security.amountComputed = true
  }
  return security
}

function termOf(duration: Duration): Pick<Deadline, 'days' | 'hours' | 'dayType'> {
  if (duration.unit === 'hour') return { hours: duration.amount }
  const days = { day: 1, week: 7, month: 30, year: 365 }[duration.unit] * duration.amount
  return { days, dayType: duration.dayType ?? 'calendar' }
}

function readPenalty(sentence: string): Penalty | undefined {
  const isPenalty = /(?<![\p{L}])(?:пен[ияюеь]|пеня|неустойк)/iu.test(sentence)
  const isFine = /(?<![\p{L}])штраф/iu.test(sentence)
  if (!isPenalty && !isFine) return undefined
  const perDay = /кажд\p{L}*\s+(?:календарн\p{L}*\s+)?д(?:ень|ня)|в\s+день/iu.test(sentence)
  const fraction = /одн\p{L}*\s+трехсот\p{L}*|1\s*\/\s*300/iu.test(sentence)
    ? '1/300'
    : /одн\p{L}*\s+стопятидесят\p{L}*|1\s*\/\s*150/iu.test(sentence)
      ? '1/150'
      : undefined
  const percent = findPercents(sentence)[0]
  const keyRate = /ключев\p{L}*\s+ставк|ставк\p{L}*\s+рефинансирован/iu.test(sentence)
  return {
    kind: isPenalty && (perDay || keyRate || !isFine) ? 'penalty' : 'fine',
    basis: keyRate ? 'key-rate' : 'contract-price',
    ...(fraction ? { fraction } : {}),
    ...(percent !== undefined && !keyRate ? { percent } : {}),
    perDay: perDay || (isPenalty && keyRate),
    sentence,
  }
}

const DELIVERY_TERMS: [DeliveryTerm['kind'], RegExp][] = [
  ['place', /мест\p{L}*\s+(?:поставки|доставки|выполнения|оказания)/iu],
  ['batches', /партиями|по\s+заявкам/iu],
  ['storage', /температур|хранит\p{L}*|транспортир/iu],
  ['shelf-life', /срок\p{L}*\s+годности/iu],
  ['logistics', /доставк|разгрузк|подъем|сборк|установк|монтаж/iu],
]

const REQUIREMENTS: [Requirement['kind'], RegExp][] = [
  ['sro', /(?<![\p{L}])СРО(?![\p{L}])|саморегулируем/u],
  ['license', /лицензи/iu],
  ['experience', /опыт\p{L}*/iu],
  ['dealer', /дилер|авторизованн\p{L}*\s+партн/iu],
  ['certification', /сертификат|декларац\p{L}*\s+о\s+соответстви|меркурий|ветеринарн/iu],
  ['smb-only', /субъект\p{L}*\s+мал\p{L}*|(?<![\p{L}])(?:СМП|СОНО)(?![\p{L}])/u],
  ['general', /единые\s+требования|стать\p{L}*\s+31/iu],
]

/**
 * Reads a tender notice or specification (Russian): НМЦК, bid and contract security, advance and
 * payment term, deadlines, delivery terms, qualification requirements and penalty clauses, each
 * with the sentence it came from, then flags risks (see `assessRisks`).
 *
 * @example
 * const analysis = analyzeTenderDocument('Начальная (максимальная) цена контракта: 2 845 600,00 руб.')
 * analysis.nmck?.amount // 2845600
 */
export function analyzeTenderDocument(document: string): TenderAnalysis {
  const sentences = splitSentences(document).map((s) => s.text)
  const law = detectLaw(document)
  const analysis: TenderAnalysis = {
    ...(law ? { law } : {}),
    deadlines: [],
    deliveryTerms: [],
    qualificationRequirements: [],
    penalties: [],
    risks: [],
  }
  const number = /(?:№|закупк\p{L}*|извещени\p{L}*)\s*(?:№\s*)?(\d{19}|\d{11})(?!\d)/u.exec(
    document,
  )
  if (number?.[1]) analysis.purchaseNumber = number[1]

  let nmckMinor: number | undefined
  for (const sentence of sentences) {
    if (nmckMinor !== undefined) break
    if (!NMCK.test(sentence) || BID_SECURITY.test(sentence) || CONTRACT_SECURITY.test(sentence))
      continue
    const money = findMoney(sentence)[0]
    if (money) {
      nmckMinor = money.minor
      analysis.nmck = { amount: toRoubles(money.minor), currency: 'RUB', sentence }
    }
  }

  for (const sentence of sentences) {
    if (BID_SECURITY.test(sentence) && !analysis.bidSecurity)
      analysis.bidSecurity = readSecurity(sentence, nmckMinor)
    if (CONTRACT_SECURITY.test(sentence) && !analysis.contractSecurity)
      analysis.contractSecurity = readSecurity(sentence, nmckMinor)
    if (/аванс/iu.test(sentence) && !analysis.advance) {
      const percent = findPercents(sentence)[0]
      analysis.advance =
        NOT_REQUIRED.test(sentence) || /без\s+аванс/iu.test(sentence)
          ? { provided: false, sentence }
          : { provided: true, ...(percent !== undefined ? { percent } : {}), sentence }
    }
    const durations = findDurations(sentence)
    const firstDays = durations.find((d) => d.unit === 'day')
    if (
      /(?<![\p{L}])оплат|расчет\p{L}*\s+с\s+поставщ/iu.test(sentence) &&
      firstDays &&
      !analysis.payment
    ) {
      analysis.payment = {
        days: firstDays.amount,
        dayType: firstDays.dayType ?? 'calendar',
        sentence,
      }
    }
    const dates = findDates(sentence)
    const firstDate = dates[0]
    if (/подач\p{L}*\s+заяв/iu.test(sentence) && firstDate && !BID_SECURITY.test(sentence)) {
      analysis.deadlines.push({
        kind: 'submission',
        date: firstDate.date,
        ...(firstDate.time ? { time: firstDate.time } : {}),
        sentence,
      })
    } else if (/подведени\p{L}*\s+итог/iu.test(sentence) && firstDate) {
      analysis.deadlines.push({ kind: 'results', date: firstDate.date, sentence })
    } else if (
      /срок\p{L}*\s+действи\p{L}*\s+(?:контракт|договор)/iu.test(sentence) &&
      dates.length > 0
    ) {
      const last = dates[dates.length - 1]
      if (last) analysis.deadlines.push({ kind: 'contract-end', date: last.date, sentence })
    } else if (
      /срок\p{L}*\s+(?:поставки|выполнения|оказания)|(?:поставк\p{L}*|доставк\p{L}*)\s+(?:\p{L}+\s+)?осуществля\p{L}*\s+(?:в\s+течение|не\s+позднее)/iu.test(
        sentence,
      )
    ) {
      const term = durations.find((d) => d.unit !== 'year')
      if (term) analysis.deadlines.push({ kind: 'delivery', ...termOf(term), sentence })
      else if (firstDate)
        analysis.deadlines.push({ kind: 'delivery', date: firstDate.date, sentence })
    }
    for (const [kind, re] of DELIVERY_TERMS) {
      if (re.test(sentence) && !/(?<![\p{L}])оплат/iu.test(sentence)) {
        analysis.deliveryTerms.push({ kind, sentence })
        break
      }
    }
    for (const [kind, re] of REQUIREMENTS) {
      if (re.test(sentence) && !/(?<![\p{L}])(?:пен|штраф)/iu.test(sentence)) {
        analysis.qualificationRequirements.push({ kind, sentence })
        break
      }
    }
    const penalty = readPenalty(sentence)
    if (penalty) analysis.penalties.push(penalty)
  }
  analysis.risks = assessRisks(analysis, sentences, nmckMinor)
  return analysis
}

/** Whether anything tender-like was found at all (an unrelated text finds nothing). */
export function foundAnything(analysis: TenderAnalysis): boolean {
  return Boolean(
    analysis.nmck ||
    analysis.bidSecurity ||
    analysis.contractSecurity ||
    analysis.deadlines.length > 0 ||
    analysis.qualificationRequirements.length > 0 ||
    analysis.penalties.length > 0,
  )
}
