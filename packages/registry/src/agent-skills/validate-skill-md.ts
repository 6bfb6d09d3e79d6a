import type { SkillProblem } from '../problems.js'
import { checkFrontmatter } from './check-frontmatter.js'
import { parseFrontmatter } from './frontmatter-yaml.js'
import { SKILL_MD_FILE, describeValue, isPlainRecord } from './spec.js'
import { splitSkillMd } from './split-skill-md.js'

/**
 * Check a SKILL.md strictly against the Agent Skills spec (agentskills.io): frontmatter on the first
 * line; `name` 1-64 lowercase a-z, digits and single inner hyphens, equal to `folderName`;
 * `description` 1-1024 characters; `license` text; `compatibility` 1-500 characters; `metadata` a
 * text → text mapping; `allowed-tools` one space-delimited string; no other fields. Never throws.
 *
 * @returns every violation, placed on its SKILL.md line; `[]` means the file is spec-valid.
 *
 * @example
 * ```ts
 * validateSkillMd('---\nname: pdf\ndescription: Fill PDF forms.\n---\n', 'pdf') // []
 * validateSkillMd('---\nname: PDF\n---\n', 'pdf').map((p) => p.code)
 * // ['AGENT_SKILL_NAME_INVALID', 'AGENT_SKILL_NAME_MISMATCH', 'AGENT_SKILL_DESCRIPTION_MISSING']
 * ```
 */
export function validateSkillMd(
  text: string,
  folderName: string,
  options: { file?: string } = {},
): SkillProblem[] {
  const file = options.file ?? `${folderName}/${SKILL_MD_FILE}`
  const split = splitSkillMd(text, file)
  if (split.problem) return [split.problem]
  const { parts } = split
  const problems: SkillProblem[] = []
  if (parts.openingLine !== 1) {
    problems.push({
      code: 'AGENT_SKILL_FRONTMATTER_NOT_AT_TOP',
      file,
      line: parts.openingLine,
      message: 'the frontmatter must start on the first line of the file',
    })
  }
  // The spec is about what a strict reader sees: a file that parses only after repair is invalid.
  const yaml = parseFrontmatter(parts, file)
  if (yaml.repair) return [...problems, yaml.repair]
  if (yaml.problems.length > 0) return [...problems, ...yaml.problems]
  const data = yaml.data ?? {}
  if (!isPlainRecord(data)) {
    return [
      ...problems,
      {
        code: 'AGENT_SKILL_FRONTMATTER_NOT_A_MAP',
        file,
        line: parts.frontmatterLine,
        message: `the frontmatter must be a mapping of fields (name: …), not ${describeValue(data)}`,
      },
    ]
  }
  for (const issue of checkFrontmatter(data, folderName)) {
    problems.push({
      code: issue.code,
      file,
      line: yaml.lineOf(issue.path),
      field: issue.path.join('.'),
      message: issue.message,
    })
  }
  return problems
}
