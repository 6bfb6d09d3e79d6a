import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SkillOSError, type ValidationError } from '@skillos/contracts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  emptyLockfile,
  formatLockfile,
  parseLockfile,
  readLockfile,
  writeLockfile,
  type LockEntry,
} from './lockfile.js'

const entry = (version: string, extra: Partial<LockEntry> = {}): LockEntry => ({
  version,
  range: `^${version}`,
  registry: 'http://127.0.0.1:4873',
  tarball: `http://127.0.0.1:4873/acme/x/-/x-${version}.tgz`,
  integrity: 'sha512-3q2+7w==',
  ...extra,
})

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skillos-lock-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

function validationError(run: () => unknown): ValidationError {
  try {
    run()
  } catch (error) {
    expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
    return error as ValidationError
  }
  throw new Error('expected a ValidationError')
}

describe('skills-lock.yaml', () => {
  it('writes skills sorted by id with fields in a fixed order, whatever the insertion order', () => {
    const a = formatLockfile({
      lockfileVersion: 1,
      skills: { 'zeta/b': entry('2.0.0'), 'acme/a': entry('1.0.0') },
    })
    const b = formatLockfile({
      lockfileVersion: 1,
      skills: {
        'acme/a': {
          integrity: 'sha512-3q2+7w==',
          tarball: 'http://127.0.0.1:4873/acme/x/-/x-1.0.0.tgz',
          registry: 'http://127.0.0.1:4873',
          range: '^1.0.0',
          version: '1.0.0',
        },
        'zeta/b': entry('2.0.0'),
      },
    })
    expect(a).toBe(b)
    expect(a.split('\n').slice(1, 9)).toEqual([
      'lockfileVersion: 1',
      'skills:',
      '  acme/a:',
      '    version: 1.0.0',
      '    range: ^1.0.0',
      '    registry: http://127.0.0.1:4873',
      '    tarball: http://127.0.0.1:4873/acme/x/-/x-1.0.0.tgz',
      '    integrity: sha512-3q2+7w==',
    ])
  })

  it('reads back what it wrote, signature included', async () => {
    const path = join(dir, 'skills-lock.yaml')
    const lockfile = {
      lockfileVersion: 1 as const,
      skills: {
        'acme/a': entry('1.0.0', { signature: { keyId: 'ed25519:00112233', value: 'c2ln' } }),
      },
    }
    await writeLockfile(path, lockfile)
    expect(await readLockfile(path)).toEqual(lockfile)
    expect(await readdir(dir)).toEqual(['skills-lock.yaml']) // no temporary file left behind
  })

  it('treats a missing file as an empty lockfile', async () => {
    expect(await readLockfile(join(dir, 'nowhere.yaml'))).toEqual(emptyLockfile())
  })

  it('names the field and the reason for an invalid entry', () => {
    const error = validationError(() =>
      parseLockfile(
        'lockfileVersion: 1\nskills:\n  acme/a:\n    version: one\n    registry: http://r\n    tarball: http://r/a.tgz\n    integrity: md5-abc\n',
      ),
    )
    expect(error.issues).toEqual([
      {
        path: 'skills-lock.yaml: skills.acme/a.version',
        message: 'must be a semantic version such as "1.2.0"',
      },
      {
        path: 'skills-lock.yaml: skills.acme/a.integrity',
        message: 'must be an SRI string such as "sha512-…"',
      },
    ])
  })

  it('refuses a lockfile version it does not know, and a YAML syntax error with its line', async () => {
    expect(validationError(() => parseLockfile('lockfileVersion: 2\n')).issues[0]).toEqual({
      path: 'skills-lock.yaml: lockfileVersion',
      message: 'must be 1 (this skillos reads lockfile version 1)',
    })
    const path = join(dir, 'skills-lock.yaml')
    await writeFile(path, 'lockfileVersion: 1\nskills: [\n')
    const error = (await readLockfile(path).then(
      () => undefined,
      (e: unknown) => e,
    )) as ValidationError
    expect(error.message).toMatch(new RegExp(`^Invalid ${path}: ${path}:\\d+:\\d+ `))
    expect(await readFile(path, 'utf8')).toBe('lockfileVersion: 1\nskills: [\n')
  })
})
