import { ValidationError, type ModelPrice } from '@skillos/contracts'
import { MICROS_PER_USD } from './money.js'

/** When the built-in prices were last checked against the providers' price pages. */
export const BUILT_IN_PRICES_AS_OF = '2025-11'

/**
 * List prices in US dollars per 1M tokens (standard tier, no batch or cache discounts) of well-known
 * models. Prices change: override or extend them with `budget.prices` in the configuration.
 */
export const BUILT_IN_PRICES: Readonly<Record<string, { input: number; output: number }>> = {
  // OpenAI
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  // Anthropic
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  // Google (prompts up to 200k tokens)
  'gemini-2.5-pro': { input: 1.25, output: 10 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4 },
}

/** A model's price as the budget uses it: integer micro-dollars per 1M tokens. */
export interface ResolvedPrice {
  /** The name the price is listed under (`claude-sonnet-4-5` for `claude-sonnet-4-5-20250929`). */
  model: string
  source: 'config' | 'built-in'
  inputMicrosPerMTok: number
  outputMicrosPerMTok: number
}

export interface PriceTable {
  /** The price of `model`, or a `ValidationError` naming the model and `where` it was asked for. */
  resolve(model: string, where: string): ResolvedPrice
  has(model: string): boolean
  /** Cost in micro-dollars, rounded up to a whole micro-dollar (a budget never under-charges). */
  cost(model: string, inputTokens: number, outputTokens: number, where: string): number
  /** Every model with a price: configured ones first. */
  models(): string[]
}

const PROVIDER_PREFIX = /^(?:openai|anthropic|google|models)\//
// `-20250929`, `-2024-08-06`, `@20250929` (Vertex), `-latest`
const VERSION_SUFFIX = /(?:[-@]\d{8}|-\d{4}-\d{2}-\d{2}|-latest)$/

/** The names to try for a model, most specific first. */
function candidates(model: string): string[] {
  const lower = model.toLowerCase()
  const bare = lower.replace(PROVIDER_PREFIX, '')
  return [...new Set([lower, bare, bare.replace(VERSION_SUFFIX, '')])]
}

function perMillionMicros(usd: number): number {
  return Math.round(usd * MICROS_PER_USD)
}

/**
 * The price table the budget meters with: the built-in prices, overridden and extended by the
 * configured ones (`budget.prices`). Names match case-insensitively, with or without a provider
 * prefix (`openai/gpt-4o`) or a version date (`claude-sonnet-4-5-20250929`).
 *
 * @example
 * ```ts
 * const prices = createPriceTable({ 'my-model': { input: 0.5, output: 1.5, currency: 'USD' } })
 * prices.cost('gpt-4o-mini', 1_000, 500, 'estimate') // 450 micro-dollars
 * ```
 */
export function createPriceTable(overrides: Readonly<Record<string, ModelPrice>> = {}): PriceTable {
  const table = new Map<string, ResolvedPrice>()
  for (const [model, price] of Object.entries(BUILT_IN_PRICES)) {
    table.set(model, {
      model,
      source: 'built-in',
      inputMicrosPerMTok: perMillionMicros(price.input),
      outputMicrosPerMTok: perMillionMicros(price.output),
    })
  }
  for (const [model, price] of Object.entries(overrides)) {
    table.set(model.toLowerCase(), {
      model,
      source: 'config',
      inputMicrosPerMTok: perMillionMicros(price.input),
      outputMicrosPerMTok: perMillionMicros(price.output),
    })
  }
  const cache = new Map<string, ResolvedPrice | null>()

  function lookup(model: string): ResolvedPrice | null {
    let found = cache.get(model)
    if (found === undefined) {
      found = null
      for (const name of candidates(model)) {
        const price = table.get(name)
        if (price) {
          found = price
          break
        }
      }
      if (cache.size > 10_000) cache.clear()
      cache.set(model, found)
    }
    return found
  }

  const prices: PriceTable = {
    resolve(model, where) {
      const found = lookup(model)
      if (found) return found
      const known = prices.models()
      throw new ValidationError(
        `Unknown model "${model}" in ${where}: it has no price in budget.prices or the built-in table. ` +
          `Add it under budget.prices (USD per 1M tokens), or use one of: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`,
        [{ path: 'model', message: `unknown model "${model}" (no price)` }],
        { details: { model, where } },
      )
    },
    has: (model) => lookup(model) !== null,
    cost(model, inputTokens, outputTokens, where) {
      const price = prices.resolve(model, where)
      const scaled =
        BigInt(inputTokens) * BigInt(price.inputMicrosPerMTok) +
        BigInt(outputTokens) * BigInt(price.outputMicrosPerMTok)
      // Micro-dollars per 1M tokens × tokens / 1M, rounded up.
      const micros = Number((scaled + 999_999n) / 1_000_000n)
      if (!Number.isSafeInteger(micros)) {
        throw new ValidationError(`${where}: the cost of ${model} for these tokens is too large`, [
          { path: 'inputTokens', message: 'cost is too large' },
        ])
      }
      return micros
    },
    models() {
      const configured = [...table.values()]
        .filter((p) => p.source === 'config')
        .map((p) => p.model)
      const builtIn = [...table.values()].filter((p) => p.source === 'built-in').map((p) => p.model)
      return [...configured, ...builtIn]
    },
  }
  return prices
}

/** The form names are compared in: lower case, no provider prefix, no version date. */
export function canonicalModelName(model: string): string {
  return candidates(model).at(-1) ?? model.toLowerCase()
}
