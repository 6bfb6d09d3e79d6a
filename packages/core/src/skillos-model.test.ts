import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import type { ModelProvider, ModelRequest } from './model/index.js'
import { createSkillOS, type SkillOS } from './skillos.js'

const NODE_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url))

/** A scripted provider: answers from a function of the request, records what it was asked. */
function scriptedProvider(
  answer: (request: ModelRequest) => string,
): ModelProvider & { asked: ModelRequest[] } {
  const asked: ModelRequest[] = []
  return {
    name: 'scripted',
    model: 'scripted-model',
    asked,
    async generate(request) {
      asked.push(request)
      return {
        text: answer(request),
        usage: { inputTokens: 40, outputTokens: 10 },
        model: 'scripted-model',
      }
    },
  }
}

describe('createSkillOS with a model provider', () => {
  let base: string
  let withModel: SkillOS
  let withoutModel: SkillOS
  const provider = scriptedProvider((request) =>
    request.prompt.includes('Fields (JSON Schema)')
      ? request.prompt.includes('Bavarian')
        ? '{"origin": "Munich"}'
        : '{"origin": 42}'
      : `Summary: ${request.prompt.slice(0, 20)}`,
  )

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'skillos-model-'))
    await symlink(NODE_MODULES, join(base, 'node_modules'), 'dir')
    const root = join(base, 'skills')
    await mkdir(join(root, 'travel/flights'), { recursive: true })
    await writeFile(
      join(root, 'travel/flights/skill.yaml'),
      stringify({
        id: 'travel/flights',
        version: '1.0.0',
        name: 'Search flights',
        description: 'Search flights between two cities',
        examples: ['flights from Moscow to Dubai', 'find a flight to Paris'],
        input: {
          type: 'object',
          properties: {
            origin: { type: 'string', description: 'departure city' },
            destination: { type: 'string', description: 'arrival city' },
          },
          required: ['origin', 'destination'],
        },
      }),
    )
    await writeFile(
      join(root, 'travel/flights/index.ts'),
      "export default { handler: ({ origin, destination }) => ({ route: origin + ' → ' + destination }) }\n",
    )
    await mkdir(join(root, 'research/summarize'), { recursive: true })
    await writeFile(
      join(root, 'research/summarize/SKILL.md'),
      '---\nname: summarize\ndescription: Summarize a long supplier letter into three bullet points\n---\nWrite three short bullet points.\n',
    )
    withModel = await createSkillOS({ skills: [root], database: 'memory://', model: provider })
    withoutModel = await createSkillOS({ skills: [root], database: 'memory://' })
  })

  afterAll(async () => {
    await withModel?.close()
    await withoutModel?.close()
    await rm(base, { recursive: true, force: true })
  })

  const principal = { id: 'ann', roles: ['analyst'] }

  it('fills a parameter the extractor missed through the model, checked against the schema', async () => {
    const result = await withModel.run({
      input: 'find a flight out of the Bavarian capital to Paris',
      tenant: 'acme',
      principal,
    })
    expect(result.status).toBe('succeeded')
    expect(result.output).toEqual({ route: 'Munich → Paris' })
    expect(result.usage.tokens).toEqual({ input: 40, output: 10 })
  })

  it('ignores a model value that does not fit the schema and asks the person instead', async () => {
    const result = await withModel.run({
      input: 'find a flight to Paris',
      tenant: 'acme',
      principal,
    })
    expect(result.status).toBe('needs_input')
    expect(result.missing?.map((m) => m.field)).toEqual(['origin'])
  })

  it('runs an Agent-Skills instruction skill through the model, and fails clearly without one', async () => {
    const asked = provider.asked.length
    const result = await withModel.run({
      input: 'summarize this long supplier letter',
      tenant: 'acme',
      principal,
      skill: 'research/summarize',
    })
    expect(result.status).toBe('succeeded')
    expect(result.output).toMatchObject({ text: expect.stringMatching(/^Summary:/) })
    expect(provider.asked[asked]?.system).toMatch(/three short bullet points/)

    const failed = await withoutModel.run({
      input: 'summarize this long supplier letter',
      tenant: 'acme',
      principal,
      skill: 'research/summarize',
    })
    expect(failed.status).toBe('failed')
    expect(failed.error?.code).toBe('MODEL_NOT_CONFIGURED')
  })
})
