import { SkillOSError, maskUrl } from '@skillos/contracts'
import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { toCriteria } from './lib/criteria.js'
import { queryTerms } from './lib/keywords.js'
import { LAWS } from './lib/notice.js'
import { createLiveProvider, createOfflineProvider, type NoticeProvider } from './lib/providers.js'
import { extractSearchFields } from './lib/request-text.js'
import { searchNotices, type SearchHit } from './lib/search.js'

const MAX_RESULTS = 20
const DAY_MS = 24 * 60 * 60 * 1000
const offline = createOfflineProvider(new URL('./fixtures/notices.json', import.meta.url))

/** 2500000 → "2 500 000,00" (Russian grouping, kopecks), for the one-line summary. */
const rub = (amount: number): string =>
  amount.toLocaleString('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

const tenderSchema = z.object({
  purchaseNumber: z.string(),
  law: z.enum(LAWS),
  title: z.string(),
  placingWay: z.string(),
  customer: z.string(),
  customerInn: z.string(),
  regionCode: z.string(),
  region: z.string(),
  nmck: z.number(),
  currency: z.string(),
  publishedAt: z.string(),
  submissionDeadline: z.string(),
  open: z.boolean(),
  daysLeft: z.number().int(),
  deliveryPlace: z.string().optional(),
  okpd2: z.array(z.string()),
  url: z.string().optional(),
  score: z.number(),
  matchedKeywords: z.array(z.string()),
})

function providerFor(config: Readonly<Record<string, unknown>>): NoticeProvider {
  const { feedUrl, timeoutMs } = config
  if (feedUrl === undefined || feedUrl === null || feedUrl === '') return offline
  if (typeof feedUrl !== 'string' || !/^https?:\/\//i.test(feedUrl)) {
    throw new SkillOSError({
      code: 'CONFIG_INVALID',
      message: `skills.settings["zakupki/search-tenders"].feedUrl: must be an http(s) URL, got ${typeof feedUrl === 'string' ? `"${maskUrl(feedUrl)}"` : typeof feedUrl}`,
    })
  }
  return createLiveProvider(feedUrl, typeof timeoutMs === 'number' ? { timeoutMs } : {})
}

function toTender(hit: SearchHit, asOfMs: number): z.input<typeof tenderSchema> {
  const { record, nmckMinor, deadlineMs } = hit.notice
  return {
    purchaseNumber: record.purchaseNumber,
    law: record.law,
    title: record.purchaseObjectInfo,
    placingWay: record.placingWay.name,
    customer: record.customer.fullName,
    customerInn: record.customer.inn,
    regionCode: record.customer.regionCode,
    region: record.customer.regionName,
    nmck: nmckMinor / 100,
    currency: record.maxPrice.currency,
    publishedAt: record.publishDate,
    submissionDeadline: record.collectingEndDate,
    open: hit.open,
    daysLeft: Math.floor((deadlineMs - asOfMs) / DAY_MS),
    ...(record.deliveryPlace ? { deliveryPlace: record.deliveryPlace } : {}),
    okpd2: record.okpd2.map((o) => `${o.code} ${o.name}`),
    ...(record.href ? { url: record.href } : {}),
    score: hit.score,
    matchedKeywords: hit.matchedTerms,
  }
}

export default defineSkill({
  input: z.object({
    query: z.string().optional(),
    region: z.string().optional(),
    law: z.enum(LAWS).optional(),
    minPrice: z.number().min(0).optional(),
    maxPrice: z.number().min(0).optional(),
    deadlineFrom: z.string().optional(),
    deadlineTo: z.string().optional(),
    customer: z.string().optional(),
  }),
  output: z.object({
    source: z.object({
      kind: z.enum(['offline', 'live']),
      name: z.string(),
      asOf: z.string(),
    }),
    criteria: z.object({
      keywords: z.array(z.string()),
      region: z.string().optional(),
      regionCode: z.string().optional(),
      law: z.enum(LAWS).optional(),
      minPrice: z.number().optional(),
      maxPrice: z.number().optional(),
      deadlineFrom: z.string().optional(),
      deadlineTo: z.string().optional(),
      customer: z.string().optional(),
      openOnly: z.boolean(),
    }),
    total: z.number().int(),
    tenders: z.array(tenderSchema),
    summary: z.string(),
  }),
  extract: (text, blocks) => extractSearchFields(text, blocks),
  async handler(input, ctx) {
    const criteria = toCriteria(input)
    const source = await providerFor(ctx.config)(ctx.signal)
    const hits = searchNotices(source.notices, criteria, source.asOfMs)
    ctx.log.info('tenders searched', { source: source.kind, total: hits.length })
    const tenders = hits.slice(0, MAX_RESULTS).map((hit) => toTender(hit, source.asOfMs))
    const best = tenders[0]
    const asOf = new Date(source.asOfMs).toISOString().slice(0, 10)
    const summary = best
      ? `${hits.length} notice${hits.length === 1 ? '' : 's'} match (${source.kind} data of ${asOf}); ` +
        `best: №${best.purchaseNumber} ${best.law} «${best.title}», ${best.customer}, ` +
        `НМЦК ${rub(best.nmck)} ${best.currency}, bids until ${best.submissionDeadline.slice(0, 10)}`
      : `No notices match (${source.kind} data of ${asOf})`
    return {
      source: {
        kind: source.kind,
        name: source.name,
        asOf: new Date(source.asOfMs).toISOString(),
      },
      criteria: {
        keywords: criteria.query ? queryTerms(criteria.query).map((t) => t.word) : [],
        ...(criteria.region
          ? { region: criteria.region.nameRu, regionCode: criteria.region.code }
          : {}),
        ...(criteria.law ? { law: criteria.law } : {}),
        ...(criteria.minPriceMinor !== undefined ? { minPrice: criteria.minPriceMinor / 100 } : {}),
        ...(criteria.maxPriceMinor !== undefined ? { maxPrice: criteria.maxPriceMinor / 100 } : {}),
        ...(criteria.deadlineFrom ? { deadlineFrom: criteria.deadlineFrom } : {}),
        ...(criteria.deadlineTo ? { deadlineTo: criteria.deadlineTo } : {}),
        ...(criteria.customer ? { customer: criteria.customer } : {}),
        openOnly: !criteria.deadlineFrom && !criteria.deadlineTo,
      },
      total: hits.length,
      tenders,
      summary,
    }
  },
})
