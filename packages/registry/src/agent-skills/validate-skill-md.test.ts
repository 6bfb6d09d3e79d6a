import { describe, expect, it } from 'vitest'
import { validateSkillMd } from './validate-skill-md.js'

const valid = [
  'name: pdf-forms',
  'description: Fill PDF forms. Use when a form must be filled.',
  'license: MIT',
  'compatibility: Python 3.10+',
  'metadata:',
  '  author: Ada',
  '  version: "1.0"',
  'allowed-tools: Read Bash(python:*)',
]

function validate(
  lines: string[],
  folder = 'pdf-forms',
): { code: string; line?: number; field?: string }[] {
  return validateSkillMd(`---\n${lines.join('\n')}\n---\n\n# PDF forms\n`, folder).map(
    ({ code, line, field }) => ({ code, line, ...(field === undefined ? {} : { field }) }),
  )
}

function replace(field: string, line: string | undefined): string[] {
  const rows = valid.filter((row) => !row.startsWith(`${field}:`))
  const index = valid.findIndex((row) => row.startsWith(`${field}:`))
  if (line !== undefined) rows.splice(index, 0, line)
  return rows
}

describe('validateSkillMd', () => {
  it('accepts a spec-valid file', () => {
    expect(validate(valid)).toEqual([])
    expect(validateSkillMd('---\nname: a\ndescription: d\n---\n', 'a')).toEqual([])
  })

  it('names the file after the folder unless told otherwise', () => {
    expect(validateSkillMd('# no frontmatter', 'pdf')[0]?.file).toBe('pdf/SKILL.md')
    expect(validateSkillMd('# no frontmatter', 'pdf', { file: 'x/SKILL.md' })[0]?.file).toBe(
      'x/SKILL.md',
    )
  })

  it('requires frontmatter on the first line, closed', () => {
    expect(validateSkillMd('# PDF\n', 'pdf')).toEqual([
      expect.objectContaining({ code: 'AGENT_SKILL_FRONTMATTER_MISSING', line: 1 }),
    ])
    expect(validateSkillMd('\n---\nname: pdf\ndescription: d\n---\n', 'pdf')).toEqual([
      expect.objectContaining({ code: 'AGENT_SKILL_FRONTMATTER_NOT_AT_TOP', line: 2 }),
    ])
    expect(validateSkillMd('---\nname: pdf\ndescription: d\n', 'pdf')[0]?.code).toBe(
      'AGENT_SKILL_FRONTMATTER_UNCLOSED',
    )
  })

  it('reports YAML that does not parse, even when the importer could repair it', () => {
    expect(validate(['name: pdf-forms', 'description: [open'])[0]?.code).toBe('YAML_SYNTAX')
    expect(validate(['name: pdf-forms', 'description: Use when: forms'])).toEqual([
      { code: 'AGENT_SKILL_YAML_REPAIRED', line: 3 },
    ])
  })

  it('requires the frontmatter to be a mapping', () => {
    expect(validate(['- name'])).toEqual([{ code: 'AGENT_SKILL_FRONTMATTER_NOT_A_MAP', line: 2 }])
  })

  it('checks every rule for name', () => {
    expect(validate(replace('name', undefined))).toEqual([
      { code: 'AGENT_SKILL_NAME_MISSING', line: 1, field: 'name' },
    ])
    expect(validate(replace('name', 'name: PDF-Forms'))).toEqual([
      { code: 'AGENT_SKILL_NAME_INVALID', line: 2, field: 'name' },
      { code: 'AGENT_SKILL_NAME_MISMATCH', line: 2, field: 'name' },
    ])
    expect(validate(['name: -pdf', 'description: d'], '-pdf')).toEqual([
      { code: 'AGENT_SKILL_NAME_INVALID', line: 2, field: 'name' },
    ])
    expect(validate(['name: pdf--forms', 'description: d'], 'pdf--forms')).toEqual([
      { code: 'AGENT_SKILL_NAME_INVALID', line: 2, field: 'name' },
    ])
    const long = 'a'.repeat(65)
    expect(validate([`name: ${long}`, 'description: d'], long)).toEqual([
      { code: 'AGENT_SKILL_NAME_INVALID', line: 2, field: 'name' },
    ])
    expect(validate(['name: 12', 'description: d'], '12')).toEqual([
      { code: 'AGENT_SKILL_NAME_INVALID', line: 2, field: 'name' },
    ])
    expect(validate(valid, 'other-folder')).toEqual([
      { code: 'AGENT_SKILL_NAME_MISMATCH', line: 2, field: 'name' },
    ])
  })

  it('explains each broken naming rule in its own message', () => {
    const problems = validateSkillMd('---\nname: -a--b-\ndescription: d\n---\n', '-a--b-')
    expect(problems.map((problem) => problem.message)).toEqual([
      '"-a--b-" must not start or end with a hyphen',
      '"-a--b-" must not contain consecutive hyphens ("--")',
    ])
  })

  it('checks description: present, text, at most 1024 characters', () => {
    expect(validate(replace('description', undefined))).toEqual([
      { code: 'AGENT_SKILL_DESCRIPTION_MISSING', line: 1, field: 'description' },
    ])
    expect(validate(replace('description', 'description: ""'))).toEqual([
      { code: 'AGENT_SKILL_DESCRIPTION_MISSING', line: 3, field: 'description' },
    ])
    expect(validate(replace('description', 'description: [a]'))).toEqual([
      { code: 'AGENT_SKILL_DESCRIPTION_NOT_STRING', line: 3, field: 'description' },
    ])
    expect(validate(replace('description', `description: ${'d'.repeat(1025)}`))).toEqual([
      { code: 'AGENT_SKILL_DESCRIPTION_TOO_LONG', line: 3, field: 'description' },
    ])
    expect(validate(replace('description', `description: ${'d'.repeat(1024)}`))).toEqual([])
  })

  it('checks license and compatibility', () => {
    expect(validate(replace('license', 'license: 2'))).toEqual([
      { code: 'AGENT_SKILL_LICENSE_NOT_STRING', line: 4, field: 'license' },
    ])
    expect(validate(replace('compatibility', 'compatibility: ""'))).toEqual([
      { code: 'AGENT_SKILL_COMPATIBILITY_INVALID', line: 5, field: 'compatibility' },
    ])
    expect(validate(replace('compatibility', `compatibility: ${'c'.repeat(501)}`))).toEqual([
      { code: 'AGENT_SKILL_COMPATIBILITY_TOO_LONG', line: 5, field: 'compatibility' },
    ])
  })

  it('checks metadata is a text-to-text mapping', () => {
    expect(validate(['name: pdf-forms', 'description: d', 'metadata: text'])).toEqual([
      { code: 'AGENT_SKILL_METADATA_INVALID', line: 4, field: 'metadata' },
    ])
    expect(validate(['name: pdf-forms', 'description: d', 'metadata:'])).toEqual([
      { code: 'AGENT_SKILL_METADATA_INVALID', line: 4, field: 'metadata' },
    ])
    expect(
      validate([
        'name: pdf-forms',
        'description: d',
        'metadata:',
        '  version: 1.0',
        '  list:',
        '    - a',
      ]),
    ).toEqual([
      { code: 'AGENT_SKILL_METADATA_NOT_STRING', line: 5, field: 'metadata.version' },
      { code: 'AGENT_SKILL_METADATA_NOT_STRING', line: 6, field: 'metadata.list' },
    ])
  })

  it('requires allowed-tools to be one string', () => {
    expect(validate(replace('allowed-tools', 'allowed-tools: [Read, Grep]'))).toEqual([
      { code: 'AGENT_SKILL_ALLOWED_TOOLS_LIST', line: 9, field: 'allowed-tools' },
    ])
    expect(validate(replace('allowed-tools', 'allowed-tools: {a: b}'))).toEqual([
      { code: 'AGENT_SKILL_ALLOWED_TOOLS_INVALID', line: 9, field: 'allowed-tools' },
    ])
  })

  it('refuses fields the spec does not define', () => {
    expect(validate([...valid, 'argument-hint: "[file]"', '"user-invocable": true'])).toEqual([
      { code: 'AGENT_SKILL_UNKNOWN_FIELD', line: 10, field: 'argument-hint' },
      { code: 'AGENT_SKILL_UNKNOWN_FIELD', line: 11, field: 'user-invocable' },
    ])
  })

  it('reports every violation at once', () => {
    expect(validate(['name: Bad Name', 'description: [x]', 'extra: 1']).map((p) => p.code)).toEqual(
      [
        'AGENT_SKILL_NAME_INVALID',
        'AGENT_SKILL_NAME_MISMATCH',
        'AGENT_SKILL_DESCRIPTION_NOT_STRING',
        'AGENT_SKILL_UNKNOWN_FIELD',
      ],
    )
  })
})
