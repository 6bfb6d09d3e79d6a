import { SkillOSError, type SkillModel } from '@skillos/contracts'
import { rankSentences } from './extractive.js'
import type { Language } from './language.js'
import { topIndices } from './textrank.js'

/** Longest document text sent to the model, in characters (about 8 000 tokens). */
export const MAX_PROMPT_DOCUMENT_CHARS = 24_000

export interface AbstractiveRequest {
  document: string
  language: Language
  /** Most sentences the summary may have. */
  sentences: number
  fileName?: string
}

export interface AbstractiveSummary {
  summary: string
  usage: { inputTokens: number; outputTokens: number }
  /** True when the document was cut to its best TextRank sentences to fit the prompt. */
  condensed: boolean
}

/**
 * The document text the model gets: the whole document when it fits in `maxChars`, otherwise its
 * highest-ranked TextRank sentences that fit, in document order.
 */
export function fitDocument(
  document: string,
  maxChars: number = MAX_PROMPT_DOCUMENT_CHARS,
): { text: string; condensed: boolean } {
  const trimmed = document.trim()
  if (trimmed.length <= maxChars) return { text: trimmed, condensed: false }
  const { sentences, scores } = rankSentences(trimmed)
  const kept: number[] = []
  let length = 0
  for (const i of topIndices(scores, sentences.length)) {
    const size = (sentences[i]?.text.length ?? 0) + (kept.length > 0 ? 1 : 0)
    if (length + size > maxChars) continue
    kept.push(i)
    length += size
  }
  kept.sort((a, b) => a - b)
  return { text: kept.map((i) => sentences[i]?.text ?? '').join(' '), condensed: true }
}

/**
 * The system and user prompt of an abstractive summary: in the document's language, at most
 * `sentences` sentences, facts from the document only, no preamble.
 */
export function buildPrompt(
  request: AbstractiveRequest,
  documentText: string,
): { system: string; prompt: string } {
  const languageName = request.language === 'ru' ? 'Russian' : 'English'
  const source = request.fileName ? ` (${request.fileName})` : ''
  return {
    system:
      `You write faithful summaries. Use only facts stated in the document; keep numbers, names and dates exact. ` +
      `Answer in ${languageName}, as plain prose without a title, preamble or bullet points.`,
    prompt:
      `Summarize the document below in at most ${request.sentences} sentence${request.sentences === 1 ? '' : 's'}.\n\n` +
      `Document${source}:\n<<<\n${documentText}\n>>>`,
  }
}

/**
 * Summarize through the configured model (`ctx.model`, metered against the budget by the
 * orchestrator). Without a model: `MODEL_NOT_CONFIGURED`; an empty answer: `UPSTREAM_FAILED`.
 */
export async function summarizeAbstractive(
  model: SkillModel | undefined,
  request: AbstractiveRequest,
): Promise<AbstractiveSummary> {
  if (!model) {
    throw new SkillOSError({
      code: 'MODEL_NOT_CONFIGURED',
      message:
        'mode: an abstractive summary needs a language model, and none is configured. Configure a model provider (SKILLOS_MODEL_PROVIDER, SKILLOS_MODEL_NAME, SKILLOS_MODEL_API_KEY, or the `model` section of skillos.config.*), or ask for mode "extractive".',
    })
  }
  const fitted = fitDocument(request.document)
  const { system, prompt } = buildPrompt(request, fitted.text)
  const response = await model.generate({
    system,
    prompt,
    maxTokens: Math.min(1200, Math.max(200, request.sentences * 80)),
    temperature: 0.2,
  })
  const summary = response.text.replace(/\s+/g, ' ').trim()
  if (!summary) {
    throw new SkillOSError({
      code: 'UPSTREAM_FAILED',
      message: 'The model returned an empty summary',
    })
  }
  return { summary, usage: response.usage, condensed: fitted.condensed }
}
