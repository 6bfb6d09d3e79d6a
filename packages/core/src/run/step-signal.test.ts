import { compilePolicy } from '@skillos/policy'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSkillOS, type SkillOS } from '../skillos.js'
import { writeTestSkills } from '../skills.test-data.js'
const POLICY = `version: 1
rules:
  - { id: all, effect: allow, actions: [skill:run, tool:call], resources: ['*'] }
`
const probeKey = '__skillosStepSignalProbe'
type Seen = { aborted: boolean; reason: string }

/** Handlers that read `ctx.signal` only late: after their timeout, or after their step ended. */
const SKILLS: Record<string, { timeoutMs: number; handler: string }> = {
  'test/reads-after-timeout': {
    timeoutMs: 40,
    handler: `async (_input, ctx) => {
    await new Promise((resolve) => setTimeout(resolve, 120))
    globalThis.${probeKey}('after-timeout', ctx.signal)
    return { late: true }
  }`,
  },
  'test/reads-after-end': {
    timeoutMs: 5_000,
    handler: `(_input, ctx) => {
    setTimeout(() => globalThis.${probeKey}('after-end', ctx.signal), 30)
    return { quick: true }
  }`,
  },
  'test/reads-at-once': {
    timeoutMs: 5_000,
    handler: `(_input, ctx) => {
    const signal = ctx.signal
    globalThis.${probeKey}('at-once', signal)
    setTimeout(() => globalThis.${probeKey}('at-once-later', signal), 30)
    return { quick: true }
  }`,
  },
}

describe("a step's signal", () => {
  let remove: (() => Promise<void>) | undefined
  let os: SkillOS
  const seen = new Map<string, Seen>()
  const run = (skill: string) =>
    os.run({ input: 'go', skill, params: {}, tenant: 'acme', principal: { id: 'u1' } })
  const settle = () => new Promise((resolve) => setTimeout(resolve, 160))

  beforeAll(async () => {
    const skills = await writeTestSkills(
      'step-signal',
      Object.fromEntries(
        Object.entries(SKILLS).map(([id, { timeoutMs, handler }]) => [
          id,
          {
            manifest: {
              name: id,
              description: `test skill ${id}`,
              budget: { timeoutMs },
              input: { type: 'object', properties: {} },
            },
            handler: `export default { handler: ${handler} }\n`,
          },
        ]),
      ),
    )
    remove = skills.remove
    os = await createSkillOS({
      skills: [skills.root],
      database: 'memory://',
      policy: compilePolicy([{ path: 'policy.yaml', text: POLICY }]),
    })
    ;(globalThis as Record<string, unknown>)[probeKey] = (name: string, signal: AbortSignal) =>
      seen.set(name, {
        aborted: signal.aborted,
        reason: signal.reason instanceof Error ? signal.reason.name : String(signal.reason),
      })
  })

  afterAll(async () => {
    await os?.close()
    delete (globalThis as Record<string, unknown>)[probeKey]
    await remove?.()
  })

  it('is aborted when first read after the step timed out', async () => {
    const result = await run('test/reads-after-timeout')
    expect(result.error?.code).toBe('TIMEOUT')
    await settle()
    expect(seen.get('after-timeout')).toEqual({ aborted: true, reason: 'AbortError' })
  })

  it('is aborted when first read after the step ended', async () => {
    const result = await run('test/reads-after-end')
    expect(result.status).toBe('succeeded')
    await settle()
    expect(seen.get('after-end')?.aborted).toBe(true)
  })

  it('is live while the step runs and aborted once it ended', async () => {
    const result = await run('test/reads-at-once')
    expect(result.status).toBe('succeeded')
    expect(seen.get('at-once')).toEqual({ aborted: false, reason: 'undefined' })
    await settle()
    expect(seen.get('at-once-later')?.aborted).toBe(true)
  })
})
