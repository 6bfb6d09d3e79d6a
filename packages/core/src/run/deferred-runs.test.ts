import { compilePolicy } from '@skillos/policy'
import { openDatabase, type Database } from '@skillos/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunRecord } from '../persistence/index.js'
import { createSkillOS, type SkillOS } from '../skillos.js'
import { writeTestSkills } from '../skills.test-data.js'

const POLICY = `version: 1
rules:
  - id: all
    effect: allow
    actions: [skill:run, tool:call]
    resources: ['*']
`

/** What each handler saw of its own run in the store, by skill. */
type Probe = (skill: string, runId: string) => Promise<void>
const probeKey = '__skillosDeferredProbe'

const SKILLS = {
  'test/lookup': { sideEffects: 'read', wait: 0 },
  'test/write-note': { sideEffects: 'write', wait: 0 },
  'test/slow-lookup': { sideEffects: 'read', wait: 1_200 },
}

describe('when a run is written', () => {
  let remove: (() => Promise<void>) | undefined
  let os: SkillOS
  let database: Database
  const seen = new Map<string, RunRecord | undefined>()
  const run = (skill: string) =>
    os.run({ input: 'n 1', skill, params: { n: 1 }, tenant: 'acme', principal: { id: 'u1' } })

  beforeAll(async () => {
    const skills = await writeTestSkills(
      'deferred',
      Object.fromEntries(
        Object.entries(SKILLS).map(([id, { sideEffects, wait }]) => [
          id,
          {
            manifest: {
              name: id,
              description: `test skill ${id}`,
              sideEffects,
              input: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
            },
            handler: `export default {
  async handler({ n }, ctx) {
    await new Promise((resolve) => setTimeout(resolve, ${String(wait)}))
    await globalThis.${probeKey}(${JSON.stringify(id)}, ctx.runId)
    return { n: n + 1 }
  },
}
`,
          },
        ]),
      ),
    )
    remove = skills.remove
    // A durable database: runs are acknowledged only once committed.
    database = await openDatabase('memory://')
    os = await createSkillOS({
      skills: [skills.root],
      database,
      durability: 'commit',
      persistRunningAfterMs: 400,
      policy: compilePolicy([{ path: 'policy.yaml', text: POLICY }]),
    })
    const probe: Probe = async (skill, runId) => {
      seen.set(skill, await os.runs.get('acme', runId))
    }
    ;(globalThis as Record<string, unknown>)[probeKey] = probe
    // Warm up (the first call of a handler loads it), so only the slow skill takes long.
    for (const skill of Object.keys(SKILLS)) await run(skill)
    seen.clear()
  })

  afterAll(async () => {
    await os?.close()
    await database?.close()
    delete (globalThis as Record<string, unknown>)[probeKey]
    await remove?.()
  })

  it('stores a read-only run once, when it ends: nothing while it works, all of it after', async () => {
    const result = await run('test/lookup')
    expect(result.status).toBe('succeeded')
    expect(seen.get('test/lookup')).toBeUndefined()
    const stored = await os.runs.get('acme', result.runId)
    expect(stored).toMatchObject({ status: 'succeeded', output: { n: 2 }, version: 1 })
    const events = await os.runs.events('acme', result.runId)
    expect(events.map((e) => e.type)).toEqual(result.trace.map((e) => e.type))
  })

  it('stores a run with side effects as running before its handler acts', async () => {
    const result = await run('test/write-note')
    expect(seen.get('test/write-note')).toMatchObject({ id: result.runId, status: 'running' })
    expect(await os.runs.get('acme', result.runId)).toMatchObject({
      status: 'succeeded',
      version: 1,
    })
  })

  it('stores a long read-only run as running once it has worked for a while', async () => {
    const result = await run('test/slow-lookup')
    expect(seen.get('test/slow-lookup')).toMatchObject({ id: result.runId, status: 'running' })
    expect(await os.runs.get('acme', result.runId)).toMatchObject({ status: 'succeeded' })
  })
})

describe('durability by database', () => {
  it('buffers run writes on memory:// and flushes them on close', async () => {
    const skills = await writeTestSkills('buffered', {
      'test/lookup': {
        manifest: { name: 'lookup', description: 'look up' },
        handler: 'export default { handler: () => ({ ok: true }) }\n',
      },
    })
    try {
      const database = await openDatabase('memory://')
      const os = await createSkillOS({
        skills: [skills.root],
        database,
        policy: compilePolicy([{ path: 'policy.yaml', text: POLICY }]),
      })
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          os.run({
            input: 'look up',
            skill: 'test/lookup',
            tenant: 'acme',
            principal: { id: 'u' },
          }),
        ),
      )
      expect(results.every((r) => r.status === 'succeeded')).toBe(true)
      await os.close()
      // The database outlives the system here: every acknowledged run is in it.
      const after = await createSkillOS({
        skills: [skills.root],
        database,
        policy: compilePolicy([{ path: 'policy.yaml', text: POLICY }]),
      })
      for (const result of results)
        expect(await after.runs.get('acme', result.runId)).toMatchObject({ status: 'succeeded' })
      await after.close()
      await database.close()
    } finally {
      await skills.remove()
    }
  })
})
