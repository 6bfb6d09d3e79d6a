import { SkillOSError } from '@skillos/contracts'
import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { analyzeTenderDocument, foundAnything } from './lib/analyze.js'
import { RISK_CODES } from './lib/risks.js'
import { summarize } from './lib/summary.js'

const MAX_DOCUMENT_CHARS = 2_000_000

const securitySchema = z.object({
  required: z.boolean(),
  percent: z.number().optional(),
  amount: z.number().optional(),
  amountComputed: z.boolean().optional(),
  basis: z.enum(['nmck', 'contract-price']).optional(),
  sentence: z.string(),
})

export default defineSkill({
  input: z.object({
    document: z.string(),
    fileName: z.string().optional(),
  }),
  output: z.object({
    fileName: z.string().optional(),
    law: z.enum(['44-FZ', '223-FZ']).optional(),
    purchaseNumber: z.string().optional(),
    nmck: z
      .object({ amount: z.number(), currency: z.literal('RUB'), sentence: z.string() })
      .optional(),
    bidSecurity: securitySchema.optional(),
    contractSecurity: securitySchema.optional(),
    advance: z
      .object({ provided: z.boolean(), percent: z.number().optional(), sentence: z.string() })
      .optional(),
    payment: z
      .object({
        days: z.number(),
        dayType: z.enum(['working', 'calendar']),
        sentence: z.string(),
      })
      .optional(),
    deadlines: z.array(
      z.object({
        kind: z.enum(['submission', 'results', 'delivery', 'contract-end']),
        date: z.string().optional(),
        time: z.string().optional(),
        days: z.number().optional(),
        hours: z.number().optional(),
        dayType: z.enum(['working', 'calendar']).optional(),
        sentence: z.string(),
      }),
    ),
    deliveryTerms: z.array(
      z.object({
        kind: z.enum(['place', 'logistics', 'storage', 'shelf-life', 'batches']),
        sentence: z.string(),
      }),
    ),
    qualificationRequirements: z.array(
      z.object({
        kind: z.enum([
          'general',
          'smb-only',
          'experience',
          'license',
          'sro',
          'certification',
          'dealer',
        ]),
        sentence: z.string(),
      }),
    ),
    penalties: z.array(
      z.object({
        kind: z.enum(['penalty', 'fine']),
        basis: z.enum(['key-rate', 'contract-price']),
        fraction: z.string().optional(),
        percent: z.number().optional(),
        perDay: z.boolean(),
        sentence: z.string(),
      }),
    ),
    risks: z.array(
      z.object({
        code: z.enum(RISK_CODES),
        severity: z.enum(['low', 'medium', 'high']),
        message: z.string(),
        sentence: z.string().optional(),
      }),
    ),
    summary: z.string(),
  }),
  async handler(input) {
    const document = input.document
    if (document.trim() === '') {
      throw new SkillOSError({
        code: 'VALIDATION_FAILED',
        message: `document: is empty${input.fileName ? ` (${input.fileName})` : ''}; pass the text of the notice or specification`,
      })
    }
    if (document.length > MAX_DOCUMENT_CHARS) {
      throw new SkillOSError({
        code: 'VALIDATION_FAILED',
        message: `document: ${document.length} characters is more than the ${MAX_DOCUMENT_CHARS} this skill reads; pass the notice and the specification only`,
      })
    }
    const analysis = analyzeTenderDocument(document)
    if (!foundAnything(analysis)) {
      throw new SkillOSError({
        code: 'VALIDATION_FAILED',
        message: `document: does not look like a tender notice or specification${input.fileName ? ` (${input.fileName})` : ''}: no НМЦК, security, deadline, requirement or penalty clause found`,
      })
    }
    return {
      ...(input.fileName ? { fileName: input.fileName } : {}),
      ...analysis,
      summary: summarize(analysis),
    }
  },
})
