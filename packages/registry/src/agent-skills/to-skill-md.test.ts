import { ValidationError, parseSkillManifest, type SkillManifestInput } from '@skillos/contracts'
import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import { parseAgentSkill } from './parse-agent-skill.js'
import { agentSkillFolderName, skillMdBody, toSkillMd } from './to-skill-md.js'
import { validateSkillMd } from './validate-skill-md.js'

const base: SkillManifestInput = {
  id: 'finance/convert-currency',
  version: '1.4.0',
  name: 'Convert currency',
  description: 'Convert an amount between currencies at the latest rate.',
  tags: ['finance', 'currency', 'fx'],
  examples: ['convert 100 usd to eur', 'how much is 50 CHF in yen?'],
  input: {
    type: 'object',
    properties: {
      amount: { type: 'number', description: 'How much | to convert' },
      from: { type: 'string', enum: ['USD', 'EUR'] },
      on: { type: 'string', format: 'date', title: 'Rate date' },
      notes: { type: 'array', items: { type: 'string' } },
    },
    required: ['amount', 'from'],
  },
  tools: ['fx.rates', { name: 'http_get', permissions: ['net:api.example.com'] }],
  license: 'MIT',
  author: 'Ada Lovelace',
  homepage: 'https://example.com/fx',
}

function manifest(overrides: Partial<SkillManifestInput> = {}) {
  return parseSkillManifest({ ...base, ...overrides })
}

function frontmatterOf(text: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text)
  return parseYaml(match?.[1] ?? '') as Record<string, unknown>
}

describe('toSkillMd', () => {
  it('writes spec frontmatter with SkillOS fields as text metadata', () => {
    expect(frontmatterOf(toSkillMd(manifest()))).toEqual({
      name: 'convert-currency',
      description: 'Convert an amount between currencies at the latest rate.',
      license: 'MIT',
      metadata: {
        'skillos-id': 'finance/convert-currency',
        version: '1.4.0',
        title: 'Convert currency',
        tags: 'finance, currency, fx',
        author: 'Ada Lovelace',
        homepage: 'https://example.com/fx',
        risk: 'low',
        'side-effects': 'read',
        'skillos-examples': '["convert 100 usd to eur","how much is 50 CHF in yen?"]',
      },
      'allowed-tools': 'fx.rates http_get',
    })
  })

  it('produces a file validateSkillMd accepts in a folder named after the id', () => {
    const m = manifest()
    expect(agentSkillFolderName(m)).toBe('convert-currency')
    expect(validateSkillMd(toSkillMd(m), 'convert-currency')).toEqual([])
    expect(validateSkillMd(toSkillMd(m, { folderName: 'fx' }), 'fx')[0]?.code).toBe(
      'AGENT_SKILL_NAME_MISMATCH',
    )
  })

  it('stays spec-valid for text YAML would otherwise misread', () => {
    const tricky = [
      'yes',
      '1.0',
      'null',
      '- looks like a list',
      'key: value # not a comment',
      'line one\n---\nline three',
      '"quoted" and \'single\'',
      'Crème brûlée 🍮 & <tags>',
    ]
    for (const description of tricky) {
      const m = manifest({
        description,
        name: description.split('\n')[0] ?? 'x',
        tags: [],
        examples: [],
      })
      const text = toSkillMd(m)
      expect(validateSkillMd(text, 'convert-currency'), description).toEqual([])
      expect(
        parseAgentSkill(text, { file: 'f', folderName: 'convert-currency' }).manifest.description,
      ).toBe(description)
    }
  })

  it('omits optional fields a manifest does not have', () => {
    const m = parseSkillManifest({
      id: 'docs/summarise',
      version: '0.1.0',
      name: 'summarise',
      description: 'Summarise a document.',
    })
    expect(frontmatterOf(toSkillMd(m))).toEqual({
      name: 'summarise',
      description: 'Summarise a document.',
      metadata: {
        'skillos-id': 'docs/summarise',
        version: '0.1.0',
        risk: 'low',
        'side-effects': 'read',
      },
    })
  })

  it('refuses an id whose name segment is longer than a spec name may be', () => {
    const m = manifest({ id: `finance/${'a'.repeat(65)}` })
    expect(() => toSkillMd(m)).toThrow(ValidationError)
    expect(() => toSkillMd(m)).toThrow(/at most 64/)
  })

  it('uses the instructions it is given as the body, with \\n line endings', () => {
    const text = toSkillMd(manifest(), { instructions: '\n# Steps\r\n\r\n1. Fetch the rate.\n\n' })
    expect(text.endsWith('---\n\n# Steps\n\n1. Fetch the rate.\n')).toBe(true)
  })
})

describe('skillMdBody', () => {
  it('writes the title, description, examples and an inputs table', () => {
    expect(skillMdBody(manifest())).toBe(
      [
        '# Convert currency',
        '',
        'Convert an amount between currencies at the latest rate.',
        '',
        '## When to use',
        '',
        'Requests this skill answers:',
        '',
        '- convert 100 usd to eur',
        '- how much is 50 CHF in yen?',
        '',
        '## Inputs',
        '',
        '| Name | Type | Required | Description |',
        '| --- | --- | --- | --- |',
        '| `amount` | number | yes | How much \\| to convert |',
        '| `from` | "USD" \\| "EUR" | yes |  |',
        '| `on` | string (date) | no | Rate date |',
        '| `notes` | array of string | no |  |',
      ].join('\n'),
    )
  })

  it('notes a deprecation and leaves out empty sections', () => {
    const body = skillMdBody(
      manifest({
        examples: [],
        input: { type: 'object', properties: {} },
        deprecated: { message: 'Use the new one.', replacement: 'finance/fx' },
      }),
    )
    expect(body).toContain('> **Deprecated:** Use the new one. Use `finance/fx` instead.')
    expect(body).not.toContain('## When to use')
    expect(body).not.toContain('## Inputs')
  })
})

describe('round trip skill.yaml → SKILL.md → import', () => {
  it('gives back id, version, name, description, tags, examples, license, author, homepage', () => {
    const m = manifest({ risk: 'high', sideEffects: 'external-communication' })
    const skill = parseAgentSkill(toSkillMd(m), {
      file: 'convert-currency/SKILL.md',
      folderName: 'convert-currency',
    })
    expect(skill.warnings).toEqual([])
    expect(skill.manifest).toMatchObject({
      id: m.id,
      version: m.version,
      name: m.name,
      description: m.description,
      tags: m.tags,
      examples: m.examples,
      license: m.license,
      author: m.author,
      homepage: m.homepage,
      risk: 'high',
      sideEffects: 'external-communication',
    })
    expect(skill.allowedTools).toEqual(['fx.rates', 'http_get'])
    expect(skill.instructions).toBe(skillMdBody(m))
  })

  it('keeps the id through metadata, and takes an explicit domain over it', () => {
    const text = toSkillMd(manifest())
    const read = (domain?: string) =>
      parseAgentSkill(text, {
        file: 'f',
        folderName: 'convert-currency',
        ...(domain === undefined ? {} : { domain }),
      }).manifest.id
    expect(read()).toBe('finance/convert-currency')
    expect(read('money')).toBe('money/convert-currency')
  })

  it('gives back a name equal to the id segment when the title is the segment', () => {
    const m = manifest({ name: 'convert-currency' })
    expect(frontmatterOf(toSkillMd(m)).metadata).not.toHaveProperty('title')
    expect(
      parseAgentSkill(toSkillMd(m), { file: 'f', folderName: 'convert-currency' }).manifest.name,
    ).toBe('convert-currency')
  })
})
