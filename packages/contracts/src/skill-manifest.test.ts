import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { ValidationError } from './errors.js'
import { SkillOSError } from './errors.js'
import {
  parseSkillManifest,
  skillManifestJsonSchema,
  skillManifestSchema,
} from './skill-manifest.js'

const minimal = {
  id: 'finance/convert-currency',
  version: '1.2.0',
  name: 'Convert currency',
  description: 'Converts an amount between currencies at the current rate.',
}

function issuesOf(data: unknown): { path: string; message: string }[] {
  try {
    parseSkillManifest(data, 'skills/finance/convert-currency/skill.yaml')
  } catch (error) {
    expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
    return (error as ValidationError).issues
  }
  throw new Error('expected the manifest to be rejected')
}

describe('skill manifest', () => {
  it('fills safe defaults into a minimal manifest', () => {
    const manifest = parseSkillManifest(minimal)
    expect(manifest).toMatchObject({
      tags: [],
      examples: [],
      tools: [],
      permissions: [],
      risk: 'low',
      sideEffects: 'read',
      approval: { mode: 'on-risk', approvers: [] },
      budget: {},
      dependencies: {},
      entry: 'index.ts',
      input: { type: 'object', properties: {} },
    })
  })

  it('parses a full skill.yaml with shorthands, Russian examples and a JSON Schema input', () => {
    const yaml = `
id: finance/convert-currency
version: 2.0.0-beta.1
name: Convert currency
description: Converts an amount between currencies at the central bank rate.
tags: [finance, валюта]
examples:
  - convert 250 EUR to RUB
  - переведи 100 долларов в рубли
input:
  type: object
  properties:
    amount: { type: number, exclusiveMinimum: 0 }
    from: { type: string, pattern: '^[A-Z]{3}$' }
    to: { type: string, format: currency }
  required: [amount, from, to]
  additionalProperties: false
tools:
  - rates.fetch
  - name: http.get
    permissions: ['net:cbr.ru']
    timeoutMs: 5000
    retries: 2
permissions: ['net:cbr.ru']
risk: medium
sideEffects: read
approval: never
budget: { maxTokens: 2000, maxCostUsd: 0.05, timeoutMs: 10000 }
dependencies:
  finance/exchange-rates: ^1.2.0
deprecated: use finance/convert-money
`
    const manifest = parseSkillManifest(parse(yaml))
    expect(manifest.tools).toEqual([
      { name: 'rates.fetch', permissions: [] },
      { name: 'http.get', permissions: ['net:cbr.ru'], timeoutMs: 5000, retries: 2 },
    ])
    expect(manifest.approval).toEqual({ mode: 'never', approvers: [] })
    expect(manifest.deprecated).toEqual({ message: 'use finance/convert-money' })
    expect(manifest.examples[1]).toBe('переведи 100 долларов в рубли')
    expect(manifest.dependencies).toEqual({ 'finance/exchange-rates': '^1.2.0' })
  })

  it.each([
    [{ ...minimal, id: 'Finance/Convert' }, 'id', 'domain/name'],
    [{ ...minimal, id: 'convert-currency' }, 'id', 'domain/name'],
    [{ ...minimal, version: 'v1.2' }, 'version', 'semantic version'],
    [{ ...minimal, name: '' }, 'name', ''],
    [{ ...minimal, risk: 'extreme' }, 'risk', ''],
    [{ ...minimal, sideEffects: 'delete' }, 'sideEffects', ''],
    [{ ...minimal, tools: ['Web Search'] }, 'tools.0', 'tool name'],
    [{ ...minimal, permissions: ['net: spaces'] }, 'permissions.0', 'kind:target'],
    [
      { ...minimal, dependencies: { 'finance/rates': '' } },
      'dependencies.finance/rates',
      'semver range',
    ],
    [{ ...minimal, entry: '../escape.ts' }, 'entry', 'relative path inside the skill folder'],
    [{ ...minimal, entry: '/abs/index.ts' }, 'entry', 'relative path inside the skill folder'],
    [{ ...minimal, budget: { maxTokens: -1 } }, 'budget.maxTokens', ''],
    [{ ...minimal, descripton: 'typo' }, '(root)', 'descripton'],
    [
      {
        ...minimal,
        input: { type: 'object', properties: { a: { type: 'string' } }, requird: ['a'] },
      },
      'input',
      'requird',
    ],
    [
      { ...minimal, input: { type: 'object', properties: {}, required: ['amount'] } },
      'input.required',
      '"amount" is required but not declared',
    ],
    [{ ...minimal, input: { type: 'string' } }, 'input.type', 'must be an object schema'],
    [
      {
        ...minimal,
        input: { type: 'object', properties: { a: { type: 'string', pattern: '([' } } },
      },
      'input.properties.a.pattern',
      'valid regular expression',
    ],
    [{ ...minimal, tools: ['web.search', 'web.search'] }, 'tools.1.name', 'declared twice'],
    [
      { ...minimal, dependencies: { 'finance/convert-currency': '^1.0.0' } },
      'dependencies.finance/convert-currency',
      'itself',
    ],
    [{ ...minimal, sideEffects: 'payment' }, 'risk', 'payment side effects'],
  ])('rejects %j naming %s', (data, path, reason) => {
    const issues = issuesOf(data)
    const issue = issues.find((i) => i.path === path)
    expect(issue, `issues were ${JSON.stringify(issues)}`).toBeDefined()
    const text = `${issue!.path}: ${issue!.message}`
    expect(text).toContain(reason)
  })

  it('names the file in the error message', () => {
    const error = (() => {
      try {
        parseSkillManifest(
          { ...minimal, version: 'one' },
          'skills/finance/convert-currency/skill.yaml',
        )
      } catch (e) {
        return e as Error
      }
    })()
    expect(error?.message).toBe(
      'Invalid skill manifest (skills/finance/convert-currency/skill.yaml): version: must be a semantic version such as "1.2.0"',
    )
  })

  it('exports a JSON Schema that editors can use, matching the zod schema on required keys', () => {
    const schema = skillManifestJsonSchema()
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.required).toEqual(['id', 'version', 'name', 'description'])
    expect(Object.keys(schema.properties as object)).toEqual(Object.keys(skillManifestSchema.shape))
    expect(schema.additionalProperties).toBe(false)
  })
})
