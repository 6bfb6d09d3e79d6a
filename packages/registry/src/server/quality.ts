/** One check of the quality score, and whether the version passed it. */
export interface QualityCheck {
  name: 'description' | 'examples' | 'tests' | 'readme' | 'signature' | 'recent' | 'license'
  passed: boolean
  weight: number
  /** Why it passed or failed, in words. */
  detail: string
}

/** A version's quality: the weighted share of checks passed (0–1), and each check. */
export interface Quality {
  score: number
  checks: QualityCheck[]
}

export interface QualityInput {
  manifest: { description?: string; examples?: string[]; license?: string }
  /** Paths of the files in the archive (`skill/…`). */
  files: readonly string[]
  signed: boolean
  publishedAt: Date
  now: Date
}

const DAY = 24 * 60 * 60 * 1000
const RECENT_DAYS = 365

/**
 * An explainable quality score: each check has a weight and a sentence; the score is the weighted
 * share passed, rounded to two decimals. Checks: a description of at least 40 characters, at least
 * three examples (how routing learns a skill), tests in the archive (`*.test.*`), a README or
 * SKILL.md, an Ed25519 signature, a licence, and a publish within the last year.
 *
 * @example
 * ```ts
 * computeQuality({ manifest, files: ['skill/skill.yaml', 'skill/index.test.ts'], signed: false, publishedAt, now })
 * // { score: 0.55, checks: [{ name: 'tests', passed: true, weight: 3, detail: 'has 1 test file' }, …] }
 * ```
 */
export function computeQuality(input: QualityInput): Quality {
  const description = input.manifest.description?.trim() ?? ''
  const examples = input.manifest.examples?.length ?? 0
  const tests = input.files.filter((path) => /\.(test|spec)\.[cm]?[jt]s$/.test(path)).length
  const readme = input.files.some((path) => /^skill\/(readme(\.md)?|skill\.md)$/i.test(path))
  const ageDays = Math.floor((input.now.getTime() - input.publishedAt.getTime()) / DAY)
  const checks: QualityCheck[] = [
    {
      name: 'description',
      weight: 2,
      passed: description.length >= 40,
      detail:
        description.length >= 40
          ? 'has a descriptive description'
          : `description is short (${description.length} < 40 characters)`,
    },
    {
      name: 'examples',
      weight: 2,
      passed: examples >= 3,
      detail: examples >= 3 ? `has ${examples} examples` : `has ${examples} of 3 examples`,
    },
    {
      name: 'tests',
      weight: 3,
      passed: tests > 0,
      detail: tests > 0 ? `has ${tests} test file${tests === 1 ? '' : 's'}` : 'has no tests',
    },
    {
      name: 'readme',
      weight: 1,
      passed: readme,
      detail: readme ? 'has a README or SKILL.md' : 'has no README',
    },
    {
      name: 'signature',
      weight: 1,
      passed: input.signed,
      detail: input.signed ? 'is signed' : 'is not signed',
    },
    {
      name: 'license',
      weight: 0.5,
      passed: Boolean(input.manifest.license),
      detail: input.manifest.license ? `licensed ${input.manifest.license}` : 'has no licence',
    },
    {
      name: 'recent',
      weight: 0.5,
      passed: ageDays <= RECENT_DAYS,
      detail:
        ageDays <= RECENT_DAYS
          ? `published ${ageDays} day${ageDays === 1 ? '' : 's'} ago`
          : `last published ${ageDays} days ago`,
    },
  ]
  const total = checks.reduce((sum, check) => sum + check.weight, 0)
  const passed = checks.reduce((sum, check) => sum + (check.passed ? check.weight : 0), 0)
  return { score: Math.round((passed / total) * 100) / 100, checks }
}
