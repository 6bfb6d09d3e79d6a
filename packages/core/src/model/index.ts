export {
  ANTHROPIC_DEFAULT_MAX_TOKENS,
  createAnthropicProvider,
  type AnthropicProviderOptions,
} from './anthropic-provider.js'
export { createModelProvider, OPENAI_DEFAULT_BASE_URL } from './create-model-provider.js'
export {
  createMeteredModel,
  DEFAULT_MAX_OUTPUT_TOKENS,
  estimateTokens,
  type MeteredModelOptions,
  type ModelUsage,
} from './metered-model.js'
export type { ModelProvider, ModelRequest, ModelResponse } from './model-provider.js'
export { createOpenAIProvider, type OpenAIProviderOptions } from './openai-provider.js'
export { parseRetryAfter } from './provider-http.js'
