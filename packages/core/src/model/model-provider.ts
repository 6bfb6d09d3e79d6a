/** One completion request: a prompt, optionally with a system message. */
export interface ModelRequest {
  system?: string
  prompt: string
  /** Most output tokens to generate. */
  maxTokens?: number
  temperature?: number
  signal?: AbortSignal
}

export interface ModelResponse {
  text: string
  usage: { inputTokens: number; outputTokens: number }
  /** The model that answered, as the provider names it (may carry a version date). */
  model: string
}

/**
 * A language model behind an HTTP API. Errors are SkillOS errors: `UNAVAILABLE` (unreachable),
 * `UNAUTHENTICATED` (key refused), `RATE_LIMITED` (with `details.retryAfterMs`), `TIMEOUT`,
 * `CANCELLED`, `UPSTREAM_FAILED` (any other failure, with `details.status`). None carries the API key.
 */
export interface ModelProvider {
  /** `openai` or `anthropic`. */
  readonly name: string
  /** The model requests go to (`gpt-4o-mini`, `claude-sonnet-4-5`). */
  readonly model: string
  generate(request: ModelRequest): Promise<ModelResponse>
}
