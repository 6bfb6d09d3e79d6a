import { readFile } from 'node:fs/promises'
import {
  SkillOSError,
  skillManifestSchema,
  toValidationIssues,
  type SkillManifest,
} from '@skillos/contracts'
import semver from 'semver'
import { SkillLoadError, type SkillProblem } from './problems.js'
import { parseYamlSource, splitFieldPath, type YamlSource } from './yaml-source.js'

/** skill.yaml is a manifest, not a data file: anything larger is a mistake. */
const MAX_MANIFEST_BYTES = 256 * 1024

/**
 * Validate the text of a `skill.yaml`. Every problem is placed: file, line, column, field, reason.
 *
 * @example
 * ```ts
 * const manifest = parseManifestText(await readFile('skill.yaml', 'utf8'), 'skills/finance/convert-currency/skill.yaml')
 * ```
 * @throws SkillLoadError listing every problem (YAML syntax, duplicate keys, each invalid field).
 */
export function parseManifestText(text: string, file: string): SkillManifest {
  return parseManifestSource(text, file).manifest
}

/** Like `parseManifestText`, keeping `locate(path)` to place later findings (schema mismatches) in the file. */
export function parseManifestSource(
  text: string,
  file: string,
): { manifest: SkillManifest; locate: YamlSource['locate'] } {
  if (text.length > MAX_MANIFEST_BYTES) {
    throw new SkillLoadError('Invalid skill manifest', [
      {
        code: 'MANIFEST_TOO_LARGE',
        file,
        line: 1,
        message: `is ${text.length} bytes; a manifest may be at most ${MAX_MANIFEST_BYTES}`,
      },
    ])
  }
  const source = parseYamlSource(text, file)
  if (source.problems.length > 0)
    throw new SkillLoadError('Invalid skill manifest', source.problems)
  if (typeof source.data !== 'object' || source.data === null || Array.isArray(source.data)) {
    throw new SkillLoadError('Invalid skill manifest', [
      {
        code: 'MANIFEST_INVALID',
        file,
        line: 1,
        column: 1,
        message: 'must be a YAML mapping with id, version, name and description',
      },
    ])
  }
  const result = skillManifestSchema.safeParse(source.data)
  if (result.success) {
    // The manifest schema checks a range's characters; its grammar is semver's to judge.
    const problems: SkillProblem[] = Object.entries(result.data.dependencies)
      .filter(([, range]) => semver.validRange(range) === null)
      .map(([id, range]) => ({
        code: 'MANIFEST_INVALID',
        file,
        ...source.locate(['dependencies', id]),
        field: `dependencies.${id}`,
        message: `"${range}" is not a semver range (try "^1.2.0" or ">=1.0.0 <2.0.0")`,
      }))
    if (problems.length > 0) throw new SkillLoadError('Invalid skill manifest', problems)
    return { manifest: result.data, locate: source.locate }
  }
  const problems: SkillProblem[] = toValidationIssues(result.error).map((issue) => ({
    code: 'MANIFEST_INVALID',
    file,
    ...source.locate(splitFieldPath(issue.path)),
    field: issue.path,
    message: issue.message,
  }))
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
  throw new SkillLoadError('Invalid skill manifest', problems, { cause: result.error })
}

/** Read and validate a `skill.yaml` file (see `parseManifestText`). */
export async function readManifestFile(path: string): Promise<SkillManifest> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new SkillOSError({
      code: 'NOT_FOUND',
      message: `Cannot read skill manifest ${path}: ${(error as Error).message}`,
      cause: error,
    })
  }
  return parseManifestText(text, path)
}
