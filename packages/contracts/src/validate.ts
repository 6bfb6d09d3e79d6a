import type { z } from 'zod'
import { ValidationError, type ValidationIssue } from './errors.js'

type ZodIssue = z.core.$ZodIssue

/**
 * When every branch of a union fails, zod reports only "Invalid input". Report instead the branch
 * that got furthest: the one whose failures are not a plain type mismatch at its root.
 */
function flattenUnion(issue: ZodIssue): ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue]
  const branches = issue.errors.map((branch) => branch.flatMap(flattenUnion))
  const closest = branches.find((branch) =>
    branch.some((i) => i.code !== 'invalid_type' || i.path.length > 0),
  )
  if (!closest) return [issue]
  return closest.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))
}

/** zod issues → `{ path: 'a.b.0', message }`, with the path as a person would write it. */
export function toValidationIssues(error: z.ZodError, prefix?: string): ValidationIssue[] {
  return error.issues.flatMap(flattenUnion).map((issue) => {
    const path = [prefix, ...issue.path.map(String)]
      .filter((p) => p !== undefined && p !== '')
      .join('.')
    return { path: path || '(root)', message: issue.message }
  })
}

/** One line per issue: `id: must look like "domain/name"`. */
export function formatIssues(issues: ValidationIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ')
}

/**
 * Parse `input` with `schema`, or throw a `ValidationError` that names every bad field.
 *
 * @example
 * ```ts
 * const manifest = parseOrThrow(skillManifestSchema, yamlObject, { what: 'skill manifest', source: 'skills/a/b/skill.yaml' })
 * ```
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  options: { what: string; source?: string; pathPrefix?: string },
): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = toValidationIssues(result.error, options.pathPrefix)
  const where = options.source ? ` (${options.source})` : ''
  throw new ValidationError(`Invalid ${options.what}${where}: ${formatIssues(issues)}`, issues, {
    cause: result.error,
    ...(options.source ? { details: { source: options.source } } : {}),
  })
}
