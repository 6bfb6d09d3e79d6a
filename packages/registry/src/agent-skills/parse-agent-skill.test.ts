import { parseSkillManifest } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { SkillLoadError, formatProblem, type SkillProblem } from '../problems.js'
import { parseAgentSkill, type AgentSkill } from './parse-agent-skill.js'

const file = 'skills/pdf/SKILL.md'

function parse(text: string, options: { folderName?: string; domain?: string } = {}): AgentSkill {
  return parseAgentSkill(text, { file, folderName: 'pdf', ...options })
}

function md(frontmatter: string, body = '\n# PDF\n\nFill forms.\n'): string {
  return `---\n${frontmatter}\n---\n${body}`
}

function problemsOf(run: () => unknown): SkillProblem[] {
  try {
    run()
  } catch (error) {
    if (error instanceof SkillLoadError) return error.problems
    throw error
  }
  throw new Error('expected a SkillLoadError')
}

function warning(skill: AgentSkill, code: string): SkillProblem | undefined {
  return skill.warnings.find((w) => w.code === code)
}

describe('parseAgentSkill: a spec-valid file', () => {
  const skill = parse(md('name: pdf\ndescription: Fill PDF forms. Use when a form must be filled.'))

  it('maps it onto a valid manifest with SkillOS defaults', () => {
    expect(parseSkillManifest(skill.manifest)).toEqual(skill.manifest)
    expect(skill.manifest).toMatchObject({
      id: 'agent-skills/pdf',
      version: '0.0.0',
      name: 'pdf',
      description: 'Fill PDF forms. Use when a form must be filled.',
      tags: [],
      examples: [],
      tools: [],
      risk: 'low',
      sideEffects: 'read',
    })
  })

  it('returns the body as instructions, without the leading blank line, and where it starts', () => {
    expect(skill.instructions).toBe('# PDF\n\nFill forms.')
    expect(skill.instructionsLine).toBe(6)
  })

  it('has no warnings', () => {
    expect(skill.warnings).toEqual([])
    expect(skill.metadata).toEqual({})
    expect(skill.allowedTools).toEqual([])
    expect(skill.compatibility).toBeUndefined()
  })
})

describe('parseAgentSkill: file shape', () => {
  it('ignores a byte-order mark', () => {
    const skill = parse(`\uFEFF${md('name: pdf\ndescription: Fill forms.')}`)
    expect(skill.manifest.name).toBe('pdf')
    expect(skill.warnings).toEqual([])
  })

  it('reads CRLF line endings and reports lines as in the file', () => {
    const text = md(
      'name: pdf\ndescription: Fill forms.\nextra: 1',
      '\n\nBody\nline two\n',
    ).replace(/\n/g, '\r\n')
    const skill = parse(text)
    expect(skill.instructions).toBe('Body\nline two')
    expect(skill.instructionsLine).toBe(8)
    expect(warning(skill, 'AGENT_SKILL_UNKNOWN_FIELD')).toMatchObject({ line: 4, field: 'extra' })
  })

  it('keeps "---" lines inside the body as body text', () => {
    const skill = parse(
      md('name: pdf\ndescription: Fill forms.', '\nIntro\n\n---\n\nname: not-a-field\n---\n'),
    )
    expect(skill.instructions).toBe('Intro\n\n---\n\nname: not-a-field\n---')
    expect(skill.frontmatter).toEqual({ name: 'pdf', description: 'Fill forms.' })
  })

  it('accepts blank lines before the frontmatter and counts them in line numbers', () => {
    const skill = parse(`\n\n${md('name: pdf\ndescription: Fill forms.\nfoo: bar')}`)
    expect(warning(skill, 'AGENT_SKILL_UNKNOWN_FIELD')?.line).toBe(6)
  })

  it('refuses a file without frontmatter', () => {
    expect(problemsOf(() => parse('# PDF\n\nFill forms.\n'))).toEqual([
      expect.objectContaining({ code: 'AGENT_SKILL_FRONTMATTER_MISSING', file, line: 1 }),
    ])
    expect(problemsOf(() => parse(''))[0]?.code).toBe('AGENT_SKILL_FRONTMATTER_MISSING')
  })

  it('refuses frontmatter that is never closed, pointing at its opening line', () => {
    expect(problemsOf(() => parse('---\nname: pdf\ndescription: Fill forms.\n# PDF\n'))).toEqual([
      expect.objectContaining({ code: 'AGENT_SKILL_FRONTMATTER_UNCLOSED', line: 1 }),
    ])
  })

  it('refuses frontmatter that is a list or a scalar, not a mapping', () => {
    expect(problemsOf(() => parse(md('- name\n- description')))[0]).toMatchObject({
      code: 'AGENT_SKILL_FRONTMATTER_NOT_A_MAP',
      line: 2,
    })
    expect(problemsOf(() => parse(md('just text')))[0]?.code).toBe(
      'AGENT_SKILL_FRONTMATTER_NOT_A_MAP',
    )
  })

  it('refuses a file over 1 MiB with a clear message', () => {
    const text = md('name: pdf\ndescription: Fill forms.', 'x'.repeat(1024 * 1024))
    const [problem] = problemsOf(() => parse(text))
    expect(problem?.code).toBe('AGENT_SKILL_TOO_LARGE')
    expect(problem?.message).toContain('at most 1048576 bytes')
  })

  it('refuses binary content', () => {
    const garbage = '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR'
    expect(problemsOf(() => parse(garbage))[0]?.code).toBe('AGENT_SKILL_BINARY')
  })

  it('never fails with anything but SkillLoadError on random input', () => {
    let seed = 42
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const alphabet = [
      '---\n',
      'name: ',
      'description: ',
      ':',
      '\n',
      '  ',
      '\t',
      '- ',
      '[',
      '{',
      '"',
      "'",
      '|',
      '>',
      '&a ',
      '*a',
      '#',
      'x',
      '\r',
      '…',
    ]
    let imported = 0
    for (let run = 0; run < 500; run++) {
      let text = random() < 0.7 ? '---\n' : ''
      const length = Math.floor(random() * 40)
      for (let i = 0; i < length; i++)
        text += alphabet[Math.floor(random() * alphabet.length)] ?? ''
      try {
        const skill = parse(text)
        parseSkillManifest(skill.manifest)
        imported++
      } catch (error) {
        expect(error, JSON.stringify(text)).toBeInstanceOf(SkillLoadError)
      }
    }
    expect(imported).toBeLessThan(500)
  })

  it('refuses an alias bomb instead of expanding it', () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level)
      const next = String.fromCharCode(97 + level)
      rows.push(`${next}: &${next} [${Array(9).fill(`*${previous}`).join(',')}]`)
    }
    const problems = problemsOf(() => parse(md(`${rows.join('\n')}\nname: pdf\ndescription: d`)))
    expect(problems[0]?.code).toBe('YAML_SYNTAX')
  })

  it('warns when there are no instructions after the frontmatter', () => {
    const skill = parse('---\nname: pdf\ndescription: Fill forms.\n---\n')
    expect(skill.instructions).toBe('')
    expect(warning(skill, 'AGENT_SKILL_BODY_EMPTY')).toMatchObject({ line: 4 })
  })
})

describe('parseAgentSkill: YAML problems', () => {
  it('refuses YAML that does not parse, placed on the SKILL.md line', () => {
    const problems = problemsOf(() => parse(md('name: pdf\ndescription: [unclosed\nlicense: MIT')))
    expect(problems[0]).toMatchObject({ code: 'YAML_SYNTAX', file })
    expect(problems[0]?.line).toBeGreaterThanOrEqual(3)
  })

  it('reads a description containing ": " after quoting it, with a warning', () => {
    const skill = parse(md('name: pdf\ndescription: Fill forms. Use when: a PDF has fields'))
    expect(skill.manifest.description).toBe('Fill forms. Use when: a PDF has fields')
    expect(warning(skill, 'AGENT_SKILL_YAML_REPAIRED')).toMatchObject({ line: 3 })
    expect(warning(skill, 'AGENT_SKILL_YAML_REPAIRED')?.message).toContain('quoting 1 value')
  })

  it('reads tab-indented metadata after replacing the tabs, with a warning', () => {
    const skill = parse(md('name: pdf\ndescription: Fill forms.\nmetadata:\n\tversion: "1.2.0"'))
    expect(skill.manifest.version).toBe('1.2.0')
    expect(warning(skill, 'AGENT_SKILL_YAML_REPAIRED')?.message).toContain('tabs')
  })
})

describe('parseAgentSkill: name and id', () => {
  it('falls back to the folder name when name is missing', () => {
    const skill = parse(md('description: Fill forms.'), { folderName: 'pdf-forms' })
    expect(skill.manifest).toMatchObject({ id: 'agent-skills/pdf-forms', name: 'pdf-forms' })
    expect(warning(skill, 'AGENT_SKILL_NAME_MISSING')).toMatchObject({ field: 'name', line: 1 })
  })

  it('makes an invalid name an id segment and keeps it as the title', () => {
    const skill = parse(md('name: Crème Brûlée -- Tools!\ndescription: Desserts.'))
    expect(skill.manifest).toMatchObject({
      id: 'agent-skills/creme-brulee-tools',
      name: 'Crème Brûlée -- Tools!',
    })
    const invalid = skill.warnings.filter((w) => w.code === 'AGENT_SKILL_NAME_INVALID')
    expect(invalid.map((w) => w.message)).toEqual([
      expect.stringContaining('lowercase letters a-z'),
      expect.stringContaining('consecutive hyphens'),
    ])
    expect(invalid[0]?.message).toContain('the id uses "creme-brulee-tools"')
    expect(warning(skill, 'AGENT_SKILL_NAME_MISMATCH')?.line).toBe(2)
  })

  it('reads a numeric name as text', () => {
    expect(parse(md('name: 2048\ndescription: A game.')).manifest.id).toBe('agent-skills/2048')
  })

  it('cuts an id segment to 64 characters', () => {
    const long = `${'word-'.repeat(20)}end`
    const skill = parse(md(`name: ${long}\ndescription: Long.`))
    const slug = skill.manifest.id.split('/')[1] ?? ''
    expect(slug.length).toBeLessThanOrEqual(64)
    expect(slug.endsWith('-')).toBe(false)
    expect(warning(skill, 'AGENT_SKILL_NAME_INVALID')?.message).toContain('at most 64')
  })

  it('falls back to the folder when the name has no usable characters', () => {
    const skill = parse(md('name: 日本語\ndescription: Japanese.'), { folderName: 'nihongo' })
    expect(skill.manifest.id).toBe('agent-skills/nihongo')
  })

  it('refuses a skill when neither name nor folder gives an id', () => {
    const problems = problemsOf(() => parse(md('name: "!!!"\ndescription: d'), { folderName: '…' }))
    expect(problems).toEqual([
      expect.objectContaining({ code: 'AGENT_SKILL_NAME_INVALID', field: 'name', line: 2 }),
    ])
  })

  it('uses the domain it is given, normalised with a warning when needed', () => {
    expect(parse(md('name: pdf\ndescription: d'), { domain: 'docs' }).manifest.id).toBe('docs/pdf')
    const skill = parse(md('name: pdf\ndescription: d'), { domain: 'My Docs' })
    expect(skill.manifest.id).toBe('my-docs/pdf')
    expect(warning(skill, 'AGENT_SKILL_DOMAIN_INVALID')?.message).toContain('"my-docs"')
    expect(parse(md('name: pdf\ndescription: d'), { domain: '***' }).manifest.id).toBe(
      'agent-skills/pdf',
    )
  })

  it('takes the domain from metadata.skillos-id, then metadata.domain, then agent-skills', () => {
    const both = 'name: pdf\ndescription: d\nmetadata:\n  skillos-id: office/pdf\n  domain: other'
    expect(parse(md(both)).manifest.id).toBe('office/pdf')
    expect(parse(md(both), { domain: 'docs' }).manifest.id).toBe('docs/pdf')
    expect(parse(md('name: pdf\ndescription: d\nmetadata:\n  domain: Office')).manifest.id).toBe(
      'office/pdf',
    )
  })

  it('warns when metadata.skillos-id disagrees with the name, and lets the name win', () => {
    const skill = parse(md('name: pdf\ndescription: d\nmetadata:\n  skillos-id: office/word'))
    expect(skill.manifest.id).toBe('office/pdf')
    expect(warning(skill, 'AGENT_SKILL_ID_MISMATCH')).toMatchObject({
      field: 'metadata.skillos-id',
      line: 5,
    })
    const bad = parse(md('name: pdf\ndescription: d\nmetadata:\n  skillos-id: Not An Id'))
    expect(bad.manifest.id).toBe('agent-skills/pdf')
    expect(warning(bad, 'AGENT_SKILL_ID_MISMATCH')?.message).toContain('ignored')
  })

  it('uses metadata.title as the manifest name, cut to 120 characters', () => {
    const title = 'A very long title '.repeat(10).trim()
    const skill = parse(md(`name: pdf\ndescription: d\nmetadata:\n  title: ${title}`))
    expect(skill.manifest.name.length).toBeLessThanOrEqual(120)
    expect(skill.manifest.name.startsWith('A very long title')).toBe(true)
    expect(warning(skill, 'AGENT_SKILL_NAME_TOO_LONG')?.field).toBe('metadata.title')
  })
})

describe('parseAgentSkill: description', () => {
  it('refuses a skill without a description: it cannot be routed', () => {
    expect(problemsOf(() => parse(md('name: pdf')))).toEqual([
      expect.objectContaining({
        code: 'AGENT_SKILL_DESCRIPTION_MISSING',
        field: 'description',
        line: 1,
      }),
    ])
    expect(problemsOf(() => parse(md('name: pdf\ndescription: "   "')))[0]).toMatchObject({
      code: 'AGENT_SKILL_DESCRIPTION_MISSING',
      line: 3,
    })
    expect(problemsOf(() => parse('---\n---\nBody'))[0]?.code).toBe(
      'AGENT_SKILL_DESCRIPTION_MISSING',
    )
  })

  it('refuses a description that is a list, naming the field', () => {
    const [problem] = problemsOf(() => parse(md('name: pdf\ndescription:\n  - a\n  - b')))
    expect(problem).toMatchObject({ code: 'AGENT_SKILL_DESCRIPTION_NOT_STRING', line: 3 })
    expect(formatProblem(problem as SkillProblem)).toBe(
      `${file}:3 description: must be text, not a list`,
    )
  })

  it('reads a numeric description as text with a warning', () => {
    const skill = parse(md('name: pdf\ndescription: 42'))
    expect(skill.manifest.description).toBe('42')
    expect(warning(skill, 'AGENT_SKILL_DESCRIPTION_NOT_STRING')?.message).toContain('read as text')
  })

  it('cuts an over-long description at a word for the manifest and keeps the whole in frontmatter', () => {
    const long = 'Fill forms and extract tables from PDF documents. '.repeat(30).trim()
    const skill = parse(md(`name: pdf\ndescription: ${long}`))
    expect(skill.manifest.description.length).toBeLessThanOrEqual(1024)
    expect(skill.manifest.description).toMatch(/\w…$/)
    expect(long.startsWith(skill.manifest.description.slice(0, -1))).toBe(true)
    expect(skill.frontmatter.description).toBe(long)
    expect(warning(skill, 'AGENT_SKILL_DESCRIPTION_TOO_LONG')?.message).toContain('cut at a word')
  })
})

describe('parseAgentSkill: optional fields', () => {
  it('reads version from metadata, padding short forms, else 0.0.0', () => {
    const version = (value: string) =>
      parse(md(`name: pdf\ndescription: d\nmetadata:\n  version: ${value}`))
    expect(version('"1.2.3-beta.1"').manifest.version).toBe('1.2.3-beta.1')
    expect(version('v2.0.0').manifest.version).toBe('2.0.0')
    expect(version('1.2').manifest.version).toBe('1.2.0')
    expect(version('"3"').manifest.version).toBe('3.0.0')
    const latest = version('latest')
    expect(latest.manifest.version).toBe('0.0.0')
    expect(warning(latest, 'AGENT_SKILL_VERSION_INVALID')).toMatchObject({ line: 5 })
  })

  it('reads tags from metadata.tags or keywords, lowercased, leaving out what cannot be a tag', () => {
    const tags = (value: string) => parse(md(`name: pdf\ndescription: d\nmetadata:\n  ${value}`))
    expect(tags('tags: "PDF, Forms , OCR"').manifest.tags).toEqual(['pdf', 'forms', 'ocr'])
    expect(tags('keywords: pdf forms').manifest.tags).toEqual(['pdf', 'forms'])
    const list = tags('tags: [Machine Learning, "#ocr", C++, pdf, PDF]')
    expect(list.manifest.tags).toEqual(['machine-learning', 'ocr', 'pdf'])
    expect(warning(list, 'AGENT_SKILL_TAG_INVALID')?.message).toContain('"C++"')
    const many = tags(`tags: "${Array.from({ length: 40 }, (_, i) => `t${i}`).join(',')}"`)
    expect(many.manifest.tags).toHaveLength(32)
    expect(warning(many, 'AGENT_SKILL_TOO_MANY_TAGS')).toBeDefined()
  })

  it('stringifies non-string metadata values with a warning each', () => {
    const skill = parse(
      md(
        'name: pdf\ndescription: d\nmetadata:\n  n: 3\n  b: true\n  empty:\n  list: [a, b]\n  map: {k: v}\n  s: ok',
      ),
    )
    expect(skill.metadata).toEqual({
      n: '3',
      b: 'true',
      empty: '',
      list: '["a","b"]',
      map: '{"k":"v"}',
      s: 'ok',
    })
    const notString = skill.warnings.filter((w) => w.code === 'AGENT_SKILL_METADATA_NOT_STRING')
    expect(notString.map((w) => [w.field, w.line])).toEqual([
      ['metadata.n', 5],
      ['metadata.b', 6],
      ['metadata.empty', 7],
      ['metadata.list', 8],
      ['metadata.map', 9],
    ])
    expect(notString[3]?.message).toContain('stored as the text "[\\"a\\",\\"b\\"]"')
  })

  it('ignores metadata that is not a mapping, with a warning', () => {
    const skill = parse(md('name: pdf\ndescription: d\nmetadata: [a, b]'))
    expect(skill.metadata).toEqual({})
    expect(warning(skill, 'AGENT_SKILL_METADATA_INVALID')).toMatchObject({ line: 4 })
  })

  it('normalises allowed-tools from a string, a list or commas', () => {
    const tools = (value: string) => parse(md(`name: pdf\ndescription: d\nallowed-tools: ${value}`))
    expect(tools('Read Grep  Bash(git log:*)').allowedTools).toEqual([
      'Read',
      'Grep',
      'Bash(git log:*)',
    ])
    const list = tools('[Read, Read, Glob]')
    expect(list.allowedTools).toEqual(['Read', 'Glob'])
    expect(warning(list, 'AGENT_SKILL_ALLOWED_TOOLS_LIST')?.message).toContain('read as 2 tools')
    const invalid = tools('42')
    expect(invalid.allowedTools).toEqual([])
    expect(warning(invalid, 'AGENT_SKILL_ALLOWED_TOOLS_INVALID')).toBeDefined()
  })

  it('infers write side effects and medium risk from tools that write or run commands', () => {
    const effects = (frontmatter: string) =>
      parse(md(`name: pdf\ndescription: d\n${frontmatter}`)).manifest
    expect(effects('allowed-tools: Read Grep')).toMatchObject({ risk: 'low', sideEffects: 'read' })
    expect(effects('allowed-tools: Read Bash(npm test)')).toMatchObject({
      risk: 'medium',
      sideEffects: 'write',
    })
    expect(
      effects('allowed-tools: Edit\nmetadata:\n  risk: low\n  side-effects: read'),
    ).toMatchObject({
      risk: 'medium',
      sideEffects: 'write',
    })
    expect(effects('metadata:\n  risk: high')).toMatchObject({ risk: 'high', sideEffects: 'read' })
    expect(effects('metadata:\n  side-effects: payment')).toMatchObject({
      risk: 'medium',
      sideEffects: 'payment',
    })
  })

  it('maps license, author and homepage, cutting what is too long', () => {
    const skill = parse(
      md(
        `name: pdf\ndescription: d\nlicense: ${'Apache-2.0 with extra terms '.repeat(5)}\nmetadata:\n  author: Ada\n  source: https://example.com/pdf`,
      ),
    )
    expect(skill.manifest.license?.length).toBeLessThanOrEqual(100)
    expect(warning(skill, 'AGENT_SKILL_LICENSE_TOO_LONG')).toMatchObject({ line: 4 })
    expect(skill.manifest).toMatchObject({ author: 'Ada', homepage: 'https://example.com/pdf' })

    const bad = parse(
      md('name: pdf\ndescription: d\nmetadata:\n  author: [a]\n  homepage: not a url'),
    )
    expect(bad.manifest.author).toBeUndefined()
    expect(bad.manifest.homepage).toBeUndefined()
    expect(warning(bad, 'AGENT_SKILL_AUTHOR_INVALID')).toBeDefined()
    expect(warning(bad, 'AGENT_SKILL_HOMEPAGE_INVALID')).toBeDefined()
  })

  it('keeps compatibility, warning when it breaks the spec', () => {
    expect(parse(md('name: pdf\ndescription: d\ncompatibility: Python 3.10+')).compatibility).toBe(
      'Python 3.10+',
    )
    const long = parse(md(`name: pdf\ndescription: d\ncompatibility: ${'x'.repeat(600)}`))
    expect(long.compatibility).toHaveLength(600)
    expect(warning(long, 'AGENT_SKILL_COMPATIBILITY_TOO_LONG')).toBeDefined()
    const list = parse(md('name: pdf\ndescription: d\ncompatibility: [a]'))
    expect(list.compatibility).toBeUndefined()
    expect(warning(list, 'AGENT_SKILL_COMPATIBILITY_INVALID')?.message).toContain('ignored')
  })

  it('restores examples written by toSkillMd and ignores a malformed list', () => {
    const skill = parse(
      md(`name: pdf\ndescription: d\nmetadata:\n  skillos-examples: '["fill this form", ""]'`),
    )
    expect(skill.manifest.examples).toEqual(['fill this form'])
    const bad = parse(md('name: pdf\ndescription: d\nmetadata:\n  skillos-examples: fill it'))
    expect(bad.manifest.examples).toEqual([])
    expect(warning(bad, 'AGENT_SKILL_EXAMPLES_INVALID')).toBeDefined()
  })

  it('keeps unknown fields in the frontmatter with a warning naming each', () => {
    const skill = parse(
      md('name: pdf\ndescription: d\nargument-hint: "[file]"\nuser-invocable: true'),
    )
    expect(skill.frontmatter['argument-hint']).toBe('[file]')
    expect(skill.warnings.map((w) => formatProblem(w))).toEqual([
      `${file}:4 argument-hint: is not an Agent Skills field (allowed: name, description, license, compatibility, metadata, allowed-tools); kept in the frontmatter, not used`,
      `${file}:5 user-invocable: is not an Agent Skills field (allowed: name, description, license, compatibility, metadata, allowed-tools); kept in the frontmatter, not used`,
    ])
  })
})
