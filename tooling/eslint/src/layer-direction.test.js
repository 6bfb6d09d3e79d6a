import { ESLint, Linter } from 'eslint'
import { fileURLToPath } from 'node:url'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import tseslint from 'typescript-eslint'
import { plugin } from './layer-direction.js'

const repo = fileURLToPath(new URL('../../..', import.meta.url))
// Real package folders of this repo: the rule finds the owning package through its package.json.
const inContracts = join(repo, 'packages/contracts/src/example.ts')
const inStore = join(repo, 'packages/store/src/example.ts')

// cwd '/' so that the files pattern matches paths anywhere (the repo, or a temp folder).
const linter = new Linter({ configType: 'flat', cwd: '/' })
const config = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { skillos: plugin },
    rules: { 'skillos/layer-direction': 'error' },
  },
]

function lint(code, filename) {
  return linter
    .verify(code, config, { filename })
    .map((m) => ({ ruleId: m.ruleId, message: m.message }))
}

describe('skillos/layer-direction', () => {
  it('rejects an upward import: contracts (layer 0) importing store (layer 1)', () => {
    const messages = lint(`import { openDatabase } from '@skillos/store'\n`, inContracts)
    expect(messages).toHaveLength(1)
    expect(messages[0].ruleId).toBe('skillos/layer-direction')
    expect(messages[0].message).toContain(
      '@skillos/contracts (layer 0) may not import @skillos/store (layer 1)',
    )
  })

  it('rejects an import of a package of the same layer, and a self-import by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skillos-layer-'))
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@skillos/budget' }))
    try {
      const messages = lint(
        `import { decide } from '@skillos/policy'\n`,
        join(dir, 'src/ledger.ts'),
      )
      expect(messages[0].message).toContain(
        '@skillos/budget (layer 2) may not import @skillos/policy (layer 2)',
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(lint(`import { x } from '@skillos/store'\n`, inStore)[0].message).toContain(
      'imports itself by name',
    )
  })

  it('allows a downward import, including a public subpath', () => {
    expect(lint(`import { SkillOSError } from '@skillos/contracts'\n`, inStore)).toEqual([])
    expect(lint(`import type { Config } from '@skillos/contracts/config'\n`, inStore)).toEqual([])
  })

  it("rejects a deep import into another package's src/", () => {
    const messages = lint(`import { x } from '@skillos/contracts/src/errors'\n`, inStore)
    expect(messages[0].message).toContain('never through its src/ folder')
  })

  it('rejects a relative import that leaves the package', () => {
    const messages = lint(`import { x } from '../../contracts/src/errors.js'\n`, inStore)
    expect(messages[0].message).toContain('leaves the package (@skillos/store)')
    expect(lint(`import { x } from './errors.js'\n`, inStore)).toEqual([])
  })

  it('checks re-exports, dynamic imports and type imports too', () => {
    expect(lint(`export * from '@skillos/core'\n`, inStore)).toHaveLength(1)
    expect(lint(`export { a } from '@skillos/core'\n`, inStore)).toHaveLength(1)
    expect(lint(`const m = await import('@skillos/cli')\n`, inStore)).toHaveLength(1)
    expect(lint(`type T = import('@skillos/core').X\n`, inStore)).toHaveLength(1)
  })

  it('lets any package import the workspace tooling (test preset, configs)', () => {
    expect(lint(`import { integrationUrl } from '@skillos/vitest-config'\n`, inContracts)).toEqual(
      [],
    )
  })

  it('rejects a @skillos package that is not in the layer table', () => {
    const messages = lint(`import { app } from '@skillos/api'\n`, inStore)
    expect(messages[0].message).toContain('not in the layer table')
  })

  it('fails the real lint run of a package file that imports upward', async () => {
    const eslint = new ESLint({ cwd: repo })
    const [result] = await eslint.lintText(
      `import { openDatabase } from '@skillos/store'\nexport const open = openDatabase\n`,
      {
        filePath: inContracts,
      },
    )
    expect(result.errorCount).toBeGreaterThan(0)
    expect(result.messages.map((m) => m.ruleId)).toContain('skillos/layer-direction')
  })
})
