import { SkillOSError, type SkillContext } from '@skillos/contracts'
import { createSkillIndex } from '@skillos/recommender'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSkillLoader, type SkillLoadFailure } from './loader.js'
import { createSkillRoot, handlerSource, manifestYaml } from './skill-fixtures.test-data.js'

let fixture: Awaited<ReturnType<typeof createSkillRoot>>
beforeEach(async () => {
  fixture = await createSkillRoot()
})
afterEach(async () => {
  await fixture.cleanup()
})

const context = {} as SkillContext
const failureOf = (failures: SkillLoadFailure[], dir: string) =>
  failures.find((f) => f.dir.endsWith(dir))

describe('createSkillLoader: load', () => {
  it('loads good skills, runs their handlers, and reads fixtures next to the handler', async () => {
    await fixture.write('finance/double/skill.yaml', manifestYaml('finance/double'))
    await fixture.write('finance/double/index.ts', handlerSource(2))
    await fixture.write(
      'finance/rates/skill.yaml',
      manifestYaml('finance/rates', '1.0.0', { input: { type: 'object' } }),
    )
    await fixture.write('finance/rates/fixtures/rates.json', JSON.stringify({ EUR: 100.5 }))
    await fixture.write(
      'finance/rates/lib/read.ts',
      `import { readFileSync } from 'node:fs'
export const rates = (): Record<string, number> => JSON.parse(readFileSync(new URL('../fixtures/rates.json', import.meta.url), 'utf8'))
`,
    )
    await fixture.write(
      'finance/rates/index.ts',
      `import { rates } from './lib/read.js'
export default { handler: () => rates() }
`,
    )
    const loader = createSkillLoader({ roots: [fixture.root] })
    const report = await loader.load()
    expect(report.failed).toEqual([])
    expect(report.loaded.map((s) => s.id).sort()).toEqual(['finance/double', 'finance/rates'])
    const { skill } = loader.resolve('finance/double')
    expect(skill.kind).toBe('handler')
    expect(await skill.definition?.handler({ amount: 21 }, context)).toEqual({
      result: 42,
      tag: 'v1',
    })
    const rates = loader.resolve('finance/rates').skill
    expect(await rates.definition?.handler({}, context)).toEqual({ EUR: 100.5 })
    expect(rates.files.some((f) => f.endsWith('lib/read.ts'))).toBe(true)
    await loader.close()
  })

  it('reports each broken skill with file, line, field and reason, and loads the others', async () => {
    await fixture.write('ok/good/skill.yaml', manifestYaml('ok/good'))
    await fixture.write('ok/good/index.ts', handlerSource(1))
    // Invalid manifest field on line 2.
    await fixture.write(
      'bad/version/skill.yaml',
      'id: bad/version\nversion: one\nname: Bad\ndescription: Broken version\n',
    )
    // YAML syntax error.
    await fixture.write(
      'bad/syntax/skill.yaml',
      'id: bad/syntax\nversion: 1.0.0\nname: [unclosed\n',
    )
    // Handler that does not compile.
    await fixture.write('bad/compile/skill.yaml', manifestYaml('bad/compile'))
    await fixture.write(
      'bad/compile/index.ts',
      'export default {\n  handler: () => {\n    return (1 +\n  },\n}\n',
    )
    // Handler that throws on import.
    await fixture.write('bad/throws/skill.yaml', manifestYaml('bad/throws'))
    await fixture.write('bad/throws/index.ts', "throw new Error('boom at import')\n")
    // Handler without a default export.
    await fixture.write('bad/no-default/skill.yaml', manifestYaml('bad/no-default'))
    await fixture.write('bad/no-default/index.ts', 'export const handler = () => 1\n')
    // Handler file missing.
    await fixture.write('bad/missing/skill.yaml', manifestYaml('bad/missing'))

    const loader = createSkillLoader({ roots: [fixture.root] })
    const report = await loader.load()
    expect(report.loaded.map((s) => s.id)).toEqual(['ok/good'])
    expect(report.failed).toHaveLength(6)

    const version = failureOf(report.failed, 'bad/version')?.problems[0]
    expect(version).toMatchObject({
      code: 'MANIFEST_INVALID',
      field: 'version',
      line: 2,
      column: 10,
    })
    expect(version?.file).toMatch(/bad\/version\/skill\.yaml$/)
    expect(version?.message).toMatch(/semantic version/)

    const syntax = failureOf(report.failed, 'bad/syntax')?.problems[0]
    expect(syntax?.code).toBe('YAML_SYNTAX')
    expect(syntax?.line).toBeGreaterThanOrEqual(3)
    expect(failureOf(report.failed, 'bad/compile')?.problems[0]).toMatchObject({
      code: 'HANDLER_COMPILE_FAILED',
      line: 4,
    })
    expect(failureOf(report.failed, 'bad/throws')?.problems[0]?.message).toMatch(/boom at import/)
    expect(failureOf(report.failed, 'bad/no-default')?.problems[0]?.code).toBe('HANDLER_INVALID')
    expect(failureOf(report.failed, 'bad/missing')?.problems[0]).toMatchObject({
      code: 'HANDLER_MISSING',
      field: 'entry',
    })
    expect(() => loader.resolve('bad/throws')).toThrow(/failed to load.*boom at import/)
    await loader.close()
  })

  it('refuses a handler whose schemas disagree with the manifest, naming the field and its line', async () => {
    await fixture.write(
      'finance/mismatch/skill.yaml',
      manifestYaml('finance/mismatch', '1.0.0', {
        input: {
          type: 'object',
          properties: { amount: { type: 'string' }, currency: { type: 'string' } },
          required: ['amount'],
        },
      }),
    )
    await fixture.write(
      'finance/mismatch/index.ts',
      `import { z } from 'zod'
export default { input: z.object({ amount: z.number(), currency: z.string(), when: z.string() }), handler: () => 1 }
`,
    )
    await fixture.write('finance/optional/skill.yaml', manifestYaml('finance/optional', '1.0.0'))
    await fixture.write(
      'finance/optional/index.ts',
      `import { z } from 'zod'
export default { input: z.object({ amount: z.number(), note: z.string().optional() }), handler: () => 1 }
`,
    )
    const loader = createSkillLoader({ roots: [fixture.root] })
    const report = await loader.load()
    const problems = failureOf(report.failed, 'finance/mismatch')?.problems ?? []
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['input.properties.amount.type', 'HANDLER_SCHEMA_MISMATCH'],
      ['input.properties.when', 'HANDLER_SCHEMA_MISMATCH'],
      ['input.required', 'HANDLER_SCHEMA_MISMATCH'],
    ])
    expect(problems[0]?.message).toMatch(
      /skill\.yaml allows string but the handler accepts only number/,
    )
    expect(problems[0]?.line).toBeGreaterThan(1)
    // Optional extra fields of the handler only warn.
    const optional = loader.resolve('finance/optional').skill
    expect(optional.warnings.map((w) => w.field)).toEqual(['input.properties.note'])
    await loader.close()
  })

  it('keeps versions side by side and resolves the highest match, preferring non-deprecated ones', async () => {
    for (const version of ['1.0.0', '1.2.0', '1.3.0', '2.0.0', '2.1.0-beta.1']) {
      const extra =
        version === '1.3.0'
          ? { deprecated: { message: 'use 2.x', replacement: 'finance/convert' } }
          : {}
      await fixture.write(
        `convert-${version}/skill.yaml`,
        manifestYaml('finance/convert', version, extra),
      )
      await fixture.write(`convert-${version}/index.ts`, handlerSource(1, version))
    }
    const loader = createSkillLoader({ roots: [fixture.root] })
    await loader.load()
    expect(loader.versions('finance/convert')).toEqual([
      '2.1.0-beta.1',
      '2.0.0',
      '1.3.0',
      '1.2.0',
      '1.0.0',
    ])
    expect(loader.resolve('finance/convert').skill.version).toBe('2.0.0')
    expect(loader.resolve('finance/convert@^1.0.0').skill.version).toBe('1.2.0')
    expect(loader.resolve({ id: 'finance/convert', range: '~1.0.0' }).skill.version).toBe('1.0.0')
    expect(loader.resolve('finance/convert@2.1.0-beta.1').skill.version).toBe('2.1.0-beta.1')
    const deprecated = loader.resolve('finance/convert@1.3.0')
    expect(deprecated.skill.version).toBe('1.3.0')
    expect(deprecated.deprecation).toEqual({ message: 'use 2.x', replacement: 'finance/convert' })
    // Runs, with the warning for the caller to emit.
    expect(await deprecated.skill.definition?.handler({ amount: 1 }, context)).toMatchObject({
      tag: '1.3.0',
    })

    const notFound = (() => {
      try {
        loader.resolve('finance/convert@^3')
      } catch (error) {
        return error
      }
    })()
    expect(SkillOSError.is(notFound, 'SKILL_NOT_FOUND')).toBe(true)
    expect((notFound as Error).message).toMatch(/installed: 2\.1\.0-beta\.1, 2\.0\.0, 1\.3\.0/)
    expect(() => loader.resolve('finance/convert@not a range!')).toThrow(/not a semver range/)
    expect(() => loader.resolve('finance/unknown')).toThrow(/not installed/)
    await loader.close()
  })

  it('reports two folders with the same id and version', async () => {
    await fixture.write('a/skill.yaml', manifestYaml('finance/twin'))
    await fixture.write('a/index.ts', handlerSource(1, 'a'))
    await fixture.write('b/skill.yaml', manifestYaml('finance/twin'))
    await fixture.write('b/index.ts', handlerSource(1, 'b'))
    const loader = createSkillLoader({ roots: [fixture.root] })
    const report = await loader.load()
    expect(report.loaded).toHaveLength(1)
    expect(failureOf(report.failed, '/b')?.problems[0]).toMatchObject({
      code: 'DUPLICATE_VERSION',
      field: 'version',
    })
    await loader.close()
  })
})

describe('createSkillLoader: dependencies', () => {
  async function skill(
    dir: string,
    id: string,
    version: string,
    dependencies: Record<string, string>,
  ) {
    await fixture.write(`${dir}/skill.yaml`, manifestYaml(id, version, { dependencies }))
    await fixture.write(`${dir}/index.ts`, handlerSource(1))
  }

  it('resolves dependencies to the highest matching healthy version', async () => {
    await skill('rates-1', 'finance/exchange-rates', '1.2.0', {})
    await skill('rates-2', 'finance/exchange-rates', '1.4.1', {})
    await skill('rates-3', 'finance/exchange-rates', '2.0.0', {})
    await skill('convert', 'finance/convert', '1.0.0', { 'finance/exchange-rates': '^1.2.0' })
    const loader = createSkillLoader({ roots: [fixture.root] })
    const report = await loader.load()
    expect(report.failed).toEqual([])
    expect(loader.resolve('finance/convert').skill.dependencies).toEqual({
      'finance/exchange-rates': '1.4.1',
    })
    await loader.close()
  })

  it('fails a skill whose dependency is missing, conflicting, broken or on a cycle, with the reason', async () => {
    await skill('rates', 'finance/exchange-rates', '1.0.0', {})
    await skill('missing', 'finance/missing', '1.0.0', { 'finance/not-there': '^1.0.0' })
    await skill('conflict', 'finance/conflict', '1.0.0', { 'finance/exchange-rates': '^1.2.0' })
    await skill('on-conflict', 'finance/on-conflict', '1.0.0', { 'finance/conflict': '1.x' })
    await skill('cycle-a', 'graph/a', '1.0.0', { 'graph/b': '*' })
    await skill('cycle-b', 'graph/b', '1.0.0', { 'graph/a': '*' })
    await skill('needs-cycle', 'graph/c', '1.0.0', { 'graph/a': '^1' })
    const loader = createSkillLoader({ roots: [fixture.root] })
    const report = await loader.load()
    expect(report.loaded.map((s) => s.id)).toEqual(['finance/exchange-rates'])
    const problem = (dir: string) => failureOf(report.failed, dir)?.problems[0]
    expect(problem('/missing')).toMatchObject({
      code: 'DEPENDENCY_MISSING',
      field: 'dependencies.finance/not-there',
      message: 'depends on "finance/not-there" ^1.0.0, which is not installed',
    })
    expect(problem('/missing')?.line).toBeGreaterThan(1)
    expect(problem('/conflict')).toMatchObject({
      code: 'DEPENDENCY_CONFLICT',
      message: 'depends on "finance/exchange-rates" ^1.2.0, but the installed versions are 1.0.0',
    })
    expect(problem('/on-conflict')).toMatchObject({ code: 'DEPENDENCY_FAILED' })
    expect(problem('/cycle-a')).toMatchObject({ code: 'DEPENDENCY_CYCLE' })
    expect(problem('/cycle-a')?.message).toMatch(
      /graph\/a@1\.0\.0 → graph\/b@1\.0\.0 → graph\/a@1\.0\.0/,
    )
    expect(problem('/cycle-b')?.code).toBe('DEPENDENCY_CYCLE')
    expect(problem('/needs-cycle')?.code).toBe('DEPENDENCY_FAILED')
    await loader.close()
  })

  it('rejects an invalid dependency range in the manifest with its line', async () => {
    await fixture.write(
      'x/skill.yaml',
      manifestYaml('finance/x', '1.0.0', { dependencies: { 'finance/y': '^^1' } }),
    )
    await fixture.write('x/index.ts', handlerSource(1))
    await skill('y', 'finance/y', '1.0.0', {})
    const loader = createSkillLoader({ roots: [fixture.root] })
    const report = await loader.load()
    expect(failureOf(report.failed, '/x')?.problems[0]).toMatchObject({
      code: 'MANIFEST_INVALID',
      field: 'dependencies.finance/y',
      line: 13,
    })
    expect(failureOf(report.failed, '/x')?.problems[0]?.message).toMatch(
      /"\^\^1" is not a semver range/,
    )
    await loader.close()
  })
})

describe('createSkillLoader: index', () => {
  it('keeps a skill index in sync with the newest usable version of each skill', async () => {
    const index = await createSkillIndex()
    await fixture.write(
      'finance/convert/skill.yaml',
      manifestYaml('finance/convert', '1.0.0', {
        name: 'Convert currency',
        description: 'Convert an amount of money from one currency to another',
        examples: ['convert 100 EUR to RUB', 'переведи 100 долларов в рубли'],
      }),
    )
    await fixture.write('finance/convert/index.ts', handlerSource(1))
    await fixture.write(
      'travel/flights/skill.yaml',
      manifestYaml('travel/flights', '1.0.0', {
        name: 'Search flights',
        description: 'Find flights between two cities on a date',
        examples: ['flights from Moscow to Dubai on Friday'],
      }),
    )
    await fixture.write('travel/flights/index.ts', handlerSource(1))
    const loader = createSkillLoader({ roots: [fixture.root], index })
    await loader.load()
    expect(index.size).toBe(2)
    const route = await index.route('convert 250 euro into rubles')
    expect(route.skill).toBe('finance/convert')
    await loader.close()
    await index.close()
  })
})

describe('createSkillLoader: Agent Skills folders', () => {
  it('loads a SKILL.md folder as an instruction skill, indexed and searchable, with its warnings', async () => {
    const index = await createSkillIndex()
    await fixture.write(
      'research/summarize-pdf/SKILL.md',
      `---
name: pdf-summary
description: Summarize a PDF report into key points, risks and numbers. Use when the user shares a PDF.
allowed-tools: [Read, Bash]
---
# Summarize a PDF

1. Read the file.
2. List the key points.
`,
    )
    await fixture.write('finance/double/skill.yaml', manifestYaml('finance/double'))
    await fixture.write('finance/double/index.ts', handlerSource(2))
    const loader = createSkillLoader({ roots: [fixture.root], index })
    const report = await loader.load()
    expect(report.failed).toEqual([])
    const skill = loader.resolve('research/pdf-summary').skill
    expect(skill.kind).toBe('instructions')
    expect(skill.definition).toBeUndefined()
    expect(skill.instructions).toMatch(/^# Summarize a PDF/)
    expect(skill.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['AGENT_SKILL_NAME_MISMATCH', 'AGENT_SKILL_ALLOWED_TOOLS_LIST']),
    )
    const [best] = await index.search('summarize this pdf report')
    expect(best?.id).toBe('research/pdf-summary')
    await loader.close()
    await index.close()
  })

  it('loads skill.yaml with a SKILL.md and no handler as an instruction skill', async () => {
    await fixture.write(
      'ops/checklist/skill.yaml',
      manifestYaml('ops/checklist', '1.0.0', { input: { type: 'object' } }),
    )
    await fixture.write(
      'ops/checklist/SKILL.md',
      '---\nname: checklist\ndescription: x\n---\nStep one.\n',
    )
    const loader = createSkillLoader({ roots: [fixture.root] })
    await loader.load()
    const skill = loader.resolve('ops/checklist').skill
    expect(skill).toMatchObject({ kind: 'instructions', instructions: 'Step one.' })
    await loader.close()
  })
})

describe('createSkillLoader: composite skills', () => {
  it('loads a skill.yaml with steps as a composite, resolving its steps through dependencies', async () => {
    await fixture.write('finance/rate/skill.yaml', manifestYaml('finance/rate', '1.2.0'))
    await fixture.write('finance/rate/index.ts', handlerSource(1))
    await fixture.write(
      'finance/rate-report/skill.yaml',
      manifestYaml('finance/rate-report', '1.0.0', {
        dependencies: { 'finance/rate': '^1.0.0', 'finance/format': '^2.0.0' },
        steps: [{ skill: 'finance/rate' }, { skill: 'finance/format', params: { style: 'short' } }],
      }),
    )
    await fixture.write('finance/format/skill.yaml', manifestYaml('finance/format', '2.1.0'))
    await fixture.write('finance/format/index.ts', handlerSource(1))
    const loader = createSkillLoader({ roots: [fixture.root] })
    const report = await loader.load()
    expect(report.failed).toEqual([])
    const composite = loader.resolve('finance/rate-report').skill
    expect(composite.kind).toBe('composite')
    expect(composite.dependencies).toEqual({ 'finance/rate': '1.2.0', 'finance/format': '2.1.0' })
    await loader.close()
  })

  it('refuses a composite whose step is not a dependency, or that also has a handler', async () => {
    await fixture.write(
      'a/undeclared/skill.yaml',
      manifestYaml('a/undeclared', '1.0.0', { steps: [{ skill: 'a/x' }, { skill: 'a/y' }] }),
    )
    await fixture.write(
      'a/both/skill.yaml',
      manifestYaml('a/both', '1.0.0', {
        dependencies: { 'a/x': '*', 'a/y': '*' },
        steps: [{ skill: 'a/x' }, { skill: 'a/y' }],
      }),
    )
    await fixture.write('a/both/index.ts', handlerSource(1))
    const loader = createSkillLoader({ roots: [fixture.root] })
    const report = await loader.load()
    expect(failureOf(report.failed, 'a/undeclared')?.problems.map((p) => p.field)).toEqual([
      'steps.0.skill',
      'steps.1.skill',
    ])
    expect(failureOf(report.failed, 'a/both')?.problems[0]?.code).toBe('COMPOSITE_WITH_HANDLER')
    await loader.close()
  })
})
