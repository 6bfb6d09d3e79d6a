import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { analyzeTenderDocument, foundAnything } from './analyze.js'

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')

describe('analyzeTenderDocument on the 44-FZ frozen fish notice', () => {
  const a = analyzeTenderDocument(fixture('notice-44fz-fish-school.txt'))

  it('reads the law, number, НМЦК and securities', () => {
    expect(a.law).toBe('44-FZ')
    expect(a.purchaseNumber).toBe('0373200041526000101')
    expect(a.nmck?.amount).toBe(2_845_600)
    expect(a.bidSecurity).toMatchObject({
      required: true,
      percent: 1,
      amount: 28_456,
      basis: 'nmck',
    })
    expect(a.bidSecurity?.amountComputed).toBeUndefined()
    expect(a.contractSecurity).toMatchObject({
      required: true,
      percent: 10,
      basis: 'contract-price',
    })
    expect(a.contractSecurity?.amount).toBeUndefined()
    expect(a.advance?.provided).toBe(false)
    expect(a.payment).toMatchObject({ days: 7, dayType: 'working' })
  })

  it('reads the deadlines', () => {
    expect(a.deadlines.map(({ sentence: _s, ...d }) => d)).toEqual([
      { kind: 'submission', date: '2026-11-20', time: '09:00' },
      { kind: 'results', date: '2026-11-24' },
      { kind: 'delivery', days: 2, dayType: 'calendar' },
      { kind: 'contract-end', date: '2027-06-30' },
    ])
  })

  it('reads delivery terms, requirements and penalties', () => {
    expect(a.deliveryTerms.map((d) => d.kind)).toEqual([
      'batches',
      'place',
      'logistics',
      'storage',
      'shelf-life',
    ])
    expect(a.qualificationRequirements.map((r) => r.kind)).toEqual(['general', 'smb-only'])
    expect(a.penalties.map(({ sentence: _s, ...p }) => p)).toEqual([
      { kind: 'penalty', basis: 'key-rate', fraction: '1/300', perDay: true },
      { kind: 'fine', basis: 'contract-price', percent: 10, perDay: false },
    ])
  })

  it('flags only the short delivery and the absent advance', () => {
    expect(a.risks.map((r) => [r.code, r.severity, r.sentence])).toEqual([
      [
        'SHORT_DELIVERY',
        'high',
        'Срок поставки каждой партии: в течение 2 (двух) календарных дней с момента получения заявки заказчика.',
      ],
      ['NO_ADVANCE', 'low', '6. Аванс не предусмотрен.'],
    ])
  })
})

describe('analyzeTenderDocument on the 44-FZ furniture and office equipment notice', () => {
  const a = analyzeTenderDocument(fixture('notice-44fz-office-it.txt'))

  it('computes the bid security from the НМЦК when only a percentage is given', () => {
    expect(a.nmck?.amount).toBe(4_215_000)
    expect(a.bidSecurity).toMatchObject({ percent: 3, amount: 126_450, amountComputed: true })
  })

  it('raises every risk it contains', () => {
    expect(a.risks.map((r) => `${r.code}:${r.severity}`)).toEqual([
      'SHORT_DELIVERY:medium',
      'BID_SECURITY_HIGH:high',
      'CONTRACT_SECURITY_HIGH:high',
      'PENALTY_ABOVE_NORM:high',
      'FINE_ABOVE_NORM:high',
      'BRAND_WITHOUT_EQUIVALENT:high',
      'BRAND_WITHOUT_EQUIVALENT:high',
      'VAGUE_SPECIFICATION:medium',
      'VAGUE_SPECIFICATION:medium',
      'VAGUE_SPECIFICATION:medium',
      'NO_ADVANCE:low',
      'LONG_PAYMENT_TERM:high',
      'EXPERIENCE_REQUIRED:low',
      'RESTRICTIVE_REQUIREMENT:medium',
    ])
    expect(a.risks.find((r) => r.code === 'FINE_ABOVE_NORM')?.message).toBe(
      'Fine 20 % of the price; Decree 1042 sets 5 % at this НМЦК',
    )
  })
})

describe('analyzeTenderDocument on the 223-FZ oysters request for quotations', () => {
  const a = analyzeTenderDocument(fixture('notice-223fz-oysters-hotel.txt'))

  it('reads a 223-FZ notice with security not required', () => {
    expect(a.law).toBe('223-FZ')
    expect(a.purchaseNumber).toBe('32614942561')
    expect(a.nmck?.amount).toBe(1_890_000)
    expect(a.bidSecurity).toMatchObject({ percent: 5, amount: 94_500 })
    expect(a.contractSecurity).toEqual({
      required: false,
      sentence: 'Обеспечение исполнения договора не требуется.',
    })
    expect(a.deadlines.find((d) => d.kind === 'delivery')).toMatchObject({ hours: 24 })
    expect(a.qualificationRequirements.map((r) => r.kind)).toEqual([
      'smb-only',
      'certification',
      'certification',
      'experience',
    ])
  })

  it('judges penalties against no 44-FZ norm but still flags 0,5 % a day', () => {
    expect(a.risks.map((r) => `${r.code}:${r.severity}`)).toEqual([
      'SHORT_DELIVERY:high',
      'BID_SECURITY_HIGH:medium',
      'PENALTY_ABOVE_NORM:high',
      'VAGUE_SPECIFICATION:medium',
      'NO_ADVANCE:low',
      'LONG_PAYMENT_TERM:high',
      'EXPERIENCE_REQUIRED:low',
    ])
  })
})

describe('foundAnything', () => {
  it('is false for a text that is not a tender document', () => {
    expect(foundAnything(analyzeTenderDocument('Купить устриц к ужину и позвонить маме.'))).toBe(
      false,
    )
  })
})
