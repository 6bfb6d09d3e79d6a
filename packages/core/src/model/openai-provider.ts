import { z } from 'zod'
import type { ModelProvider } from './model-provider.js'
import { joinUrl, postJson } from './provider-http.js'

export interface OpenAIProviderOptions {
  /** `https://api.openai.com/v1`, or any OpenAI-compatible server (vLLM, Ollama, LiteLLM, …). */
  baseUrl: string
  /** Sent as `Authorization: Bearer …`; optional for local servers. */
  apiKey?: string
  model: string
  /** Default the global `fetch`. */
  fetch?: typeof fetch
  /** Per request (default 60 000). */
  timeoutMs?: number
  /**
   * The request field for `maxTokens`: `max_completion_tokens` (default; what OpenAI's reasoning
   * models require) or `max_tokens` (older OpenAI-compatible servers).
   */
  maxTokensField?: 'max_completion_tokens' | 'max_tokens'
}

const chatCompletionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(z.object({ message: z.object({ content: z.string().nullable().optional() }) }))
    .min(1),
  usage: z.object({
    prompt_tokens: z.number().int().min(0),
    completion_tokens: z.number().int().min(0),
  }),
})

/**
 * A model behind the OpenAI chat completions API (`POST {baseUrl}/chat/completions`).
 *
 * @example
 * ```ts
 * const model = createOpenAIProvider({ baseUrl: 'https://api.openai.com/v1', apiKey, model: 'gpt-4o-mini' })
 * const { text, usage } = await model.generate({ system: 'Answer briefly.', prompt: 'Capital of Peru?' })
 * ```
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): ModelProvider {
  const url = joinUrl(options.baseUrl, 'chat/completions')
  const maxTokensField = options.maxTokensField ?? 'max_completion_tokens'
  return {
    name: 'openai',
    model: options.model,
    async generate(request) {
      const messages = [
        ...(request.system === undefined ? [] : [{ role: 'system', content: request.system }]),
        { role: 'user', content: request.prompt },
      ]
      const answer = await postJson(
        {
          provider: 'openai',
          url,
          headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
          body: {
            model: options.model,
            messages,
            ...(request.maxTokens === undefined ? {} : { [maxTokensField]: request.maxTokens }),
            ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          },
          fetch: options.fetch ?? fetch,
          timeoutMs: options.timeoutMs ?? 60_000,
          signal: request.signal,
          apiKey: options.apiKey,
        },
        chatCompletionSchema,
      )
      return {
        text: answer.choices[0]?.message.content ?? '',
        usage: {
          inputTokens: answer.usage.prompt_tokens,
          outputTokens: answer.usage.completion_tokens,
        },
        model: answer.model ?? options.model,
      }
    },
  }
}
