import { describe, expect, it } from 'vitest'
import { describeKeyValueContract } from './key-value.contract.js'
import { createMemoryKeyValue } from './memory-key-value.js'

describeKeyValueContract('memory', async (prefix) => createMemoryKeyValue({ prefix }))

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let time = start
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms
    },
  }
}

describe('createMemoryKeyValue', () => {
  it('names itself memory:// with the default prefix', () => {
    const store = createMemoryKeyValue()
    expect(store.kind).toBe('memory')
    expect(store.url).toBe('memory://')
    expect(store.prefix).toBe('skillos:')
  })

  it('refuses an empty prefix, which would make clear() mean everything', () => {
    expect(() => createMemoryKeyValue({ prefix: '' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })

  it('expires a value at its ttl on the injected clock, as Redis does (alive at the last ms)', async () => {
    const clock = manualClock()
    const store = createMemoryKeyValue({ now: clock.now })
    await store.set('k', 'v', { ttlMs: 1_000 })
    clock.advance(400)
    expect(await store.ttl('k')).toBe(600)
    clock.advance(600)
    expect(await store.get('k')).toBe('v')
    expect(await store.ttl('k')).toBe(0)
    clock.advance(1)
    expect(await store.get('k')).toBeNull()
    expect(await store.ttl('k')).toBeNull()
  })

  it('keeps the expiry an increment found, and gives one only on create', async () => {
    const clock = manualClock()
    const store = createMemoryKeyValue({ now: clock.now })
    await store.increment('n', 1, { ttlMs: 500 })
    clock.advance(300)
    await store.increment('n', 1, { ttlMs: 10_000 })
    expect(await store.ttl('n')).toBe(200)
    clock.advance(201)
    expect(await store.increment('n')).toBe(1)
    expect(await store.ttl('n')).toBe(Infinity)
  })

  it('reports the exact retryAfterMs of a sliding window', async () => {
    const clock = manualClock()
    const store = createMemoryKeyValue({ now: clock.now })
    const window = { limit: 2, windowMs: 1_000 }
    await store.hit('api', window)
    clock.advance(300)
    await store.hit('api', window)
    clock.advance(200)
    expect(await store.hit('api', window)).toEqual({
      allowed: false,
      count: 2,
      limit: 2,
      remaining: 0,
      retryAfterMs: 500,
    })
    // A cost of 2 needs both hits gone: the second leaves at 1_300 ms, 800 ms from now.
    expect((await store.hit('api', { ...window, cost: 2 })).retryAfterMs).toBe(800)
    clock.advance(499)
    expect((await store.hit('api', window)).retryAfterMs).toBe(1)
    clock.advance(1)
    expect(await store.hit('api', window)).toMatchObject({ allowed: true, count: 2 })
  })

  it('lets a lock lapse on the injected clock', async () => {
    const clock = manualClock()
    const store = createMemoryKeyValue({ now: clock.now })
    const lock = await store.acquireLock('job', 100)
    clock.advance(50)
    expect(await lock?.extend(100)).toBe(true)
    clock.advance(100)
    expect(await store.acquireLock('job', 100)).toBeNull()
    clock.advance(1)
    expect(await store.acquireLock('job', 100)).not.toBeNull()
    expect(await lock?.release()).toBe(false)
  })

  it('counts only live keys when it clears, after a sweep has dropped expired ones', async () => {
    const clock = manualClock()
    const store = createMemoryKeyValue({ now: clock.now })
    await store.set('short', 'v', { ttlMs: 10 })
    await store.set('long', 'v', { ttlMs: 120_000 })
    await store.set('forever', 'v')
    clock.advance(60_000)
    expect(await store.get('forever')).toBe('v')
    expect(await store.clear()).toBe(2)
  })

  it('counts a lease until the last ms of its ttl and rolls it back after, on the injected clock', async () => {
    const clock = manualClock()
    const store = createMemoryKeyValue({ now: clock.now })
    await store.reserve([{ key: 'pool', amount: 60, limit: 100 }], {
      lease: { id: 'run-1', ttlMs: 1_000 },
    })
    clock.advance(1_000)
    expect(await store.getLease('run-1')).toMatchObject({ state: 'held', expiresAt: 1_001_000 })
    expect(await store.reserve([{ key: 'pool', amount: 41, limit: 100 }])).toMatchObject({
      ok: false,
      current: 60,
    })
    clock.advance(1)
    expect(await store.getLease('run-1')).toMatchObject({ state: 'expired' })
    expect(
      await store.reserve([{ key: 'pool', amount: 41, limit: 100 }], {
        lease: { id: 'run-2', ttlMs: 1_000 },
      }),
    ).toEqual({ ok: true, totals: [41] })
    // Remembered for a minute after it expired (its ttl is shorter), then forgotten.
    clock.advance(59_999)
    expect(await store.getLease('run-1')).toMatchObject({ state: 'expired' })
    clock.advance(1)
    expect(await store.getLease('run-1')).toBeNull()
  })

  it('remembers a settled lease for keepMs, after which its id may be used again', async () => {
    const clock = manualClock()
    const store = createMemoryKeyValue({ now: clock.now })
    await store.reserve([{ key: 'pool', amount: 5, limit: 100 }], {
      lease: { id: 'run-1', ttlMs: 60_000 },
    })
    await store.settleLease('run-1', [{ key: 'pool', amount: 3 }], { keepMs: 500 })
    clock.advance(500)
    expect(await store.settleLease('run-1', [{ key: 'pool', amount: 3 }])).toMatchObject({
      status: 'already-settled',
    })
    clock.advance(1)
    expect(await store.getLease('run-1')).toBeNull()
    expect(
      await store.reserve([{ key: 'pool', amount: 1, limit: 100 }], {
        lease: { id: 'run-1', ttlMs: 60_000 },
      }),
    ).toEqual({ ok: true, totals: [4] })
  })

  it('keeps stores apart: each has its own entries', async () => {
    const one = createMemoryKeyValue({ prefix: 'one:' })
    const two = createMemoryKeyValue({ prefix: 'two:' })
    await one.set('k', '1')
    expect(await two.get('k')).toBeNull()
  })
})
