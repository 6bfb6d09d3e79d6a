import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SKILLS, createCliFixture, type CliFixture } from './cli-fixture.test-data.js'

let fixture: CliFixture
beforeAll(async () => {
  fixture = await createCliFixture()
})
afterAll(() => fixture?.cleanup())

const WAIT = { timeout: 30_000, interval: 50 }

describe('skillos dev', () => {
  it('runs each typed line, reloads an edited skill, takes the answer on the next line, and ends with stdin', async () => {
    const stdin = new PassThrough()
    const dev = fixture.start(['dev', '--database', 'memory://'], { stdin })
    await expect.poll(dev.stdout, WAIT).toContain('Type a request and press Enter')
    expect(dev.stdout()).toBe(
      'Watching ./skills: 4 loaded, 0 failed. Type a request and press Enter; Ctrl+C quits.',
    )
    expect(dev.stderr()).toContain('✓ loaded finance/convert@1.0.0')

    stdin.write('convert 2 EUR to RUB\n')
    await expect.poll(dev.stdout, WAIT).toMatch(/"amount": 200\b/)

    const convert = SKILLS['finance/convert']?.handler ?? ''
    await fixture.write('skills/finance/convert/index.ts', convert.replace('EUR: 100', 'EUR: 105'))
    await expect.poll(dev.stderr, WAIT).toMatch(/↻ reloaded finance\/convert@1\.0\.0 \(\d+ ms\)/)
    stdin.write('convert 2 EUR to RUB\n')
    await expect.poll(dev.stdout, WAIT).toMatch(/"amount": 210\b/)

    await fixture.write('skills/finance/convert/skill.yaml', 'id: finance/convert\nversion: [\n')
    await expect
      .poll(dev.stderr, WAIT)
      .toContain('✗ finance/convert@1.0.0 failed to load (still serving finance/convert@1.0.0)')

    stdin.write('find a flight to Paris\n')
    await expect
      .poll(dev.stdout, WAIT)
      .toContain('next       type the answer on the next line ("-" drops the question)')
    stdin.write('from Moscow\n')
    await expect.poll(dev.stdout, WAIT).toContain('"route": "Moscow → Paris"')

    stdin.write('   \nconvert 1 EUR to RUB please, to the moon\n')
    stdin.end()
    const { code, stderr } = await dev.done
    expect(code).toBe(0)
    expect(stderr.split('\n').at(-1)).toBe('bye')
  })
})
