import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliFixture, type CliFixture } from './cli-fixture.test-data.js'

let fixture: CliFixture
beforeAll(async () => {
  fixture = await createCliFixture()
})
afterAll(() => fixture?.cleanup())

const decimals = (n: number) => (String(n).split('.')[1] ?? '').length

describe('skillos route', () => {
  it('prints exactly {skill, confidence, candidates: [{id, score}]} with --json, and nothing else', async () => {
    const { code, stdout, stderr } = await fixture.cli([
      'route',
      'convert 250 EUR to RUB',
      '--json',
    ])
    expect(code).toBe(0)
    expect(stderr).toBe('')
    const route = JSON.parse(stdout) as {
      skill: string | null
      confidence: number
      candidates: { id: string; score: number }[]
    }
    expect(Object.keys(route)).toEqual(['skill', 'confidence', 'candidates'])
    expect(route.skill).toBe('finance/convert')
    expect(route.confidence).toBeGreaterThan(0.5)
    expect(route.confidence).toBeLessThanOrEqual(1)
    expect(route.candidates[0]?.id).toBe('finance/convert')
    for (const candidate of route.candidates) {
      expect(Object.keys(candidate)).toEqual(['id', 'score'])
      expect(decimals(candidate.score)).toBeLessThanOrEqual(3)
    }
    expect(decimals(route.confidence)).toBeLessThanOrEqual(3)
  })

  it('prints "skill": null when nothing fits, and still exits 0', async () => {
    const { code, stdout } = await fixture.cli([
      'route',
      'what will the weather be on Mars tomorrow',
      '--json',
    ])
    expect(code).toBe(0)
    expect((JSON.parse(stdout) as { skill: string | null }).skill).toBeNull()
  })

  it('prints the chosen skill and a table of candidates for a person', async () => {
    const { code, stdout } = await fixture.cli(['route', 'find a flight to Paris'])
    expect(code).toBe(0)
    const lines = stdout.split('\n')
    expect(lines[0]).toMatch(/^→ travel\/flights \(confidence 0\.\d+\)$/)
    expect(lines[2]).toMatch(/^\s+# {2}skill\s+score {2}confidence$/)
    expect(lines[3]).toMatch(/^\s+1 {2}travel\/flights\s+-?\d+\.\d{3}\s+0\.\d{3}$/)
  })

  it('exits 2 without the text', async () => {
    const { code, stderr } = await fixture.cli(['route', '--json'])
    expect(code).toBe(2)
    expect(stderr).toContain("missing required argument 'text'")
  })
})
