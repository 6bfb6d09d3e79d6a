import { SkillOSError, type ValidationIssue } from '@skillos/contracts'

/**
 * One thing wrong (or worth a warning) in a skill on disk, placed as precisely as the source allows:
 * the file, its 1-based line and column, the manifest field, and the reason in plain words.
 */
export interface SkillProblem {
  /** Stable, machine-readable: `MANIFEST_INVALID`, `YAML_SYNTAX`, `HANDLER_IMPORT_FAILED`, … */
  code: string
  file: string
  line?: number
  column?: number
  /** Dotted field path inside the file (`input.properties.amount.type`), when one applies. */
  field?: string
  message: string
}

/** `skills/a/b/skill.yaml:12:3 input.properties.amount.type: must be …` */
export function formatProblem(problem: SkillProblem): string {
  const where = [problem.file, problem.line, problem.column]
    .filter((p) => p !== undefined)
    .join(':')
  return `${where} ${problem.field ? `${problem.field}: ` : ''}${problem.message}`
}

/** A skill that could not be loaded: every problem found, not only the first. */
export class SkillLoadError extends SkillOSError {
  readonly problems: SkillProblem[]
  /** The skill the folder declares, when its manifest was readable. */
  readonly skill: { id: string; version: string } | undefined

  constructor(
    message: string,
    problems: SkillProblem[],
    options: { cause?: unknown; skill?: { id: string; version: string } } = {},
  ) {
    const issues: ValidationIssue[] = problems.map((p) => ({
      path: p.field ?? '(root)',
      message: p.message,
    }))
    super({
      code: 'VALIDATION_FAILED',
      message: `${message}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
      details: { issues, problems },
      cause: options.cause,
    })
    this.name = 'SkillLoadError'
    this.problems = problems
    this.skill = options.skill
  }
}
