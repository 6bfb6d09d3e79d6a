import { fileURLToPath } from 'node:url'
import { SkillOSError } from '@skillos/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSkillOS, type SkillOS } from './skillos.js'

// The 15 skills the first users run, loaded as an app loads them.
const SKILLS = fileURLToPath(new URL('../../../skills', import.meta.url))
const analyst = { id: 'u1', roles: ['analyst'] }

describe('routing.threshold', () => {
  let strict: SkillOS
  beforeAll(async () => {
    strict = await createSkillOS({
      skills: [SKILLS],
      database: 'memory://',
      config: { routing: { threshold: 0.6 } },
    })
  }, 60_000)
  afterAll(async () => {
    await strict?.close()
  })
  const run = (input: string) => strict.run({ input, tenant: 'acme', principal: analyst })

  it('refuses a weak one-word match with NO_MATCH and the near misses, and still runs a clear one', async () => {
    const weak = await strict.route('set an alarm for 7 am', { tenant: 'acme' })
    expect(weak.skill).toBeNull()
    expect(weak.confidence).toBeGreaterThan(0.4)
    expect(weak.confidence).toBeLessThan(0.6)
    expect(weak.candidates[0]?.id).toBe('finance/track-budget')

    const refused = await run('set an alarm for 7 am')
    expect(refused.status).toBe('refused')
    expect(refused.error?.code).toBe('NO_MATCH')

    const clear = await run('convert 250 EUR to RUB')
    expect(clear.status).toBe('succeeded')
    expect(clear.skill?.id).toBe('finance/convert-currency')
  })

  it('refuses a threshold outside 0–1, naming the field', async () => {
    const error = await createSkillOS({
      skills: [SKILLS],
      database: 'memory://',
      config: { routing: { threshold: 1.5 } },
    }).catch((e: unknown) => e)
    expect(SkillOSError.is(error, 'CONFIG_INVALID')).toBe(true)
    expect((error as Error).message).toContain('routing.threshold')
  })
})
