import { SkillOSError } from '@skillos/contracts'
import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { summarizeAbstractive } from './lib/abstractive.js'
import { summarizeExtractive } from './lib/extractive.js'
import { detectLanguage } from './lib/language.js'
import { splitSentences } from './lib/sentences.js'
import { summaryLength } from './lib/summary-length.js'

const language = z.enum(['en', 'ru'])

export default defineSkill({
  input: z.object({
    document: z.string(),
    fileName: z.string().optional(),
    sentences: z.number().int().min(1).max(100).optional(),
    ratio: z.number().gt(0).max(1).optional(),
    mode: z.enum(['auto', 'extractive', 'abstractive']).default('auto'),
  }),
  output: z.object({
    mode: z.enum(['extractive', 'abstractive']),
    language,
    summary: z.string(),
    sentences: z.array(z.object({ index: z.number().int(), text: z.string(), score: z.number() })),
    totalSentences: z.number().int(),
    selectedSentences: z.number().int(),
    compressionRatio: z.number(),
    fileName: z.string().optional(),
    iterations: z.number().int().optional(),
    condensed: z.boolean().optional(),
    usage: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int() }).optional(),
  }),
  async handler(input, ctx) {
    const document = input.document.trim()
    if (!document) {
      throw new SkillOSError({ code: 'VALIDATION_FAILED', message: 'document: is empty' })
    }
    const total = splitSentences(document).length
    if (total === 0) {
      throw new SkillOSError({
        code: 'VALIDATION_FAILED',
        message: 'document: has no sentences to summarize (only headings, numbers or symbols)',
      })
    }
    const wanted = {
      ...(input.sentences !== undefined ? { sentences: input.sentences } : {}),
      ...(input.ratio !== undefined ? { ratio: input.ratio } : {}),
    }
    const fileName = input.fileName ? { fileName: input.fileName } : {}
    const ratioOf = (summary: string) =>
      Math.round((summary.length / document.length) * 1000) / 1000

    if (input.mode === 'abstractive' || (input.mode === 'auto' && ctx.model)) {
      const k = summaryLength(total, wanted)
      const lang = detectLanguage(document)
      const result = await summarizeAbstractive(ctx.model, {
        document,
        language: lang,
        sentences: k,
        ...fileName,
      })
      return {
        mode: 'abstractive' as const,
        language: lang,
        summary: result.summary,
        sentences: [],
        totalSentences: total,
        selectedSentences: k,
        compressionRatio: ratioOf(result.summary),
        condensed: result.condensed,
        usage: result.usage,
        ...fileName,
      }
    }

    const result = summarizeExtractive(document, wanted)
    ctx.log.info('textrank', { iterations: result.iterations, converged: result.converged })
    return {
      mode: 'extractive' as const,
      language: result.language,
      summary: result.summary,
      sentences: result.sentences,
      totalSentences: result.totalSentences,
      selectedSentences: result.sentences.length,
      compressionRatio: ratioOf(result.summary),
      iterations: result.iterations,
      ...fileName,
    }
  },
})
