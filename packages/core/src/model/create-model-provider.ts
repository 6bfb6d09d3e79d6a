import { ConfigError, type Config, type ValidationIssue } from '@skillos/contracts'
import { createAnthropicProvider } from './anthropic-provider.js'
import type { ModelProvider } from './model-provider.js'
import { createOpenAIProvider } from './openai-provider.js'

/** The OpenAI API, when `model.baseUrl` is not set. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1'

/**
 * The model provider the `model` section of the configuration describes; `undefined` when
 * `model.provider` is not set (skills then run without `ctx.model`). A section that names a provider
 * but lacks what it needs is a `ConfigError` naming the variable to set.
 *
 * @example
 * ```ts
 * const config = resolveConfig({ env: process.env })
 * const provider = createModelProvider(config.model) // SKILLOS_MODEL_PROVIDER=anthropic …
 * ```
 */
export function createModelProvider(
  config: Config['model'],
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): ModelProvider | undefined {
  if (config.provider === undefined) return undefined
  const issues: ValidationIssue[] = []
  if (config.name === undefined) {
    issues.push({
      path: 'SKILLOS_MODEL_NAME (model.name)',
      message: `is required for provider "${config.provider}", e.g. ${config.provider === 'openai' ? 'gpt-4o-mini' : 'claude-sonnet-4-5'}`,
    })
  }
  if (config.provider === 'anthropic' && config.apiKey === undefined) {
    issues.push({
      path: 'SKILLOS_MODEL_API_KEY (model.apiKey)',
      message: 'is required for provider "anthropic"',
    })
  }
  if (issues.length > 0 || config.name === undefined) {
    throw new ConfigError(
      `Invalid SkillOS configuration: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    )
  }
  const shared = {
    model: config.name,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  }
  if (config.provider === 'anthropic') {
    return createAnthropicProvider({
      ...shared,
      apiKey: config.apiKey ?? '',
      ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    })
  }
  return createOpenAIProvider({
    ...shared,
    baseUrl: config.baseUrl ?? OPENAI_DEFAULT_BASE_URL,
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
  })
}
