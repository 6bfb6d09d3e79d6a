import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { parseIgnoreFile } from './ignore.js'

describe('parseIgnoreFile', () => {
  it('matches a name pattern at any depth', () => {
    const ignored = parseIgnoreFile('*.log\n')
    expect(ignored('debug.log', false)).toBe(true)
    expect(ignored('fixtures/deep/trace.log', false)).toBe(true)
    expect(ignored('debug.log.txt', false)).toBe(false)
  })

  it('anchors a pattern with a leading slash or an inner slash to the skill folder', () => {
    const ignored = parseIgnoreFile('/build\nfixtures/*.bin\n')
    expect(ignored('build', true)).toBe(true)
    expect(ignored('src/build', true)).toBe(false)
    expect(ignored('fixtures/big.bin', false)).toBe(true)
    expect(ignored('fixtures/sub/big.bin', false)).toBe(false)
    expect(ignored('docs/fixtures/big.bin', false)).toBe(false)
  })

  it('matches directories only when the pattern ends with a slash', () => {
    const ignored = parseIgnoreFile('coverage/\n')
    expect(ignored('coverage', true)).toBe(true)
    expect(ignored('reports/coverage', true)).toBe(true)
    expect(ignored('coverage', false)).toBe(false)
  })

  it('supports ? and ** and skips comments and blank lines', () => {
    const ignored = parseIgnoreFile('# comment\n\n  \nfile?.txt\n**/snapshots/**\ndocs/**/*.png\n')
    expect(ignored('file1.txt', false)).toBe(true)
    expect(ignored('file12.txt', false)).toBe(false)
    expect(ignored('# comment', false)).toBe(false)
    expect(ignored('a/b/snapshots/x.snap', false)).toBe(true)
    expect(ignored('snapshots/x.snap', false)).toBe(true)
    expect(ignored('docs/a/b/c.png', false)).toBe(true)
    expect(ignored('docs/c.png', false)).toBe(true)
    expect(ignored('doc/c.png', false)).toBe(false)
  })

  it('treats regular-expression characters literally', () => {
    const ignored = parseIgnoreFile('a+b(1).txt\n[x].md\n')
    expect(ignored('a+b(1).txt', false)).toBe(true)
    expect(ignored('aab(1).txt', false)).toBe(false)
    expect(ignored('[x].md', false)).toBe(true)
    expect(ignored('x.md', false)).toBe(false)
  })

  it('refuses negation, naming the file and line', () => {
    try {
      parseIgnoreFile('*.log\n!keep.log\n', 'skills/a/.skillosignore')
      expect.unreachable()
    } catch (error) {
      expect(SkillOSError.is(error, 'VALIDATION_FAILED')).toBe(true)
      expect((error as Error).message).toBe(
        'skills/a/.skillosignore:2: negated patterns ("!") are not supported',
      )
    }
  })
})
