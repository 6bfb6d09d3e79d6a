import { describe, expect, it } from 'vitest'
import { inferToolEffects, normaliseAllowedTools } from './allowed-tools.js'
import { resolveVersion } from './agent-skill-manifest.js'
import { toIdSegment } from './id-segment.js'
import { metadataValueText } from './metadata.js'
import { agentSkillNameProblems } from './spec.js'
import { readTags } from './tags.js'
import { truncateAtWord } from './text-limits.js'

describe('toIdSegment', () => {
  it('drops accents, lowercases and joins words with single hyphens', () => {
    expect(toIdSegment('Crème Brûlée -- Recipes!', 64)).toBe('creme-brulee-recipes')
    expect(toIdSegment('__PDF_tools__', 64)).toBe('pdf-tools')
  })

  it('cuts to the limit without a trailing hyphen, and gives up on text without letters or digits', () => {
    expect(toIdSegment('abc-def', 4)).toBe('abc')
    expect(toIdSegment('!!!', 64)).toBeUndefined()
    expect(toIdSegment('日本語', 64)).toBeUndefined()
  })
})

describe('truncateAtWord', () => {
  it('cuts at a word boundary and ends with an ellipsis', () => {
    expect(truncateAtWord('Convert money between currencies', 20)).toBe('Convert money…')
    expect(truncateAtWord('short', 20)).toBe('short')
  })

  it('cuts inside a long word when there is no boundary, never splitting a surrogate pair', () => {
    expect(truncateAtWord('a'.repeat(30), 10)).toBe(`${'a'.repeat(9)}…`)
    const cut = truncateAtWord(`${'a'.repeat(8)}😀😀😀`, 10)
    expect(cut).toBe(`${'a'.repeat(8)}…`)
    expect(cut.length).toBeLessThanOrEqual(10)
  })
})

describe('normaliseAllowedTools', () => {
  it('splits the spec string on spaces outside parentheses', () => {
    expect(normaliseAllowedTools('Read Bash(git add:*)  Write').tools).toEqual([
      'Read',
      'Bash(git add:*)',
      'Write',
    ])
  })

  it('notes commas and lists, and ignores other values', () => {
    expect(normaliseAllowedTools('Read, Write')).toMatchObject({
      tools: ['Read', 'Write'],
      usedCommas: true,
    })
    expect(normaliseAllowedTools(['Azure MCP/docs', 3, null])).toMatchObject({
      tools: ['Azure MCP/docs', '3'],
      wasList: true,
    })
    expect(normaliseAllowedTools({ a: 1 })).toMatchObject({ tools: [], invalid: true })
  })
})

describe('inferToolEffects', () => {
  it('treats tools that write files or run commands as write / medium', () => {
    expect(inferToolEffects(['Read', 'Grep'])).toEqual({ sideEffects: 'read', risk: 'low' })
    expect(inferToolEffects(['Bash(git status)'])).toEqual({ sideEffects: 'write', risk: 'medium' })
    expect(inferToolEffects(['multiedit'])).toEqual({ sideEffects: 'write', risk: 'medium' })
  })
})

describe('readTags', () => {
  it('reads text and lists, rejecting what cannot be a tag', () => {
    expect(readTags(['PDF, Forms', ['#ocr', 'C++', 'Machine Learning']])).toEqual({
      tags: ['pdf', 'forms', 'ocr', 'machine-learning'],
      rejected: ['C++'],
      dropped: 0,
    })
    expect(readTags(['überblick straße'])).toMatchObject({ tags: ['überblick', 'straße'] })
  })
})

describe('resolveVersion', () => {
  it('accepts semver and pads the short forms real files use', () => {
    expect(resolveVersion('1.2.3+build.5')).toBe('1.2.3+build.5')
    expect(resolveVersion(1.2)).toBe('1.2.0')
    expect(resolveVersion('01.02')).toBe('1.2.0')
    expect(resolveVersion('1.2.3.4')).toBeUndefined()
    expect(resolveVersion(['1.0.0'])).toBeUndefined()
  })
})

describe('metadataValueText', () => {
  it('turns every YAML value into text', () => {
    expect(metadataValueText('a')).toBe('a')
    expect(metadataValueText(1.5)).toBe('1.5')
    expect(metadataValueText(false)).toBe('false')
    expect(metadataValueText(null)).toBe('')
    expect(metadataValueText({ bins: ['uv'] })).toBe('{"bins":["uv"]}')
  })
})

describe('agentSkillNameProblems', () => {
  it('gives one reason per broken rule', () => {
    expect(agentSkillNameProblems('pdf-forms')).toEqual([])
    expect(agentSkillNameProblems('')).toEqual(['must not be empty'])
    expect(agentSkillNameProblems('PDF--')).toHaveLength(3)
  })
})
