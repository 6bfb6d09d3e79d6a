import { z } from 'zod'
import type { ModelProvider } from './model-provider.js'
import { joinUrl, postJson } from './provider-http.js'

export interface AnthropicProviderOptions {
  /** Default `https://api.anthropic.com`. */
  baseUrl?: string
  apiKey: string
  model: string
  fetch?: typeof fetch
  /** Per request (default 60 000). */
  timeoutMs?: number
  /** The `anthropic-version` header (default `2023-06-01`). */
  version?: string
}

/** Anthropic requires `max_tokens`; this is what a request without `maxTokens` asks for. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024

const messageSchema = z.object({
  model: z.string().optional(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  usage: z.object({
    input_tokens: z.number().int().min(0),
    output_tokens: z.number().int().min(0),
  }),
})

/**
 * A model behind the Anthropic Messages API (`POST {baseUrl}/v1/messages`).
 *
 * @example
 * ```ts
 * const model = createAnthropicProvider({ apiKey, model: 'claude-haiku-4-5' })
 * const { text } = await model.generate({ prompt: 'Summarise: …', maxTokens: 300 })
 * ```
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): ModelProvider {
  const url = joinUrl(options.baseUrl ?? 'https://api.anthropic.com', 'v1/messages')
  return {
    name: 'anthropic',
    model: options.model,
    async generate(request) {
      const answer = await postJson(
        {
          provider: 'anthropic',
          url,
          headers: {
            'x-api-key': options.apiKey,
            'anthropic-version': options.version ?? '2023-06-01',
          },
          body: {
            model: options.model,
            max_tokens: request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
            ...(request.system === undefined ? {} : { system: request.system }),
            messages: [{ role: 'user', content: request.prompt }],
            ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          },
          fetch: options.fetch ?? fetch,
          timeoutMs: options.timeoutMs ?? 60_000,
          signal: request.signal,
          apiKey: options.apiKey,
        },
        messageSchema,
      )
      return {
        text: answer.content
          .flatMap((block) => (block.type === 'text' ? [block.text ?? ''] : []))
          .join(''),
        usage: {
          inputTokens: answer.usage.input_tokens,
          outputTokens: answer.usage.output_tokens,
        },
        model: answer.model ?? options.model,
      }
    },
  }
}
