import { readFile, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { SkillLoadError } from '../problems.js'
import type { AgentSkillProblemCode } from './codes.js'
import { parseAgentSkill, type AgentSkill } from './parse-agent-skill.js'
import { MAX_SKILL_MD_BYTES, SKILL_MD_FILE } from './spec.js'

/**
 * Read `dir/SKILL.md` as an instruction skill ({@link parseAgentSkill} has the mapping rules). The
 * folder's own name is the spec name it is checked against. Throws `SkillLoadError` when the file
 * is missing, larger than 1 MiB (checked before reading), not UTF-8, or not an Agent Skill.
 *
 * @example
 * ```ts
 * const skill = await readAgentSkill('skills/docs/pdf', { domain: 'docs' })
 * skill.manifest.id // 'docs/pdf'
 * ```
 */
export async function readAgentSkill(
  dir: string,
  options: { domain?: string } = {},
): Promise<AgentSkill> {
  const file = join(dir, SKILL_MD_FILE)
  const fail = (code: AgentSkillProblemCode, message: string, cause?: unknown): never => {
    throw new SkillLoadError(
      `${file} cannot be imported as an Agent Skill`,
      [{ code, file, message }],
      { cause },
    )
  }
  const info = await stat(file).catch((error: unknown) =>
    fail(
      'AGENT_SKILL_NOT_FOUND',
      `does not exist: an Agent Skill folder holds a ${SKILL_MD_FILE}`,
      error,
    ),
  )
  if (!info.isFile()) fail('AGENT_SKILL_NOT_FOUND', 'is not a file')
  if (info.size > MAX_SKILL_MD_BYTES) {
    fail(
      'AGENT_SKILL_TOO_LARGE',
      `is ${info.size} bytes; a SKILL.md may be at most ${MAX_SKILL_MD_BYTES} bytes (1 MiB)`,
    )
  }
  const bytes = await readFile(file)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch (error) {
    return fail('AGENT_SKILL_NOT_UTF8', 'is not UTF-8 text', error)
  }
  return parseAgentSkill(text, {
    file,
    folderName: basename(resolve(dir)),
    ...(options.domain === undefined ? {} : { domain: options.domain }),
  })
}
