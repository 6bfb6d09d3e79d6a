import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SkillLoadError } from '../problems.js'
import { readAgentSkill } from './read-agent-skill.js'

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'skillos-agent-skills-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function skillDir(name: string, content: string | Uint8Array): Promise<string> {
  const dir = join(root, name)
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'SKILL.md'), content)
  return dir
}

async function codeOf(run: Promise<unknown>): Promise<string | undefined> {
  const error: unknown = await run.catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(SkillLoadError)
  return (error as SkillLoadError).problems[0]?.code
}

describe('readAgentSkill', () => {
  it('reads dir/SKILL.md and checks the name against the folder', async () => {
    const dir = await skillDir('pdf', '---\nname: pdf\ndescription: Fill forms.\n---\n\nSteps.\n')
    const skill = await readAgentSkill(`${dir}/`, { domain: 'docs' })
    expect(skill.manifest.id).toBe('docs/pdf')
    expect(skill.instructions).toBe('Steps.')
    expect(skill.warnings).toEqual([])

    const other = await skillDir('nested/forms', '---\nname: pdf\ndescription: d\n---\nx\n')
    const mismatch = await readAgentSkill(other)
    expect(mismatch.warnings[0]).toMatchObject({
      code: 'AGENT_SKILL_NAME_MISMATCH',
      file: join(other, 'SKILL.md'),
      line: 2,
    })
  })

  it('refuses a folder without SKILL.md', async () => {
    await mkdir(join(root, 'empty'), { recursive: true })
    expect(await codeOf(readAgentSkill(join(root, 'empty')))).toBe('AGENT_SKILL_NOT_FOUND')
  })

  it('refuses a file that is not UTF-8', async () => {
    const dir = await skillDir('latin1', Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0xff, 0x0a]))
    expect(await codeOf(readAgentSkill(dir))).toBe('AGENT_SKILL_NOT_UTF8')
  })

  it('refuses a file over 1 MiB before reading it', async () => {
    const dir = await skillDir(
      'huge',
      `---\nname: huge\ndescription: d\n---\n${'x'.repeat(1024 * 1024)}`,
    )
    expect(await codeOf(readAgentSkill(dir))).toBe('AGENT_SKILL_TOO_LARGE')
  })
})
