import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseSkillManifest } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { parseAgentSkill, type AgentSkill } from './parse-agent-skill.js'
import { agentSkillFolderName, toSkillMd } from './to-skill-md.js'
import { validateSkillMd } from './validate-skill-md.js'

/**
 * The shared corpus lives in `shared/eval/skills-corpus` beside the repository (../shared from the
 * repo root); `SKILLOS_TEST_EVAL_DIR` points at another `eval` folder. Searched upwards from this file.
 */
function findCorpus(): string {
  if (process.env.SKILLOS_TEST_EVAL_DIR)
    return join(process.env.SKILLOS_TEST_EVAL_DIR, 'skills-corpus')
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, 'shared', 'eval', 'skills-corpus')
    if (existsSync(candidate)) return candidate
    const parent = dirname(dir)
    if (parent === dir) return candidate
    dir = parent
  }
}
const corpusDir = findCorpus()
const hasCorpus = existsSync(corpusDir)

function findSkillMds(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return findSkillMds(path)
      return entry.name === 'SKILL.md' ? [path] : []
    })
    .sort()
}

/** Every corpus file imported, and the message of each that failed (there should be none). */
function importAll(): { skills: Map<string, AgentSkill>; failures: string[] } {
  const skills = new Map<string, AgentSkill>()
  const failures: string[] = []
  for (const file of findSkillMds(corpusDir)) {
    const key = relative(corpusDir, file)
    try {
      const text = readFileSync(file, 'utf8')
      skills.set(key, parseAgentSkill(text, { file: key, folderName: basename(dirname(file)) }))
    } catch (error) {
      failures.push(`${key}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return { skills, failures }
}

const corpus = hasCorpus ? importAll() : { skills: new Map<string, AgentSkill>(), failures: [] }
const imported = corpus.skills

function skill(path: string): AgentSkill {
  const found = imported.get(path)
  if (!found) throw new Error(`${path} is not in the corpus`)
  return found
}

function codes(path: string): string[] {
  return skill(path).warnings.map((warning) => warning.code)
}

/** The 1-based line of the first line of `path` that starts with `prefix`. */
function lineStarting(path: string, prefix: string): number {
  const lines = readFileSync(join(corpusDir, path), 'utf8').split('\n')
  return lines.findIndex((line) => line.startsWith(prefix)) + 1
}

describe.skipIf(!hasCorpus)('the real SKILL.md corpus', () => {
  it('imports all 100 files with a valid manifest each', () => {
    expect(findSkillMds(corpusDir)).toHaveLength(100)
    expect(corpus.failures).toEqual([])
    expect(imported.size).toBe(100)
    for (const [path, result] of imported) {
      expect(() => parseSkillManifest(result.manifest, path)).not.toThrow()
      expect(result.instructions.length, path).toBeGreaterThan(0)
    }
    const counts: Record<string, number> = {}
    for (const result of imported.values()) {
      for (const warning of result.warnings) counts[warning.code] = (counts[warning.code] ?? 0) + 1
    }
    console.log('warning codes over the corpus:', counts)
  })

  it('gives every skill its own id', () => {
    const ids = [...imported.values()].map((result) => result.manifest.id)
    expect(new Set(ids).size).toBe(100)
  })

  it('warns when a nested skill is not named after its folder, and ids it by its name', () => {
    const path = 'github__awesome-copilot/skills/qdrant-monitoring/debugging/SKILL.md'
    expect(codes(path)).toContain('AGENT_SKILL_NAME_MISMATCH')
    expect(skill(path).manifest.id).toBe('agent-skills/qdrant-monitoring-debugging')
    const warning = skill(path).warnings.find((w) => w.code === 'AGENT_SKILL_NAME_MISMATCH')
    expect(warning).toMatchObject({ field: 'name', line: lineStarting(path, 'name:') })
  })

  it('reads allowed-tools written as a YAML list, with a warning on its line', () => {
    const path = 'github__awesome-copilot/skills/qdrant-clients-sdk/SKILL.md'
    expect(skill(path).allowedTools).toEqual(['Read', 'Grep', 'Glob', 'Bash'])
    const warning = skill(path).warnings.find((w) => w.code === 'AGENT_SKILL_ALLOWED_TOOLS_LIST')
    expect(warning).toMatchObject({
      field: 'allowed-tools',
      line: lineStarting(path, 'allowed-tools:'),
    })
    expect(skill(path).manifest).toMatchObject({ sideEffects: 'write', risk: 'medium' })

    const flow = 'github__awesome-copilot/skills/azure-role-selector/SKILL.md'
    expect(codes(flow)).toContain('AGENT_SKILL_ALLOWED_TOOLS_LIST')
    expect(skill(flow).allowedTools).toContain('Azure MCP/documentation')
  })

  it('keeps parenthesised tool patterns whole and reads comma-separated tools', () => {
    const path = 'github__awesome-copilot/skills/make-repo-contribution/SKILL.md'
    expect(skill(path).allowedTools).toEqual([
      'Read',
      'Edit',
      'Bash(git:*)',
      'Bash(gh issue:*)',
      'Bash(gh pr:*)',
    ])
    const commas = 'github__awesome-copilot/skills/plantuml-ascii/SKILL.md'
    expect(skill(commas).allowedTools).toEqual(['Bash', 'Write', 'Read'])
    expect(codes(commas)).toContain('AGENT_SKILL_ALLOWED_TOOLS_COMMAS')
  })

  it('stringifies non-string metadata with a warning on the value', () => {
    const path = 'github__awesome-copilot/skills/acquire-codebase-knowledge/SKILL.md'
    const result = skill(path)
    expect(codes(path)).toContain('AGENT_SKILL_METADATA_NOT_STRING')
    expect(JSON.parse(result.metadata.enhancements ?? '')).toHaveLength(6)
    const warning = result.warnings.find((w) => w.code === 'AGENT_SKILL_METADATA_NOT_STRING')
    expect(warning?.field).toBe('metadata.enhancements')
    expect(warning?.line).toBe(lineStarting(path, '  enhancements:'))
    expect(result.manifest.version).toBe('1.3.0')

    const nested = 'github__awesome-copilot/skills/nano-banana-pro-openrouter/SKILL.md'
    expect(skill(nested).metadata.requires).toBe('{"bins":["uv"],"env":["OPENROUTER_API_KEY"]}')
  })

  it('warns about fields the spec does not have, on their own line', () => {
    const path = 'github__awesome-copilot/skills/acquire-codebase-knowledge/SKILL.md'
    const warning = skill(path).warnings.find((w) => w.code === 'AGENT_SKILL_UNKNOWN_FIELD')
    expect(warning).toMatchObject({
      field: 'argument-hint',
      line: lineStarting(path, 'argument-hint:'),
    })
    expect(codes('github__awesome-copilot/skills/mentoring-juniors/SKILL.md')).toContain(
      'AGENT_SKILL_UNKNOWN_FIELD',
    )
    const both = skill(
      'github__awesome-copilot/skills/react-container-presentation-component/SKILL.md',
    )
    expect(
      both.warnings.filter((w) => w.code === 'AGENT_SKILL_UNKNOWN_FIELD').map((w) => w.field),
    ).toEqual(['argument-hint', 'user-invocable'])
  })

  it('cuts the one over-long description at a word for the manifest and keeps it whole in the frontmatter', () => {
    const path = 'anthropics__skills/skills/claude-api/SKILL.md'
    const result = skill(path)
    expect(codes(path)).toContain('AGENT_SKILL_DESCRIPTION_TOO_LONG')
    expect(result.manifest.description.length).toBeLessThanOrEqual(1024)
    expect(result.manifest.description.endsWith('…')).toBe(true)
    expect(String(result.frontmatter.description).length).toBeGreaterThan(1024)
  })

  it('takes versions, authors and domains from metadata where they are usable', () => {
    expect(skill('github__awesome-copilot/skills/cli-mastery/SKILL.md').manifest.version).toBe(
      '1.2.0',
    )
    expect(skill('github__awesome-copilot/skills/brag-sheet/SKILL.md').manifest.version).toBe(
      '1.1.0',
    )
    expect(skill('obra__superpowers/skills/brainstorming/SKILL.md').manifest.version).toBe('0.0.0')
    expect(skill('github__awesome-copilot/skills/arize-trace/SKILL.md').manifest.author).toBe(
      'arize',
    )
    expect(
      skill('github__awesome-copilot/skills/impediment-prioritization/SKILL.md').manifest.id,
    ).toBe('general/impediment-prioritization')
    expect(skill('anthropics__skills/skills/mcp-builder/SKILL.md').manifest.license).toBe(
      'Complete terms in LICENSE.txt',
    )
  })

  it('imports a spec-clean file without warnings', () => {
    expect(skill('obra__superpowers/skills/writing-plans/SKILL.md').warnings).toEqual([])
  })

  it('exports every imported skill as a spec-valid SKILL.md that imports to the same manifest', () => {
    for (const [path, result] of imported) {
      const text = toSkillMd(result.manifest, { instructions: result.instructions })
      const folder = agentSkillFolderName(result.manifest)
      expect(validateSkillMd(text, folder), path).toEqual([])
      const again = parseAgentSkill(text, { file: path, folderName: folder })
      expect(again.manifest, path).toEqual(result.manifest)
      expect(again.instructions, path).toBe(result.instructions)
    }
  })
})
