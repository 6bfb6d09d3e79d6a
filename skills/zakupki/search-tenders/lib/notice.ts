import { z } from 'zod'

/** The laws a notice is published under. */
export const LAWS = ['44-FZ', '223-FZ'] as const
export type Law = (typeof LAWS)[number]

const isoDateTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date-time')

/**
 * One procurement notice as the ЕИС open data describes it (flattened to JSON): the offline
 * fixtures and a live feed both use this shape.
 */
export const noticeSchema = z.object({
  purchaseNumber: z.string().regex(/^\d{11}$|^\d{19}$/, 'must be 11 (223-FZ) or 19 (44-FZ) digits'),
  law: z.enum(LAWS),
  purchaseObjectInfo: z.string().min(1),
  placingWay: z.object({ code: z.string(), name: z.string() }),
  customer: z.object({
    fullName: z.string().min(1),
    inn: z.string().regex(/^\d{10}$|^\d{12}$/, 'must be 10 or 12 digits'),
    kpp: z.string().optional(),
    regionCode: z.string().regex(/^\d{2}$/, 'must be a two-digit region code'),
    regionName: z.string(),
  }),
  maxPrice: z.object({
    amount: z.union([z.string(), z.number()]),
    currency: z.string().regex(/^[A-Z]{3}$/),
  }),
  publishDate: isoDateTime,
  collectingEndDate: isoDateTime,
  deliveryPlace: z.string().optional(),
  okpd2: z.array(z.object({ code: z.string(), name: z.string() })).default([]),
  href: z.string().optional(),
})
export type NoticeRecord = z.infer<typeof noticeSchema>

/** A notice ready to search: the record plus its НМЦК in kopecks and its deadline as a timestamp. */
export interface Notice {
  record: NoticeRecord
  nmckMinor: number
  deadlineMs: number
}

/**
 * A decimal amount (`"2845600.00"`, `"2 845 600,5"`, `2845600.5`) in minor units (kopecks), exactly:
 * parsed from its digits, never through float arithmetic. Undefined when it is not a non-negative
 * amount with at most two decimals.
 *
 * @example
 * toMinorUnits('2845600.50') // 284560050
 */
export function toMinorUnits(amount: string | number): number | undefined {
  const text = typeof amount === 'number' ? String(amount) : amount.replace(/[\s\u00a0]/g, '')
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(text.replace(',', '.'))
  if (!m?.[1]) return undefined
  const minor = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  return Number.isSafeInteger(minor) ? minor : undefined
}

/** A problem with one record of a notice list: which record, which field, why. */
export interface NoticeProblem {
  index: number
  field: string
  message: string
}

/**
 * Validates a list of notice records and prepares them for search. Returns the notices and, for any
 * record that does not fit the shape, the first problem found (the caller decides how loud to be).
 */
export function parseNotices(data: unknown): { notices: Notice[]; problems: NoticeProblem[] } {
  const notices: Notice[] = []
  const problems: NoticeProblem[] = []
  if (!Array.isArray(data)) {
    return {
      notices,
      problems: [{ index: -1, field: '', message: 'expected a JSON list of notices' }],
    }
  }
  data.forEach((item: unknown, index) => {
    const parsed = noticeSchema.safeParse(item)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      problems.push({
        index,
        field: issue?.path.join('.') ?? '',
        message: issue?.message ?? 'invalid notice',
      })
      return
    }
    const nmckMinor = toMinorUnits(parsed.data.maxPrice.amount)
    if (nmckMinor === undefined) {
      problems.push({ index, field: 'maxPrice.amount', message: 'must be a non-negative amount' })
      return
    }
    notices.push({
      record: parsed.data,
      nmckMinor,
      deadlineMs: Date.parse(parsed.data.collectingEndDate),
    })
  })
  return { notices, problems }
}
