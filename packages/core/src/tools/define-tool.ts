import type { z } from 'zod'

/** What a tool's handler receives besides its input. */
export interface ToolCallContext {
  /** Aborted when the attempt times out or the run is cancelled: hand it to `fetch` and friends. */
  signal: AbortSignal
  tenant: string
  runId: string
  /** The id of the principal the run acts for. */
  principal: string
}

/**
 * A function type checked bivariantly in its parameters (as methods are), so a tool with a specific
 * input type still fits a `Record<string, ToolImplementation>`.
 */
type Bivariant<Args extends unknown[], R> = { method(...args: Args): R }['method']

/** A tool implementation registered with the orchestrator. */
export interface ToolImplementation<I = unknown, O = unknown> {
  description?: string
  /** Checked before every call; a bad input is `VALIDATION_FAILED` naming the tool and the field. */
  input?: z.ZodType<I>
  handler(input: I, context: ToolCallContext): Promise<O> | O
  /** USD per call, or computed from input and output; charged to the run's budget. */
  costUsd?: number | Bivariant<[input: I, output: O], number>
  /**
   * Which failures are worth retrying. Default: network errors (`ECONNRESET`, `fetch failed`, …),
   * SkillOS `UNAVAILABLE` / `UPSTREAM_FAILED` / `TIMEOUT`, and errors with an HTTP `status` of 408,
   * 429 or 5xx. A timed-out attempt is offered as the `TIMEOUT` error; anything else as thrown.
   */
  retryable?: (error: unknown) => boolean
}

/**
 * Declare a tool with its input and output types inferred from the schema and the handler.
 *
 * @example
 * ```ts
 * const geocode = defineTool({
 *   input: z.object({ address: z.string().min(1) }),
 *   costUsd: 0.005,
 *   async handler({ address }, { signal }) {
 *     const response = await fetch(`https://maps.example.com/geocode?q=${encodeURIComponent(address)}`, { signal })
 *     return (await response.json()) as { lat: number; lon: number }
 *   },
 * })
 * ```
 */
export function defineTool<I, O>(tool: ToolImplementation<I, O>): ToolImplementation<I, O> {
  return tool
}
