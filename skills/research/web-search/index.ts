import { maskUrl, SkillOSError } from '@skillos/contracts'
import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { documentIndexFor } from './lib/documents-provider.js'
import { searchSearxng } from './lib/searxng.js'
import { extractSearchQuery } from './lib/request-query.js'
import { readSettings } from './lib/settings.js'

const language = z.enum(['en', 'ru'])

const resultSchema = z.object({
  rank: z.number().int(),
  title: z.string(),
  url: z.string(),
  snippet: z.string(),
  score: z.number(),
  publishedDate: z.string().optional(),
  engine: z.string().optional(),
  language: language.optional(),
})

export default defineSkill({
  input: z.object({
    query: z.string().min(1).max(500),
    limit: z.number().int().min(1).max(20).default(5),
    language: language.optional(),
  }),
  output: z.object({
    query: z.string(),
    provider: z.enum(['documents', 'searxng']),
    source: z.string(),
    language: language.optional(),
    results: z.array(resultSchema),
    total: z.number().int(),
    searchedDocuments: z.number().int().optional(),
  }),
  /** The words after "search the web for" / "найди в интернете", quoted or not. */
  extract(text) {
    const query = extractSearchQuery(text)
    return query ? { query } : undefined
  },
  async handler(input, ctx) {
    const settings = readSettings(ctx.config)
    const query = input.query.replace(/\s+/g, ' ').trim()
    if (!query) {
      throw new SkillOSError({ code: 'VALIDATION_FAILED', message: 'query: is empty' })
    }
    const common = { query, ...(input.language ? { language: input.language } : {}) }

    if (settings.searxngUrl) {
      const found = await searchSearxng({
        baseUrl: settings.searxngUrl,
        query,
        limit: input.limit,
        timeoutMs: settings.timeoutMs,
        signal: ctx.signal,
        ...(input.language ? { language: input.language } : {}),
      })
      return {
        ...common,
        provider: 'searxng' as const,
        source: maskUrl(settings.searxngUrl),
        ...found,
      }
    }

    const index = await documentIndexFor(settings.documentsDir)
    const found = index.search(query, {
      limit: input.limit,
      ...(input.language ? { language: input.language } : {}),
    })
    if (found.terms.length === 0) {
      throw new SkillOSError({
        code: 'VALIDATION_FAILED',
        message: `query: "${query}" has only stop words, nothing to search for`,
      })
    }
    ctx.log.info('searched local documents', { documents: index.size, matched: found.total })
    return {
      ...common,
      provider: 'documents' as const,
      source: settings.documentsDir,
      results: found.results,
      total: found.total,
      searchedDocuments: index.size,
    }
  },
})
