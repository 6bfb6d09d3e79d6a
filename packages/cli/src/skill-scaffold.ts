import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** What `add-skill` (and `init`) need to write one skill folder. */
export interface SkillScaffoldOptions {
  /** `domain/name`, already checked against the manifest's id pattern. */
  id: string
  description?: string
  /** Example requests; the defaults (EN and RU, each with a quoted text) when empty. */
  examples?: readonly string[]
  /** Where the @skillos packages come from: this monorepo's workspace, or the registry. */
  packages: 'workspace' | 'registry'
}

/** The word and character counts the generated skill computes; the generator uses them for its test. */
export interface TextCounts {
  words: number
  characters: number
  lines: number
}

/** The template's computation, kept in step with the generated `lib/count-text.ts`. */
export function countText(text: string): TextCounts {
  return {
    words: text.split(/\s+/u).filter((word) => word.length > 0).length,
    characters: [...text].length,
    lines: text === '' ? 0 : text.split(/\r?\n/u).length,
  }
}

export const DEFAULT_EXAMPLES = ['count words in "hello world"', 'посчитай слова в "привет мир"']

/** Versions written into generated package.json files outside the monorepo. */
export const DEPENDENCY_VERSIONS = {
  zod: '^4.6.7',
  vitest: '^4.1.12',
  typescript: '~5.9.3',
  '@types/node': '^20.19.0',
  eslint: '^10.15.0',
} as const

/** `^<this CLI's version>`: the range of the @skillos packages a generated project depends on. */
export function skillosVersionRange(): string {
  const file = new URL('../package.json', import.meta.url)
  const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version: string }
  return `^${version}`
}

/**
 * The SkillOS monorepo `dir` is in, if any: the nearest folder up with a pnpm-workspace.yaml that
 * also holds packages/sdk. Any other pnpm workspace (an `init` project) takes the packages from the
 * registry, where `workspace:*` would not resolve.
 */
export function findSkillosMonorepo(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (
      existsSync(join(current, 'pnpm-workspace.yaml')) &&
      existsSync(join(current, 'packages', 'sdk', 'package.json'))
    ) {
      return current
    }
    if (dirname(current) === current) return undefined
  }
}

/** `finance/convert-currency` → `Convert currency`. */
export function nameFromId(id: string): string {
  const words = (id.split('/')[1] ?? id).split('-').join(' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

const QUOTED = /"([^"]+)"|«([^»]+)»|“([^”]+)”/u

/** The text in the first quotes of `request`, as the generic extractor reads it. */
export function quotedText(request: string): string | undefined {
  const match = QUOTED.exec(request)
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined
}

/** A YAML scalar: JSON strings are valid YAML and need no escaping rules of their own. */
const yamlString = (value: string) => JSON.stringify(value)

export interface SkillScaffold {
  /** Every file of the new folder, keyed by its path inside it. */
  files: Record<string, string>
  /** The example request with a quoted text that the generated end-to-end test runs. */
  example: string
}

/** The files of a new skill folder that counts the words of a quoted text. */
export function renderSkillFiles(options: SkillScaffoldOptions): SkillScaffold {
  const { id } = options
  const [domain = id, name = id] = id.split('/')
  const title = nameFromId(id)
  const description =
    options.description?.trim() ||
    `${title}: count the words, characters and lines of a text given in quotes`
  const given = (options.examples ?? []).map((e) => e.trim()).filter((e) => e.length > 0)
  const examples = given.length > 0 ? [...given] : [...DEFAULT_EXAMPLES]
  // The end-to-end test routes an example whose quoted text fills `text`; keep one if none is given.
  let request = examples.find((e) => quotedText(e) !== undefined)
  if (!request) {
    request = DEFAULT_EXAMPLES[0] as string
    examples.push(request)
  }
  const requestText = quotedText(request) ?? ''
  const expected = countText(requestText)
  const workspace = options.packages === 'workspace'
  const skillos = workspace ? 'workspace:*' : skillosVersionRange()

  const packageJson = {
    name: `@skillos-skills/${domain}-${name}`,
    version: '0.1.0',
    private: true,
    type: 'module',
    description,
    scripts: {
      typecheck: 'tsc --noEmit',
      ...(workspace ? { lint: 'eslint .' } : {}),
      test: 'vitest run',
    },
    dependencies: {
      '@skillos/contracts': skillos,
      '@skillos/sdk': skillos,
      zod: DEPENDENCY_VERSIONS.zod,
    },
    // The shared lint, tsconfig and vitest presets are private to the monorepo: outside it the
    // folder carries plain configs instead.
    devDependencies: workspace
      ? {
          '@skillos/eslint-config': 'workspace:*',
          '@skillos/tsconfig': 'workspace:*',
          '@skillos/vitest-config': 'workspace:*',
          '@types/node': DEPENDENCY_VERSIONS['@types/node'],
          eslint: DEPENDENCY_VERSIONS.eslint,
          typescript: DEPENDENCY_VERSIONS.typescript,
          vitest: DEPENDENCY_VERSIONS.vitest,
        }
      : {
          '@types/node': DEPENDENCY_VERSIONS['@types/node'],
          typescript: DEPENDENCY_VERSIONS.typescript,
          vitest: DEPENDENCY_VERSIONS.vitest,
        },
  }

  const tsconfig = workspace
    ? {
        extends: '@skillos/tsconfig/base.json',
        include: ['**/*.ts'],
        exclude: ['node_modules'],
      }
    : {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          strict: true,
          noUncheckedIndexedAccess: true,
          isolatedModules: true,
          verbatimModuleSyntax: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ['**/*.ts'],
        exclude: ['node_modules'],
      }

  const files: Record<string, string> = {
    'skill.yaml': `id: ${id}
version: 1.0.0
name: ${yamlString(title)}
description: ${yamlString(description)}
tags: [${domain}]
examples:
${examples.map((e) => `  - ${yamlString(e)}`).join('\n')}
input:
  type: object
  properties:
    text:
      type: string
      title: Text
      description: The text to count, in quotes in a request
  required: [text]
output:
  type: object
  properties:
    words:
      type: integer
      description: Runs of non-space characters
    characters:
      type: integer
      description: Unicode characters (code points), spaces included
    lines:
      type: integer
  required: [words, characters, lines]
risk: low
sideEffects: read
`,
    'index.ts': `import { defineSkill } from '@skillos/sdk'
import { z } from 'zod'
import { countText } from './lib/count-text.js'

export default defineSkill({
  input: z.object({ text: z.string() }),
  output: z.object({
    words: z.number().int(),
    characters: z.number().int(),
    lines: z.number().int(),
  }),
  handler: ({ text }) => countText(text),
})
`,
    'lib/count-text.ts': `export interface TextCounts {
  words: number
  characters: number
  lines: number
}

/** Words (runs of non-space characters), characters (code points, so "ё" and "😀" count once) and lines. */
export function countText(text: string): TextCounts {
  return {
    words: text.split(/\\s+/u).filter((word) => word.length > 0).length,
    characters: [...text].length,
    lines: text === '' ? 0 : text.split(/\\r?\\n/u).length,
  }
}
`,
    'lib/count-text.test.ts': `import { describe, expect, it } from 'vitest'
import { countText } from './count-text.js'

describe('countText', () => {
  it.each([
    ['hello world', { words: 2, characters: 11, lines: 1 }],
    ['  привет,   мир  ', { words: 2, characters: 17, lines: 1 }],
    ['one\\ntwo three', { words: 3, characters: 13, lines: 2 }],
    ['smile 😀', { words: 2, characters: 7, lines: 1 }],
    ['', { words: 0, characters: 0, lines: 0 }],
  ])('counts %j', (text, expected) => {
    expect(countText(text)).toEqual(expected)
  })
})
`,
    'index.test.ts': `import { fileURLToPath } from 'node:url'
import { createSkillTester, createTestContext, type SkillTester } from '@skillos/sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import skill from './index.js'

describe('handler', () => {
  it('counts the words, characters and lines of the text', async () => {
    const out = await skill.handler({ text: 'hello brave new world' }, createTestContext())
    expect(out).toEqual({ words: 4, characters: 21, lines: 1 })
  })
})

describe('end to end through the orchestrator', () => {
  let tester: SkillTester

  beforeAll(async () => {
    // This folder alone, so the test does not depend on the other skills installed beside it.
    tester = await createSkillTester({ skills: fileURLToPath(new URL('.', import.meta.url)) })
  })
  afterAll(async () => {
    await tester.close()
  })

  it(${yamlString(`routes ${JSON.stringify(request)} and counts the quoted text`)}, async () => {
    const run = await tester.run(${JSON.stringify(request)})
    expect(run.status).toBe('succeeded')
    expect(run.skill?.id).toBe(${JSON.stringify(id)})
    expect(run.output).toEqual({ words: ${expected.words}, characters: ${expected.characters}, lines: ${expected.lines} })
  })

  it('asks for the text when the request has none in quotes', async () => {
    const run = await tester.run({ skill: ${JSON.stringify(id)}, input: 'count these words' })
    expect(run.status).toBe('needs_input')
    expect(run.missing?.[0]?.field).toBe('text')
  })
})
`,
    'fixtures/README.md': `# Fixtures

Sample inputs for this skill's tests (documents, API responses saved as JSON). Tests read them with
\`new URL('./fixtures/<file>', import.meta.url)\`. None are needed yet.
`,
    'README.md': `# ${id}

${description}

Generated by \`skillos add-skill\`: a working starting point that counts the words, characters and
lines of a text. Replace \`lib/count-text.ts\` with what the skill should do, and keep
\`skill.yaml\` (input, output), the zod schemas in \`index.ts\` and the tests in step — the loader
refuses a handler whose schemas disagree with the manifest.

## Input

| field  | type              | meaning                              |
| ------ | ----------------- | ------------------------------------ |
| \`text\` | string (required) | the text to count, quoted in a request |

Output: \`words\`, \`characters\` (code points, spaces included), \`lines\`.

## Example requests

${examples.map((e) => `- ${e}`).join('\n')}

## Try it

\`\`\`sh
skillos validate
skillos test ${id}
skillos run ${yamlString(request)}
\`\`\`
`,
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    'vitest.config.ts': workspace
      ? `import { defineSkillosConfig } from '@skillos/vitest-config'

export default defineSkillosConfig({ root: '.' })
`
      : `import { defineConfig } from 'vitest/config'

export default defineConfig({ test: { root: '.' } })
`,
  }
  if (workspace) files['eslint.config.js'] = `export { default } from '@skillos/eslint-config'\n`
  return { files, example: request }
}
