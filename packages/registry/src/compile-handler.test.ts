import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CompileError, compileHandler, compileHandlers, importCompiled } from './compile-handler.js'
import { createSkillRoot } from './skill-fixtures.test-data.js'

let fixture: Awaited<ReturnType<typeof createSkillRoot>>
beforeEach(async () => {
  fixture = await createSkillRoot()
})
afterEach(async () => {
  await fixture.cleanup()
})

describe('compileHandler', () => {
  it('bundles relative imports, keeps packages external and gives each file its own import.meta.url', async () => {
    const lib = await fixture.write('a/lib/where.ts', 'export const where = import.meta.url\n')
    const entry = await fixture.write(
      'a/index.ts',
      `import { z } from 'zod'
import { where } from './lib/where.js'
export default { schema: z.string(), where, me: import.meta.url, dir: import.meta.dirname }
`,
    )
    const read = new Map<string, string>()
    const compiled = await compileHandler(entry, { onRead: (path, text) => read.set(path, text) })
    expect(compiled.inputs.sort()).toEqual([entry, lib].sort())
    expect([...read.keys()].sort()).toEqual([entry, lib].sort())
    expect(compiled.code).toMatch(/from "file:\/\/\/.*zod/)
    const module = (await importCompiled(compiled.code)).default as Record<string, unknown>
    expect(module.where).toBe(`file://${lib}`)
    expect(module.me).toBe(`file://${entry}`)
    expect(module.dir).toBe(entry.replace(/\/index\.ts$/, ''))
    expect((module.schema as { parse(v: unknown): unknown }).parse('ok')).toBe('ok')
  })

  it('bundles a package that ships TypeScript (a shared skill library) instead of importing it', async () => {
    await fixture.write(
      'd/node_modules/@acme/shared-lib/package.json',
      JSON.stringify({
        name: '@acme/shared-lib',
        type: 'module',
        exports: { './rates': './lib/rates.ts' },
      }),
    )
    await fixture.write(
      'd/node_modules/@acme/shared-lib/lib/rates.ts',
      'export const rate = (code: string): number => (code === "EUR" ? 100 : 1)\n',
    )
    const entry = await fixture.write(
      'd/index.ts',
      "import { rate } from '@acme/shared-lib/rates'\nexport default { eur: rate('EUR') }\n",
    )
    const compiled = await compileHandler(entry)
    expect(compiled.code).not.toMatch(/from "file:[^"]*shared-lib/)
    expect((await importCompiled(compiled.code)).default).toEqual({ eur: 100 })
  })

  it('throws a CompileError with the file, line and reason', async () => {
    const entry = await fixture.write('b/index.ts', 'export default {\n  x: (1 +\n}\n')
    const error = await compileHandler(entry).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CompileError)
    const [first] = (error as CompileError).errors
    expect(first?.location?.line).toBe(3)
    expect(first?.location?.file).toMatch(/b\/index\.ts$/)
  })

  it('reports a package that cannot be resolved', async () => {
    const entry = await fixture.write(
      'c/index.ts',
      "import x from 'no-such-package-skillos'\nexport default x\n",
    )
    await expect(compileHandler(entry)).rejects.toThrow(/no-such-package-skillos/)
  })
})

describe('compileHandlers', () => {
  it('compiles many entries in one run and isolates the broken ones', async () => {
    const entries: string[] = []
    for (let i = 0; i < 9; i++) {
      entries.push(
        await fixture.write(
          `s${i}/index.ts`,
          i === 4 || i === 7 ? 'export default {' : `export default { n: ${i} as number }\n`,
        ),
      )
    }
    const results = await compileHandlers(entries)
    const broken = entries.filter((e) => results.get(e) instanceof CompileError)
    expect(broken).toEqual([entries[4], entries[7]])
    const ok = results.get(entries[2]!)
    expect(ok && !(ok instanceof CompileError) && (await importCompiled(ok.code)).default).toEqual({
      n: 2,
    })
  })
})
