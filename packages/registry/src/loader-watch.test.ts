import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SkillContext } from '@skillos/contracts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSkillLoader, type SkillLoader, type SkillLoaderEvent } from './loader.js'
import { createSkillRoot, handlerSource, manifestYaml } from './skill-fixtures.test-data.js'

let fixture: Awaited<ReturnType<typeof createSkillRoot>>
let loader: SkillLoader
let events: SkillLoaderEvent[]

beforeEach(async () => {
  fixture = await createSkillRoot()
  await fixture.write('finance/double/skill.yaml', manifestYaml('finance/double'))
  await fixture.write('finance/double/index.ts', handlerSource(2, 'v1'))
  loader = createSkillLoader({ roots: [fixture.root], watch: true, debounceMs: 20 })
  events = []
  loader.on((event) => events.push(event))
  await loader.load()
  await loader.ready()
  events = []
})
afterEach(async () => {
  await loader.close()
  await fixture.cleanup()
})

const context = {} as SkillContext

/** Wait for the first event matching `match` (fails the test after `ms`). */
function nextEvent(
  match: (event: SkillLoaderEvent) => boolean,
  ms = 3000,
): Promise<SkillLoaderEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(
        new Error(`no matching event within ${ms} ms; saw ${events.map((e) => e.type).join(', ')}`),
      )
    }, ms)
    const off = loader.on((event) => {
      if (!match(event)) return
      clearTimeout(timer)
      off()
      resolve(event)
    })
  })
}

describe('createSkillLoader: hot reload', () => {
  it('reloads an edited handler within a second; a run holding the old version finishes on it', async () => {
    const inFlight = loader.resolve('finance/double').skill
    const reloaded = nextEvent((e) => e.type === 'skill.reloaded')
    const started = performance.now()
    await fixture.write('finance/double/index.ts', handlerSource(3, 'v2'))
    const event = await reloaded
    expect(performance.now() - started).toBeLessThan(1000)
    expect(event.type === 'skill.reloaded' && event.previous).toBe(inFlight)
    const current = loader.resolve('finance/double').skill
    expect(await current.definition?.handler({ amount: 10 }, context)).toEqual({
      result: 30,
      tag: 'v2',
    })
    expect(await inFlight.definition?.handler({ amount: 10 }, context)).toEqual({
      result: 20,
      tag: 'v1',
    })
  })

  it('reloads when skill.yaml changes, including a new version number', async () => {
    const reloaded = nextEvent((e) => e.type === 'skill.reloaded')
    await fixture.write(
      'finance/double/skill.yaml',
      manifestYaml('finance/double', '1.1.0', { description: 'Doubles an amount, now documented' }),
    )
    await reloaded
    expect(loader.versions('finance/double')).toEqual(['1.1.0'])
    expect(loader.resolve('finance/double').skill.manifest.description).toBe(
      'Doubles an amount, now documented',
    )
  })

  it('keeps the working version when an edit breaks the skill, and reports why', async () => {
    const failed = nextEvent((e) => e.type === 'skill.failed')
    await fixture.write('finance/double/index.ts', 'export default { handler: ( => 1 }\n')
    const event = await failed
    expect(event.type === 'skill.failed' && event.failure.kept?.version).toBe('1.0.0')
    expect(event.type === 'skill.failed' && event.failure.problems[0]?.code).toBe(
      'HANDLER_COMPILE_FAILED',
    )
    const kept = loader.resolve('finance/double').skill
    expect(await kept.definition?.handler({ amount: 1 }, context)).toEqual({ result: 2, tag: 'v1' })
    expect(loader.failures()).toHaveLength(1)

    const broken = nextEvent((e) => e.type === 'skill.failed')
    await fixture.write(
      'finance/double/skill.yaml',
      'id: finance/double\nversion: 1.0.0\nname: x\n',
    )
    const manifestEvent = await broken
    expect(manifestEvent.type === 'skill.failed' && manifestEvent.failure.problems[0]?.field).toBe(
      'description',
    )

    const fixed = nextEvent((e) => e.type === 'skill.reloaded')
    await fixture.write('finance/double/skill.yaml', manifestYaml('finance/double'))
    await fixture.write('finance/double/index.ts', handlerSource(5, 'v3'))
    await fixed
    // Both writes may land in one reload or two; wait for the handler's.
    await expect
      .poll(async () =>
        loader.resolve('finance/double').skill.definition?.handler({ amount: 1 }, context),
      )
      .toEqual({ result: 5, tag: 'v3' })
    expect(loader.failures()).toEqual([])
  })

  it('loads a new skill folder and forgets a removed one', async () => {
    const loaded = nextEvent((e) => e.type === 'skill.loaded')
    await fixture.write('travel/triple/index.ts', handlerSource(3))
    await fixture.write('travel/triple/skill.yaml', manifestYaml('travel/triple'))
    await loaded
    expect(
      loader
        .list()
        .map((s) => s.id)
        .sort(),
    ).toEqual(['finance/double', 'travel/triple'])

    const removed = nextEvent((e) => e.type === 'skill.removed')
    await rm(join(fixture.root, 'travel/triple'), { recursive: true })
    await removed
    expect(loader.list().map((s) => s.id)).toEqual(['finance/double'])
  })

  it('reloads when a file the handler imports changes', async () => {
    await fixture.write('finance/double/lib.ts', 'export const factor = 2\n')
    await writeFile(
      join(fixture.root, 'finance/double/index.ts'),
      "import { factor } from './lib.js'\nexport default { handler: ({ amount }: { amount: number }) => amount * factor }\n",
    )
    await expect
      .poll(async () =>
        loader.resolve('finance/double').skill.definition?.handler({ amount: 1 }, context),
      )
      .toBe(2)
    await fixture.write('finance/double/lib.ts', 'export const factor = 7\n')
    await expect
      .poll(async () =>
        loader.resolve('finance/double').skill.definition?.handler({ amount: 1 }, context),
      )
      .toBe(7)
  })

  it('serves the last of several quick saves (file watchers drop changes that come too close)', async () => {
    for (let i = 0; i < 5; i++) {
      await fixture.write('finance/double/index.ts', handlerSource(10 + i, `quick-${i}`))
      await new Promise((resolve) => setTimeout(resolve, 8))
    }
    await expect
      .poll(
        async () =>
          loader.resolve('finance/double').skill.definition?.handler({ amount: 1 }, context),
        {
          timeout: 3000,
        },
      )
      .toEqual({ result: 14, tag: 'quick-4' })
  })
})
