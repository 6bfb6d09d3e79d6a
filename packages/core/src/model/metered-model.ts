import type { Budget } from '@skillos/budget'
import { SkillOSError, type SkillModel } from '@skillos/contracts'
import type { ModelProvider, ModelRequest, ModelResponse } from './model-provider.js'

/** Output tokens held for a request that does not say `maxTokens` (and asked of the provider). */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1024

export interface ModelUsage {
  inputTokens: number
  outputTokens: number
  costUsd: number
}

export interface MeteredModelOptions {
  /** Absent: calls are not metered (usage is still reported to `onUsage`, at cost 0). */
  budget?: Pick<Budget, 'prices' | 'reserve' | 'commit' | 'release'>
  tenant: string
  /** The principal id the run acts for. */
  user: string
  skill?: string
  runId: string
  /** The run's signal: cancels a model call in flight. */
  signal: AbortSignal
  /** After each successful call: tokens used and what they cost. */
  onUsage?(usage: ModelUsage): void
}

/** Tokens a text will take, over-estimated (about 3 characters a token) so the hold is enough. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3)
}

function notConfigured(): SkillOSError {
  return new SkillOSError({
    code: 'MODEL_NOT_CONFIGURED',
    message:
      'This skill calls a language model, but none is configured. Set SKILLOS_MODEL_PROVIDER (openai or anthropic), SKILLOS_MODEL_NAME and SKILLOS_MODEL_API_KEY (and SKILLOS_MODEL_BASE_URL for an OpenAI-compatible server), or the `model` section of skillos.config.*.',
  })
}

/**
 * `ctx.model` for one run: every call holds its most expensive outcome against the budget before it
 * starts (refused with `BUDGET_EXCEEDED` when that would cross a hard limit), then charges the tokens
 * really used and frees the rest; a failed call frees its hold. A `cap-max-tokens` degradation the
 * budget returns lowers `maxTokens`. Without a provider every call rejects with
 * `MODEL_NOT_CONFIGURED`, saying how to configure one.
 *
 * @example
 * ```ts
 * const model = createMeteredModel(createModelProvider(config.model), {
 *   budget, tenant: 'acme', user: 'ann', skill: 'research/digest', runId, signal: run.signal,
 *   onUsage: (usage) => totals.add(usage),
 * })
 * const { text } = await model.generate({ prompt: 'Summarise: …', maxTokens: 400 })
 * ```
 */
export function createMeteredModel(
  provider: ModelProvider | undefined,
  options: MeteredModelOptions,
): SkillModel {
  const { budget } = options

  function call(
    model: ModelProvider,
    request: ModelRequest,
    maxTokens: number,
  ): Promise<ModelResponse> {
    const signal = request.signal
      ? AbortSignal.any([request.signal, options.signal])
      : options.signal
    return model.generate({ ...request, maxTokens, signal })
  }

  return {
    async generate(request) {
      if (!provider) throw notConfigured()
      let maxTokens = request.maxTokens ?? DEFAULT_MAX_OUTPUT_TOKENS
      if (!budget) {
        const response = await call(provider, request, maxTokens)
        options.onUsage?.({ ...response.usage, costUsd: 0 })
        return response
      }

      const inputTokens = estimateTokens(`${request.system ?? ''}\n${request.prompt}`)
      const who = {
        tenant: options.tenant,
        user: options.user,
        runId: options.runId,
        ...(options.skill === undefined ? {} : { skill: options.skill }),
      }
      // A model without a price still counts against token limits, at no cost.
      const priced = budget.prices.has(provider.model)
      const { reservation, degradations } = await budget.reserve(
        priced
          ? { ...who, model: provider.model, inputTokens, maxOutputTokens: maxTokens }
          : { ...who, costUsd: 0, tokens: inputTokens + maxTokens },
      )
      for (const degradation of degradations) {
        if (degradation.action === 'cap-max-tokens' && degradation.maxOutputTokens !== undefined) {
          maxTokens = Math.min(maxTokens, degradation.maxOutputTokens)
        }
      }

      let response: ModelResponse
      try {
        response = await call(provider, request, maxTokens)
      } catch (error) {
        await budget.release(reservation.id).catch(() => undefined)
        throw error
      }
      const committed = await budget.commit(reservation.id, {
        kind: 'model',
        inputTokens: response.usage.inputTokens,
        outputTokens: response.usage.outputTokens,
      })
      options.onUsage?.({ ...response.usage, costUsd: committed.costUsd })
      return response
    },
  }
}
