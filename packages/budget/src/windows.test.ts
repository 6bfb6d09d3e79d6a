import { describe, expect, it } from 'vitest'
import { counterTtlMs, windowInstance } from './windows.js'

const at = Date.UTC(2025, 5, 30, 23, 59, 30, 500) // 2025-06-30T23:59:30.500Z

describe('windowInstance', () => {
  it('cuts UTC calendar windows and names each instance', () => {
    expect(windowInstance('minute', at, 'r1')).toEqual({
      window: 'minute',
      id: '2025-06-30T23:59',
      start: new Date('2025-06-30T23:59:00.000Z'),
      end: new Date('2025-07-01T00:00:00.000Z'),
    })
    expect(windowInstance('hour', at, 'r1').id).toBe('2025-06-30T23')
    expect(windowInstance('day', at, 'r1')).toMatchObject({
      id: '2025-06-30',
      end: new Date('2025-07-01T00:00:00.000Z'),
    })
    expect(windowInstance('month', at, 'r1')).toMatchObject({
      id: '2025-06',
      start: new Date('2025-06-01T00:00:00.000Z'),
      end: new Date('2025-07-01T00:00:00.000Z'),
    })
    expect(windowInstance('month', Date.UTC(2025, 11, 31), 'r1').end).toEqual(
      new Date('2026-01-01T00:00:00.000Z'),
    )
    expect(windowInstance('lifetime', at, 'r1')).toEqual({
      window: 'lifetime',
      id: 'all',
      start: null,
      end: null,
    })
    expect(windowInstance('run', at, 'r1').id).toBe('r1')
  })

  it('keeps a counter past its window for as long as a reservation made at its end may settle', () => {
    const day = windowInstance('day', at, 'r1')
    expect(counterTtlMs(day, at, 900_000)).toBe(29_500 + 1_800_000 + 60_000)
    expect(counterTtlMs(windowInstance('lifetime', at, 'r1'), at, 900_000)).toBe(0)
    expect(counterTtlMs(windowInstance('run', at, 'r1'), at, 900_000)).toBe(86_400_000)
  })
})
