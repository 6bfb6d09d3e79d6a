import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliFixture, type CliFixture } from './cli-fixture.test-data.js'
import type { ValidateReport } from './validate-command.js'

let fixture: CliFixture
beforeAll(async () => {
  fixture = await createCliFixture()
  await fixture.write(
    'broken/demo/bad-version/skill.yaml',
    'id: demo/bad-version\nname: Bad version\nversion: one\ndescription: A skill whose version is not a version\n',
  )
  await fixture.write(
    'broken/demo/bad-version/index.ts',
    'export default { handler: () => ({}) }\n',
  )
})
afterAll(() => fixture?.cleanup())

describe('skillos validate', () => {
  it('loads every skill under the configured roots and exits 0', async () => {
    const { code, stdout } = await fixture.cli(['validate'])
    expect(code).toBe(0)
    expect(stdout.split('\n')).toEqual([
      '✓ finance/convert@1.0.0  skills/finance/convert',
      '✓ finance/pay-invoice@1.0.0  skills/finance/pay-invoice',
      '✓ text/word-count@1.0.0  skills/text/word-count',
      '✓ travel/flights@1.0.0  skills/travel/flights',
      '',
      '4 loaded, 0 failed',
    ])
  })

  it('prints each problem as file:line:column field: message and exits 1 when a skill fails', async () => {
    const { code, stdout } = await fixture.cli(['validate', 'broken', 'skills/travel'])
    expect(code).toBe(1)
    expect(stdout.split('\n')).toEqual([
      '✓ travel/flights@1.0.0  skills/travel/flights',
      '✗ broken/demo/bad-version',
      '    broken/demo/bad-version/skill.yaml:3:10 version: must be a semantic version such as "1.2.0"',
      '',
      '1 loaded, 1 failed: fix the problems above (file:line:column field: reason) and run skillos validate again',
    ])
  })

  it('reports the same as JSON with --json', async () => {
    const { code, stdout } = await fixture.cli(['validate', 'broken', '--json'])
    expect(code).toBe(1)
    const report = JSON.parse(stdout) as ValidateReport
    expect(report.ok).toBe(false)
    expect(report.loaded).toEqual([])
    expect(report.failed).toHaveLength(1)
    expect(report.failed[0]?.problems[0]).toMatchObject({
      code: 'MANIFEST_INVALID',
      line: 3,
      column: 10,
      field: 'version',
    })
  })

  it('exits 1 naming a skill folder that does not exist, and what to do', async () => {
    const { code, stderr } = await fixture.cli(['validate', 'nowhere'])
    expect(code).toBe(1)
    expect(stderr).toBe(
      'skillos: NOT_FOUND: Skill folder not found: nowhere; create it, pass another path, or set skills.roots in skillos.config.* (or SKILLOS_SKILLS)',
    )
  })
})
