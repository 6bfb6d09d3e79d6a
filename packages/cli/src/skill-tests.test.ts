import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliFixture, type CliFixture } from './cli-fixture.test-data.js'
import type { SkillTestReport, SkillTestRunner } from './skill-tests.js'

let fixture: CliFixture
beforeAll(async () => {
  fixture = await createCliFixture()
  await fixture.write(
    'skills/text/word-count/index.test.ts',
    `import { expect, it } from 'vitest'
import skill from './index.ts'

it('counts the words of a document', () => {
  expect(skill.handler({ document: 'one two three' })).toEqual({ fileName: undefined, words: 3 })
})
`,
  )
})
afterAll(() => fixture?.cleanup())

/** A runner that fails the flights skill and records which folders it was asked to test. */
function fakeRunner(): { runner: SkillTestRunner; dirs: string[] } {
  const dirs: string[] = []
  return {
    dirs,
    runner: async (dir) => {
      dirs.push(dir)
      return dir.endsWith(join('travel', 'flights'))
        ? {
            exitCode: 1,
            output:
              ' FAIL  flights.test.ts > asks for the origin\nAssertionError: expected 2 to be 3',
          }
        : { exitCode: 0, output: ' ✓ 3 tests passed' }
    },
  }
}

describe('skillos test', () => {
  it('runs every skill folder’s tests, summarises pass/fail per skill and exits 1 on a failure', async () => {
    const { runner, dirs } = fakeRunner()
    const { code, stdout } = await fixture.cli(['test'], { runSkillTests: runner })
    expect(code).toBe(1)
    expect(dirs).toHaveLength(4)
    expect(stdout.split('\n')).toEqual([
      expect.stringMatching(/^✓ finance\/convert {2}skills\/finance\/convert {2}\d+\.\d s$/),
      expect.stringMatching(
        /^✓ finance\/pay-invoice {2}skills\/finance\/pay-invoice {2}\d+\.\d s$/,
      ),
      expect.stringMatching(/^✓ text\/word-count {2}skills\/text\/word-count {2}\d+\.\d s$/),
      expect.stringMatching(/^✗ travel\/flights {2}skills\/travel\/flights {2}\d+\.\d s$/),
      '     FAIL  flights.test.ts > asks for the origin',
      '    AssertionError: expected 2 to be 3',
      '3 passed, 1 failed — run the failing skill’s tests in its folder (pnpm test) to see everything',
    ])
  })

  it('tests only the skills named, and reports JSON with --json', async () => {
    const { runner, dirs } = fakeRunner()
    const { code, stdout } = await fixture.cli(['test', 'finance/convert', '--json'], {
      runSkillTests: runner,
    })
    expect(code).toBe(0)
    expect(dirs).toEqual([join(fixture.base, 'skills', 'finance', 'convert')])
    const report = JSON.parse(stdout) as SkillTestReport
    expect(report).toMatchObject({ ok: true, passed: 1, failed: 0 })
    expect(report.skills[0]).toMatchObject({ id: 'finance/convert', ok: true, exitCode: 0 })
  })

  it('exits 1 naming an unknown skill and the skills there are', async () => {
    const { runner, dirs } = fakeRunner()
    const { code, stderr } = await fixture.cli(['test', 'finance/nope'], { runSkillTests: runner })
    expect(code).toBe(1)
    expect(dirs).toEqual([])
    expect(stderr).toBe(
      'skillos: SKILL_NOT_FOUND: No skill finance/nope in the skill folders; found: finance/convert, finance/pay-invoice, text/word-count, travel/flights (skillos validate lists them)',
    )
  })

  it('spawns vitest in the skill folder by default', async () => {
    const { code, stdout } = await fixture.cli(['test', 'text/word-count', '--json'], {
      env: { USER: 'ann', PATH: process.env.PATH },
    })
    const report = JSON.parse(stdout) as SkillTestReport
    expect(report.skills[0]?.output).toMatch(/1 passed/)
    expect(code).toBe(0)
  })
})
