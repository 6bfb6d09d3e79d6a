import { SKILL_DEFINITION, isSkillDefinition } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineSkill } from './index.js'

describe('defineSkill', () => {
  it('returns a frozen, marked definition whose handler runs', async () => {
    const skill = defineSkill({
      input: z.object({ a: z.number(), b: z.number() }),
      output: z.object({ sum: z.number() }),
      handler: ({ a, b }) => ({ sum: a + b }),
    })
    expect(skill[SKILL_DEFINITION]).toBe(true)
    expect(isSkillDefinition(skill)).toBe(true)
    expect(Object.isFrozen(skill)).toBe(true)
    expect(await skill.handler({ a: 2, b: 3 }, {} as never)).toEqual({ sum: 5 })
  })

  it('rejects a definition without a handler function', () => {
    expect(() => defineSkill({ handler: 'nope' as never })).toThrow(/handler/)
  })
})
