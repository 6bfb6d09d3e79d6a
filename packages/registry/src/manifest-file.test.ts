import { describe, expect, it } from 'vitest'
import { parseManifestText } from './manifest-file.js'
import { SkillLoadError, formatProblem } from './problems.js'

function problemsOf(text: string) {
  try {
    parseManifestText(text, 'skills/finance/x/skill.yaml')
  } catch (error) {
    if (error instanceof SkillLoadError) return error.problems
    throw error
  }
  throw new Error('expected the manifest to be refused')
}

const valid = `id: finance/x
version: 1.0.0
name: X
description: Does x
`

describe('parseManifestText', () => {
  it('returns the manifest with defaults filled in', () => {
    const manifest = parseManifestText(valid, 'skill.yaml')
    expect(manifest).toMatchObject({
      id: 'finance/x',
      version: '1.0.0',
      risk: 'low',
      entry: 'index.ts',
      tags: [],
    })
  })

  it('places every invalid field, nested ones included, at its line and column', () => {
    const problems = problemsOf(`id: finance/x
version: 1.0.0
name: X
description: Does x
tools:
  - name: web.search
  - name: Bad Name
input:
  type: object
  properties:
    amount:
      type: money
`)
    expect(problems.map((p) => [p.field, p.line, p.column])).toEqual([
      ['tools.1.name', 7, 11],
      ['input.properties.amount.type', 12, 13],
    ])
    expect(formatProblem(problems[0]!)).toMatch(
      /^skills\/finance\/x\/skill\.yaml:7:11 tools\.1\.name: must be a tool name/,
    )
  })

  it('points a missing required field at the document and an unknown key at its parent', () => {
    const problems = problemsOf('id: finance/x\nversion: 1.0.0\nname: X\nrequird: [a]\n')
    expect(problems.map((p) => p.field).sort()).toEqual(['(root)', 'description'])
    expect(problems.every((p) => p.line === 1)).toBe(true)
  })

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expect(problemsOf('id: finance/x\nname: a\nname: b\n')[0]).toMatchObject({
      code: 'YAML_SYNTAX',
      line: 3,
    })
    expect(problemsOf('id: [finance/x\n')[0]?.code).toBe('YAML_SYNTAX')
  })

  it('refuses a field that is an alias of itself as invalid, at its line', () => {
    const problems = problemsOf(`${valid}tags: &t [*t]\n`)
    expect(problems[0]).toMatchObject({ code: 'MANIFEST_INVALID', line: 5 })
    expect(problems[0]?.message).toMatch(/expected string/)
  })

  it('refuses a document that is not a mapping, and one too large to be a manifest', () => {
    expect(problemsOf('- a\n- b\n')[0]?.message).toMatch(/must be a YAML mapping/)
    expect(problemsOf('')[0]?.message).toMatch(/must be a YAML mapping/)
    expect(problemsOf(`${valid}description2: ${'x'.repeat(300_000)}\n`)[0]?.code).toBe(
      'MANIFEST_TOO_LARGE',
    )
  })

  it('refuses a dependency range that is not semver, at its line', () => {
    const problems = problemsOf(`${valid}dependencies:\n  finance/rates: "1.x || ^^2"\n`)
    expect(problems[0]).toMatchObject({ field: 'dependencies.finance/rates', line: 6 })
  })
})
