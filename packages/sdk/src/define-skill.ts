import { SKILL_DEFINITION, type SkillContext, type SkillDefinition } from '@skillos/contracts'
import type { ExtractionBlocks } from '@skillos/core'
import type { z } from 'zod'

/**
 * Declare a skill's handler with typed input and output. The loader checks that `input` and `output`
 * agree with the JSON Schemas in `skill.yaml`, and the orchestrator validates every call with them.
 *
 * @example
 * ```ts
 * import { defineSkill } from '@skillos/sdk'
 * import { z } from 'zod'
 *
 * export default defineSkill({
 *   input: z.object({ amount: z.number().positive(), from: z.string().length(3), to: z.string().length(3) }),
 *   output: z.object({ amount: z.number() }),
 *   async handler({ amount, from, to }, ctx) {
 *     const rate = (await ctx.tools['rates.get']!({ from, to })) as number
 *     return { amount: amount * rate }
 *   },
 * })
 * ```
 */
export function defineSkill<
  InputSchema extends z.ZodType = z.ZodType<Record<string, unknown>>,
  OutputSchema extends z.ZodType = z.ZodType<unknown>,
>(definition: {
  input?: InputSchema
  output?: OutputSchema
  handler: (
    input: z.output<InputSchema>,
    context: SkillContext,
  ) => z.input<OutputSchema> | Promise<z.input<OutputSchema>>
  /**
   * Find what generic extractors cannot (free-text keywords, domain codes) in the request text;
   * `blocks` holds the generic matches. Values win over generic ones, never over the caller's params.
   */
  extract?: (text: string, blocks: ExtractionBlocks) => Record<string, unknown> | undefined
}): SkillDefinition<z.output<InputSchema>, z.input<OutputSchema>> {
  if (typeof definition.handler !== 'function') {
    throw new TypeError('defineSkill: `handler` must be a function')
  }
  return Object.freeze({ ...definition, [SKILL_DEFINITION]: true as const }) as SkillDefinition<
    z.output<InputSchema>,
    z.input<OutputSchema>
  >
}
