import { describe, expect, it } from 'vitest'
import { newId } from './engine.js'

describe('newId', () => {
  it('names the kind and time, and never repeats across refills of its entropy pool', () => {
    const at = Date.parse('2026-11-21T10:00:00Z')
    const ids = Array.from({ length: 5_000 }, () => newId('run', at))
    for (const id of ids) expect(id).toMatch(new RegExp(`^run_${at.toString(36)}[0-9a-f]{16}$`))
    expect(new Set(ids).size).toBe(ids.length)
    // 5,000 ids use the 4 KB pool about ten times over: no two stretches of it are alike.
    expect(new Set(ids.map((id) => id.slice(-16, -8))).size).toBeGreaterThan(4_990)
  })
})
