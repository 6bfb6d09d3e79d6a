import { randomUUID } from 'node:crypto'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import type { KeyValueStore } from './key-value.js'

/** Options of {@link describeKeyValueContract}. */
export interface KeyValueContractOptions {
  /** Put in front of every prefix the suite opens; default `skillos-contract:<uuid>:`. */
  prefix?: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A rejection with `code`, naming `field` in its message and its issues. */
function validationNaming(field: string) {
  return {
    code: 'VALIDATION_FAILED',
    message: expect.stringContaining(field),
    details: { issues: expect.arrayContaining([expect.objectContaining({ path: field })]) },
  }
}

/**
 * The one suite every `KeyValueStore` adapter must pass. `open(prefix)` returns a fresh store whose
 * keys all start with `prefix`; each test gets its own prefix, and after the suite every store it
 * opened is cleared and closed.
 *
 * @example
 * ```ts
 * describeKeyValueContract('memory', async (prefix) => createMemoryKeyValue({ prefix }))
 * ```
 */
export function describeKeyValueContract(
  name: string,
  open: (prefix: string) => Promise<KeyValueStore>,
  options: KeyValueContractOptions = {},
): void {
  const base = options.prefix ?? `skillos-contract:${randomUUID()}:`

  describe(`KeyValueStore contract: ${name}`, () => {
    const opened: KeyValueStore[] = []
    let sequence = 0
    let store: KeyValueStore

    async function openTracked(label: string): Promise<KeyValueStore> {
      sequence += 1
      const opening = await open(`${base}${label}-${sequence}:`)
      opened.push(opening)
      return opening
    }

    beforeEach(async () => {
      store = await openTracked('test')
    })

    afterAll(async () => {
      for (const each of opened) {
        await each.clear()
        await each.close()
      }
    })

    describe('values', () => {
      it('puts its prefix in front of every key', () => {
        expect(store.prefix).toBe(`${base}test-${sequence}:`)
      })

      it('returns null for a key that was never set', async () => {
        expect(await store.get('missing')).toBeNull()
        expect(await store.ttl('missing')).toBeNull()
        expect(await store.delete('missing')).toBe(false)
      })

      it('stores, overwrites and deletes a value', async () => {
        expect(await store.set('greeting', 'hello')).toBe(true)
        expect(await store.get('greeting')).toBe('hello')
        expect(await store.set('greeting', 'hi')).toBe(true)
        expect(await store.get('greeting')).toBe('hi')
        expect(await store.delete('greeting')).toBe(true)
        expect(await store.get('greeting')).toBeNull()
        expect(await store.delete('greeting')).toBe(false)
      })

      it('keeps empty strings and unicode intact', async () => {
        await store.set('empty', '')
        await store.set('text', 'Grüße, 世界 🚀')
        expect(await store.get('empty')).toBe('')
        expect(await store.get('text')).toBe('Grüße, 世界 🚀')
      })

      it('writes with ifNotExists only when the key is absent', async () => {
        expect(await store.set('once', 'first', { ifNotExists: true })).toBe(true)
        expect(await store.set('once', 'second', { ifNotExists: true })).toBe(false)
        expect(await store.get('once')).toBe('first')
      })

      it('reports ttl as null when absent, Infinity without expiry and the remaining ms with one', async () => {
        await store.set('forever', 'v')
        await store.set('timed', 'v', { ttlMs: 10_000 })
        expect(await store.ttl('absent')).toBeNull()
        expect(await store.ttl('forever')).toBe(Infinity)
        const remaining = await store.ttl('timed')
        expect(remaining).toBeGreaterThan(9_000)
        expect(remaining).toBeLessThanOrEqual(10_000)
      })

      it('drops an earlier expiry when a value is set again without ttlMs', async () => {
        await store.set('renewed', 'a', { ttlMs: 10_000 })
        await store.set('renewed', 'b')
        expect(await store.ttl('renewed')).toBe(Infinity)
      })

      it('expires a value after its ttlMs', async () => {
        await store.set('short', 'v', { ttlMs: 60 })
        await store.set('short-nx', 'v', { ttlMs: 60 })
        expect(await store.get('short')).toBe('v')
        await sleep(150)
        expect(await store.get('short')).toBeNull()
        expect(await store.ttl('short')).toBeNull()
        expect(await store.set('short-nx', 'again', { ifNotExists: true })).toBe(true)
      })
    })

    describe('increment', () => {
      it('adds 1 by default and any integer, including a negative one', async () => {
        expect(await store.increment('count')).toBe(1)
        expect(await store.increment('count', 5)).toBe(6)
        expect(await store.increment('count', -10)).toBe(-4)
        expect(await store.increment('count', 0)).toBe(-4)
        expect(await store.get('count')).toBe('-4')
      })

      it('gives ttlMs only to the increment that creates the key', async () => {
        await store.increment('created', 1, { ttlMs: 10_000 })
        await store.increment('created', 1, { ttlMs: 60_000 })
        const remaining = await store.ttl('created')
        expect(remaining).toBeGreaterThan(9_000)
        expect(remaining).toBeLessThanOrEqual(10_000)

        await store.increment('untimed')
        await store.increment('untimed', 1, { ttlMs: 5_000 })
        expect(await store.ttl('untimed')).toBe(Infinity)
        expect(await store.get('untimed')).toBe('2')
      })

      it('counts on from a value that was set as integer text', async () => {
        await store.set('text-count', '41')
        expect(await store.increment('text-count')).toBe(42)
      })

      it('refuses to count a value that is not an integer and leaves it unchanged', async () => {
        for (const value of ['abc', '1.5', ' 7', '']) {
          await store.set('not-a-number', value)
          await expect(store.increment('not-a-number')).rejects.toMatchObject({
            code: 'CONFLICT',
            details: { key: 'not-a-number' },
          })
          expect(await store.get('not-a-number')).toBe(value)
        }
      })

      it('refuses to leave the safe integer range', async () => {
        await store.increment('big', Number.MAX_SAFE_INTEGER)
        await expect(store.increment('big')).rejects.toMatchObject({ code: 'CONFLICT' })
        expect(await store.get('big')).toBe(String(Number.MAX_SAFE_INTEGER))
      })

      it('counts 200 concurrent increments exactly', async () => {
        const results = await Promise.all(
          Array.from({ length: 200 }, () => store.increment('busy', 3)),
        )
        expect(await store.get('busy')).toBe('600')
        expect([...results].sort((a, b) => a - b)).toEqual(
          Array.from({ length: 200 }, (_, i) => (i + 1) * 3),
        )
      })
    })

    describe('compareAndSet', () => {
      it('writes an absent key when expected is null, and not a present one', async () => {
        expect(await store.compareAndSet('state', null, 'pending')).toBe(true)
        expect(await store.get('state')).toBe('pending')
        expect(await store.compareAndSet('state', null, 'other')).toBe(false)
        expect(await store.get('state')).toBe('pending')
      })

      it('replaces the value only when it equals expected', async () => {
        await store.set('state', 'pending')
        expect(await store.compareAndSet('state', 'done', 'failed')).toBe(false)
        expect(await store.get('state')).toBe('pending')
        expect(await store.compareAndSet('state', 'pending', 'done')).toBe(true)
        expect(await store.get('state')).toBe('done')
      })

      it('does not create a key that was expected to hold a value', async () => {
        expect(await store.compareAndSet('ghost', 'pending', 'done')).toBe(false)
        expect(await store.get('ghost')).toBeNull()
      })

      it('gives the new value ttlMs, and no expiry without it', async () => {
        await store.compareAndSet('timed', null, 'a', { ttlMs: 10_000 })
        const remaining = await store.ttl('timed')
        expect(remaining).toBeGreaterThan(9_000)
        expect(remaining).toBeLessThanOrEqual(10_000)
        await store.compareAndSet('timed', 'a', 'b')
        expect(await store.ttl('timed')).toBe(Infinity)
      })
    })

    describe('reserve', () => {
      it('adds amounts that fit and returns the new totals', async () => {
        expect(
          await store.reserve([
            { key: 'tenant', amount: 30, limit: 100 },
            { key: 'user', amount: 30, limit: 50 },
          ]),
        ).toEqual({ ok: true, totals: [30, 30] })
        expect(
          await store.reserve([
            { key: 'tenant', amount: 15, limit: 100 },
            { key: 'user', amount: 15, limit: 50 },
          ]),
        ).toEqual({ ok: true, totals: [45, 45] })
        expect(await store.get('tenant')).toBe('45')
        expect(await store.get('user')).toBe('45')
      })

      it('admits a reservation that lands exactly on the limit and refuses one more', async () => {
        expect(await store.reserve([{ key: 'edge', amount: 10, limit: 10 }])).toEqual({
          ok: true,
          totals: [10],
        })
        expect(await store.reserve([{ key: 'edge', amount: 1, limit: 10 }])).toEqual({
          ok: false,
          index: 0,
          key: 'edge',
          current: 10,
          requested: 1,
          limit: 10,
        })
        expect(await store.get('edge')).toBe('10')
      })

      it('refuses a reservation that would cross any one limit and changes nothing', async () => {
        await store.increment('a', 5)
        await store.increment('b', 8)
        const result = await store.reserve([
          { key: 'a', amount: 1, limit: 10 },
          { key: 'b', amount: 3, limit: 10 },
          { key: 'c', amount: 1, limit: 10 },
        ])
        expect(result).toEqual({
          ok: false,
          index: 1,
          key: 'b',
          current: 8,
          requested: 3,
          limit: 10,
        })
        expect(await store.get('a')).toBe('5')
        expect(await store.get('b')).toBe('8')
        expect(await store.get('c')).toBeNull()
      })

      it('applies all entries across three keys or none of them', async () => {
        const entries = (last: number) => [
          { key: 'x', amount: 4, limit: 10 },
          { key: 'y', amount: 4, limit: 10 },
          { key: 'z', amount: last, limit: 10 },
        ]
        expect(await store.reserve(entries(4))).toEqual({ ok: true, totals: [4, 4, 4] })
        expect(await store.reserve(entries(7))).toMatchObject({
          ok: false,
          index: 2,
          key: 'z',
          current: 4,
        })
        expect([await store.get('x'), await store.get('y'), await store.get('z')]).toEqual([
          '4',
          '4',
          '4',
        ])
        expect(await store.reserve(entries(6))).toEqual({ ok: true, totals: [8, 8, 10] })
      })

      it('counts a key named twice against its limit with both amounts', async () => {
        const twice = [
          { key: 'same', amount: 3, limit: 5 },
          { key: 'same', amount: 3, limit: 5 },
        ]
        expect(await store.reserve(twice)).toEqual({
          ok: false,
          index: 1,
          key: 'same',
          current: 3,
          requested: 3,
          limit: 5,
        })
        expect(await store.get('same')).toBeNull()
        expect(
          await store.reserve([
            { key: 'same', amount: 2, limit: 5 },
            { key: 'same', amount: 3, limit: 5 },
          ]),
        ).toEqual({ ok: true, totals: [2, 5] })
      })

      it('gives keys it creates ttlMs and leaves the expiry of existing keys alone', async () => {
        await store.increment('existing', 1)
        await store.reserve(
          [
            { key: 'existing', amount: 1, limit: 10 },
            { key: 'fresh', amount: 1, limit: 10 },
          ],
          { ttlMs: 10_000 },
        )
        expect(await store.ttl('existing')).toBe(Infinity)
        const remaining = await store.ttl('fresh')
        expect(remaining).toBeGreaterThan(9_000)
        expect(remaining).toBeLessThanOrEqual(10_000)
      })

      it('accepts an empty reservation', async () => {
        expect(await store.reserve([])).toEqual({ ok: true, totals: [] })
      })

      it('admits exactly 50 of 200 concurrent reservations against a limit of 50', async () => {
        const results = await Promise.all(
          Array.from({ length: 200 }, () => store.reserve([{ key: 'pool', amount: 1, limit: 50 }])),
        )
        expect(results.filter((result) => result.ok)).toHaveLength(50)
        expect(results.filter((result) => !result.ok)).toHaveLength(150)
        expect(await store.get('pool')).toBe('50')
      })
    })

    describe('leased reservations', () => {
      const leased = (id: string, ttlMs = 60_000, data?: string) => ({
        lease: { id, ttlMs, ...(data === undefined ? {} : { data }) },
      })

      it('holds what a leased reservation added, and reports the lease with its data', async () => {
        expect(
          await store.reserve(
            [
              { key: 'tenant', amount: 30, limit: 100 },
              { key: 'user', amount: 30, limit: 50 },
            ],
            leased('run-1', 60_000, '{"run":"r1"}'),
          ),
        ).toEqual({ ok: true, totals: [30, 30] })
        const lease = await store.getLease('run-1')
        expect(lease).toMatchObject({
          id: 'run-1',
          state: 'held',
          ttlMs: 60_000,
          data: '{"run":"r1"}',
          outcome: null,
          holds: [
            { key: 'tenant', amount: 30 },
            { key: 'user', amount: 30 },
          ],
        })
        expect(lease?.expiresAt).toBeGreaterThan(Date.now() + 50_000)
        expect(await store.readCounters(['tenant', 'user', 'absent'])).toEqual([
          { key: 'tenant', value: 30, held: 30 },
          { key: 'user', value: 30, held: 30 },
          { key: 'absent', value: 0, held: 0 },
        ])
        expect(await store.getLease('never-made')).toBeNull()
      })

      it('replaces the hold with the actual amount when the lease is settled', async () => {
        await store.increment('tenant', 100)
        await store.reserve([{ key: 'tenant', amount: 40, limit: 1_000 }], leased('run-1'))
        expect(
          await store.settleLease('run-1', [{ key: 'tenant', amount: 15 }], {
            outcome: 'committed',
          }),
        ).toEqual({
          status: 'settled',
          counters: [{ key: 'tenant', held: 40, amount: 15, total: 115 }],
        })
        expect(await store.readCounters(['tenant'])).toEqual([
          { key: 'tenant', value: 115, held: 0 },
        ])
        expect(await store.getLease('run-1')).toMatchObject({
          state: 'settled',
          outcome: 'committed',
          holds: [],
        })
      })

      it('changes nothing when a settled lease is settled again, and says how it ended', async () => {
        await store.reserve([{ key: 'tenant', amount: 40, limit: 1_000 }], leased('run-1'))
        await store.settleLease('run-1', [{ key: 'tenant', amount: 10 }], { outcome: 'committed' })
        expect(
          await store.settleLease('run-1', [{ key: 'tenant', amount: 10 }], { outcome: 'again' }),
        ).toEqual({ status: 'already-settled', outcome: 'committed', counters: [] })
        expect(await store.get('tenant')).toBe('10')
      })

      it('releases every hold of a lease settled without actual amounts', async () => {
        await store.increment('user', 7)
        await store.reserve(
          [
            { key: 'tenant', amount: 25, limit: 100 },
            { key: 'user', amount: 25, limit: 100 },
          ],
          leased('run-1'),
        )
        const settled = await store.settleLease('run-1')
        expect(settled.status).toBe('settled')
        expect(settled.counters).toEqual(
          expect.arrayContaining([
            { key: 'tenant', held: 25, amount: 0, total: 0 },
            { key: 'user', held: 25, amount: 0, total: 7 },
          ]),
        )
        expect(await store.get('tenant')).toBe('0')
        expect(await store.get('user')).toBe('7')
      })

      it('releases the counters a settle call leaves out, and adds to counters the lease never held', async () => {
        await store.reserve(
          [
            { key: 'tenant', amount: 25, limit: 100 },
            { key: 'user', amount: 25, limit: 100 },
          ],
          leased('run-1'),
        )
        const settled = await store.settleLease('run-1', [
          { key: 'tenant', amount: 20 },
          { key: 'model', amount: 20 },
          { key: 'model', amount: 5 },
        ])
        expect(settled.counters).toEqual(
          expect.arrayContaining([
            { key: 'tenant', held: 25, amount: 20, total: 20 },
            { key: 'model', held: 0, amount: 25, total: 25 },
            { key: 'user', held: 25, amount: 0, total: 0 },
          ]),
        )
        expect(settled.counters).toHaveLength(3)
      })

      it('rolls an abandoned lease back once it expires, at the next reservation', async () => {
        await store.increment('pool', 10)
        await store.reserve([{ key: 'pool', amount: 80, limit: 100 }], leased('crashed', 60))
        expect(await store.reserve([{ key: 'pool', amount: 20, limit: 100 }])).toMatchObject({
          ok: false,
          current: 90,
        })
        await sleep(150)
        expect(await store.getLease('crashed')).toMatchObject({ state: 'expired' })
        expect(await store.get('pool')).toBe('90')
        expect(
          await store.reserve([{ key: 'pool', amount: 85, limit: 100 }], leased('next')),
        ).toEqual({ ok: true, totals: [95] })
        expect(await store.readCounters(['pool'])).toEqual([{ key: 'pool', value: 95, held: 85 }])
      })

      it('rolls an expired lease back before it reads counters', async () => {
        await store.increment('pool', 10)
        await store.reserve(
          [
            { key: 'pool', amount: 30, limit: 100 },
            { key: 'other', amount: 30, limit: 100 },
          ],
          leased('crashed', 60),
        )
        await store.reserve([{ key: 'pool', amount: 5, limit: 100 }], leased('alive'))
        await sleep(150)
        expect(await store.readCounters(['pool', 'other'])).toEqual([
          { key: 'pool', value: 15, held: 5 },
          { key: 'other', value: 0, held: 0 },
        ])
        expect(await store.get('pool')).toBe('15')
      })

      it('counts the actual amount of a lease settled after it expired, without taking its hold off twice', async () => {
        // Expired and not rolled back yet: the settle rolls it back and adds the actual amount.
        await store.reserve([{ key: 'pool', amount: 50, limit: 100 }], leased('slow', 60))
        await sleep(150)
        expect(await store.settleLease('slow', [{ key: 'pool', amount: 30 }])).toEqual({
          status: 'expired',
          counters: [{ key: 'pool', held: 0, amount: 30, total: 30 }],
        })
        // Expired and already rolled back (by a read): the settle only adds the actual amount.
        await store.reserve([{ key: 'other', amount: 50, limit: 100 }], leased('slow-2', 60))
        await sleep(150)
        expect(await store.readCounters(['other'])).toEqual([{ key: 'other', value: 0, held: 0 }])
        expect(await store.settleLease('slow-2', [{ key: 'other', amount: 30 }])).toEqual({
          status: 'expired',
          counters: [{ key: 'other', held: 0, amount: 30, total: 30 }],
        })
      })

      it('leaves expired holds in place for a reservation without a lease (the cheap path)', async () => {
        await store.reserve([{ key: 'pool', amount: 80, limit: 100 }], leased('crashed', 60))
        await sleep(150)
        expect(await store.reserve([{ key: 'pool', amount: 30, limit: 100 }])).toMatchObject({
          ok: false,
          current: 80,
        })
        expect(
          await store.reserve([{ key: 'pool', amount: 30, limit: 100 }], leased('next')),
        ).toEqual({
          ok: true,
          totals: [30],
        })
      })

      it('adds the actual amounts of a lease it does not know, once', async () => {
        await store.increment('pool', 5)
        expect(await store.settleLease('lost', [{ key: 'pool', amount: 12 }])).toEqual({
          status: 'unknown',
          counters: [{ key: 'pool', held: 0, amount: 12, total: 17 }],
        })
        expect(await store.settleLease('lost', [{ key: 'pool', amount: 12 }])).toMatchObject({
          status: 'already-settled',
        })
        expect(await store.get('pool')).toBe('17')
      })

      it('recreates a counter that vanished under a lease with the actual amount and its ttlMs', async () => {
        await store.reserve([{ key: 'pool', amount: 50, limit: 100 }], leased('run-1'))
        await store.delete('pool')
        expect(
          await store.settleLease('run-1', [{ key: 'pool', amount: 20, ttlMs: 10_000 }]),
        ).toEqual({
          status: 'settled',
          counters: [{ key: 'pool', held: 0, amount: 20, total: 20 }],
        })
        const remaining = await store.ttl('pool')
        expect(remaining).toBeGreaterThan(9_000)
        expect(remaining).toBeLessThanOrEqual(10_000)
        await store.reserve([{ key: 'pool', amount: 1, limit: 100 }])
        expect(await store.get('pool')).toBe('21')
      })

      it('refuses a lease id in use with CONFLICT, and records no lease for a refused reservation', async () => {
        await store.reserve([{ key: 'pool', amount: 5, limit: 10 }], leased('run-1'))
        await expect(
          store.reserve([{ key: 'pool', amount: 1, limit: 10 }], leased('run-1')),
        ).rejects.toMatchObject({ code: 'CONFLICT', details: { lease: 'run-1' } })
        expect(
          await store.reserve([{ key: 'pool', amount: 6, limit: 10 }], leased('run-2')),
        ).toMatchObject({ ok: false, current: 5 })
        expect(await store.getLease('run-2')).toBeNull()
        expect(
          await store.reserve([{ key: 'pool', amount: 5, limit: 10 }], leased('run-2')),
        ).toEqual({ ok: true, totals: [10] })
        await store.settleLease('run-1', [])
        await expect(
          store.reserve([{ key: 'pool', amount: 1, limit: 10 }], leased('run-1')),
        ).rejects.toMatchObject({ code: 'CONFLICT' })
        expect(await store.get('pool')).toBe('5')
      })

      it('sums a key named twice into one hold', async () => {
        await store.reserve(
          [
            { key: 'pool', amount: 3, limit: 10 },
            { key: 'pool', amount: 4, limit: 10 },
          ],
          leased('run-1'),
        )
        expect((await store.getLease('run-1'))?.holds).toEqual([{ key: 'pool', amount: 7 }])
        expect(await store.settleLease('run-1', [{ key: 'pool', amount: 2 }])).toEqual({
          status: 'settled',
          counters: [{ key: 'pool', held: 7, amount: 2, total: 2 }],
        })
      })

      it("gives each created key its entry's ttlMs over the call's", async () => {
        await store.reserve(
          [
            { key: 'minute', amount: 1, limit: 10, ttlMs: 60_000 },
            { key: 'default', amount: 1, limit: 10 },
          ],
          { ttlMs: 10_000, lease: { id: 'run-1', ttlMs: 5_000 } },
        )
        expect(await store.ttl('minute')).toBeGreaterThan(59_000)
        const remaining = await store.ttl('default')
        expect(remaining).toBeGreaterThan(9_000)
        expect(remaining).toBeLessThanOrEqual(10_000)
      })

      it('admits exactly 50 of 200 concurrent leased reservations, and settles them exactly', async () => {
        const results = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            store.reserve([{ key: 'pool', amount: 2, limit: 100 }], leased(`run-${i}`)),
          ),
        )
        const admitted = results.flatMap((result, i) => (result.ok ? [i] : []))
        expect(admitted).toHaveLength(50)
        await Promise.all(
          admitted.map((i) => store.settleLease(`run-${i}`, [{ key: 'pool', amount: 1 }])),
        )
        expect(await store.readCounters(['pool'])).toEqual([{ key: 'pool', value: 50, held: 0 }])
      })

      it('refuses to read or settle a counter that holds text', async () => {
        await store.set('text', 'abc')
        await expect(store.readCounters(['text'])).rejects.toMatchObject({
          code: 'CONFLICT',
          details: { key: 'text' },
        })
        await expect(
          store.settleLease('run-1', [{ key: 'text', amount: 1 }]),
        ).rejects.toMatchObject({ code: 'CONFLICT', details: { key: 'text' } })
        expect(await store.get('text')).toBe('abc')
        expect(await store.getLease('run-1')).toBeNull()
      })
    })

    describe('hit (sliding window)', () => {
      it('admits hits up to the limit and refuses the next with retryAfterMs within the window', async () => {
        const window = { limit: 3, windowMs: 10_000 }
        expect(await store.hit('api', window)).toEqual({
          allowed: true,
          count: 1,
          limit: 3,
          remaining: 2,
          retryAfterMs: 0,
        })
        expect(await store.hit('api', window)).toMatchObject({
          allowed: true,
          count: 2,
          remaining: 1,
        })
        expect(await store.hit('api', window)).toMatchObject({
          allowed: true,
          count: 3,
          remaining: 0,
        })
        const refused = await store.hit('api', window)
        expect(refused).toMatchObject({ allowed: false, count: 3, limit: 3, remaining: 0 })
        expect(refused.retryAfterMs).toBeGreaterThan(0)
        expect(refused.retryAfterMs).toBeLessThanOrEqual(10_000)
      })

      it('does not count a refused hit', async () => {
        const window = { limit: 3, windowMs: 10_000 }
        expect(await store.hit('api', { ...window, cost: 2 })).toMatchObject({
          allowed: true,
          count: 2,
        })
        expect(await store.hit('api', { ...window, cost: 2 })).toMatchObject({
          allowed: false,
          count: 2,
          remaining: 1,
        })
        expect(await store.hit('api', window)).toMatchObject({
          allowed: true,
          count: 3,
          remaining: 0,
        })
      })

      it('counts a hit of cost above 1 as that many hits', async () => {
        const window = { limit: 5, windowMs: 10_000 }
        expect(await store.hit('api', { ...window, cost: 3 })).toMatchObject({
          allowed: true,
          count: 3,
          remaining: 2,
        })
        expect(await store.hit('api', { ...window, cost: 3 })).toMatchObject({
          allowed: false,
          count: 3,
        })
        expect(await store.hit('api', { ...window, cost: 2 })).toMatchObject({
          allowed: true,
          count: 5,
          remaining: 0,
        })
      })

      it('refuses a cost above the limit with retryAfterMs Infinity, since waiting cannot help', async () => {
        expect(await store.hit('api', { limit: 2, windowMs: 1_000, cost: 3 })).toEqual({
          allowed: false,
          count: 0,
          limit: 2,
          remaining: 2,
          retryAfterMs: Infinity,
        })
        expect(await store.hit('closed', { limit: 0, windowMs: 1_000 })).toMatchObject({
          allowed: false,
          count: 0,
        })
        expect(await store.ttl('api')).toBeNull()
      })

      it('admits again once the window has passed', async () => {
        const window = { limit: 1, windowMs: 100 }
        expect(await store.hit('api', window)).toMatchObject({ allowed: true })
        const refused = await store.hit('api', window)
        expect(refused.allowed).toBe(false)
        expect(refused.retryAfterMs).toBeGreaterThan(0)
        expect(refused.retryAfterMs).toBeLessThanOrEqual(100)
        await sleep(160)
        expect(await store.hit('api', window)).toMatchObject({ allowed: true, count: 1 })
      })

      it('keeps separate keys in separate windows', async () => {
        const window = { limit: 1, windowMs: 10_000 }
        expect((await store.hit('one', window)).allowed).toBe(true)
        expect((await store.hit('two', window)).allowed).toBe(true)
        expect((await store.hit('one', window)).allowed).toBe(false)
      })

      it('refuses to read a sliding-window key as a value or a counter', async () => {
        await store.hit('window', { limit: 5, windowMs: 10_000 })
        await store.increment('counter', 2)
        await expect(store.get('window')).rejects.toMatchObject({
          code: 'CONFLICT',
          details: { key: 'window' },
        })
        await expect(store.increment('window')).rejects.toMatchObject({ code: 'CONFLICT' })
        await expect(
          store.reserve([
            { key: 'counter', amount: 1, limit: 10 },
            { key: 'window', amount: 1, limit: 10 },
          ]),
        ).rejects.toMatchObject({ code: 'CONFLICT', details: { key: 'window' } })
        await expect(store.hit('counter', { limit: 5, windowMs: 10_000 })).rejects.toMatchObject({
          code: 'CONFLICT',
        })
        expect(await store.get('counter')).toBe('2')
      })
    })

    describe('locks', () => {
      it('grants a lock to one holder and null to the next until it is released', async () => {
        const lock = await store.acquireLock('job', 10_000)
        expect(lock?.key).toBe('job')
        expect(lock?.token).toMatch(/^[0-9a-f-]{36}$/)
        expect(await store.acquireLock('job', 10_000)).toBeNull()
        expect(await store.releaseLock('job', 'not-the-token')).toBe(false)
        expect(await store.acquireLock('job', 10_000)).toBeNull()
        expect(await lock?.release()).toBe(true)
        expect(await lock?.release()).toBe(false)
        const next = await store.acquireLock('job', 10_000)
        expect(next).not.toBeNull()
        expect(next?.token).not.toBe(lock?.token)
      })

      it('extends a lock only for the token that owns it', async () => {
        const lock = await store.acquireLock('job', 1_000)
        expect(await store.extendLock('job', 'not-the-token', 60_000)).toBe(false)
        expect(await store.ttl('job')).toBeLessThanOrEqual(1_000)
        expect(await lock?.extend(60_000)).toBe(true)
        expect(await store.ttl('job')).toBeGreaterThan(59_000)
        expect(await store.extendLock('nobody', 'not-the-token', 60_000)).toBe(false)
        expect(await store.get('nobody')).toBeNull()
      })

      it('lets a lock lapse after its ttl, after which the old token owns nothing', async () => {
        const first = await store.acquireLock('job', 50)
        await sleep(120)
        const second = await store.acquireLock('job', 10_000)
        expect(second).not.toBeNull()
        expect(await first?.release()).toBe(false)
        expect(await first?.extend(10_000)).toBe(false)
        expect(await store.get('job')).toBe(second?.token)
      })

      it('grants exactly one of 100 concurrent acquires', async () => {
        const locks = await Promise.all(
          Array.from({ length: 100 }, () => store.acquireLock('contended', 10_000)),
        )
        const winners = locks.filter((lock) => lock !== null)
        expect(winners).toHaveLength(1)
        expect(await store.get('contended')).toBe(winners[0]?.token)
      })
    })

    describe('clear, ping and close', () => {
      it('clears only the keys under its own prefix', async () => {
        const neighbour = await openTracked('neighbour')
        await store.set('a', '1')
        await store.increment('b')
        await store.hit('c', { limit: 5, windowMs: 10_000 })
        await neighbour.set('a', 'kept')
        expect(await store.clear()).toBe(3)
        expect(await store.get('a')).toBeNull()
        expect(await store.get('b')).toBeNull()
        expect(await store.ttl('c')).toBeNull()
        expect(await neighbour.get('a')).toBe('kept')
        expect(await store.clear()).toBe(0)
      })

      it('answers ping while open', async () => {
        await expect(store.ping()).resolves.toBeUndefined()
      })

      it('refuses calls after close with UNAVAILABLE, and closes twice without error', async () => {
        const closing = await open(`${base}closing-${randomUUID()}:`)
        await closing.close()
        await expect(closing.get('k')).rejects.toMatchObject({ code: 'UNAVAILABLE' })
        await expect(closing.ping()).rejects.toMatchObject({ code: 'UNAVAILABLE' })
        await expect(closing.close()).resolves.toBeUndefined()
      })
    })

    describe('input validation', () => {
      const cases: { call: string; field: string; run: (s: KeyValueStore) => Promise<unknown> }[] =
        [
          { call: 'get with an empty key', field: 'key', run: (s) => s.get('') },
          {
            call: 'set with ttlMs 0',
            field: 'ttlMs',
            run: (s) => s.set('held', 'x', { ttlMs: 0 }),
          },
          {
            call: 'set with a negative ttlMs',
            field: 'ttlMs',
            run: (s) => s.set('held', 'x', { ttlMs: -5 }),
          },
          {
            call: 'set with a fractional ttlMs',
            field: 'ttlMs',
            run: (s) => s.set('fresh', 'x', { ttlMs: 1.5 }),
          },
          {
            call: 'set with a non-string value',
            field: 'value',
            run: (s) => s.set('held', 42 as unknown as string),
          },
          { call: 'increment by 1.5', field: 'by', run: (s) => s.increment('held', 1.5) },
          { call: 'increment by NaN', field: 'by', run: (s) => s.increment('held', Number.NaN) },
          { call: 'increment by Infinity', field: 'by', run: (s) => s.increment('held', Infinity) },
          {
            call: 'increment by an unsafe integer',
            field: 'by',
            run: (s) => s.increment('held', 2 ** 53),
          },
          {
            call: 'increment with ttlMs 0',
            field: 'ttlMs',
            run: (s) => s.increment('fresh', 1, { ttlMs: 0 }),
          },
          {
            call: 'compareAndSet with a non-string next',
            field: 'next',
            run: (s) => s.compareAndSet('held', '7', 8 as unknown as string),
          },
          {
            call: 'reserve with a negative amount',
            field: 'entries.1.amount',
            run: (s) =>
              s.reserve([
                { key: 'held', amount: 1, limit: 100 },
                { key: 'fresh', amount: -1, limit: 100 },
              ]),
          },
          {
            call: 'reserve with a fractional amount',
            field: 'entries.0.amount',
            run: (s) => s.reserve([{ key: 'held', amount: 0.5, limit: 100 }]),
          },
          {
            call: 'reserve with a negative limit',
            field: 'entries.0.limit',
            run: (s) => s.reserve([{ key: 'held', amount: 1, limit: -1 }]),
          },
          {
            call: 'reserve with an empty key',
            field: 'entries.1.key',
            run: (s) =>
              s.reserve([
                { key: 'held', amount: 1, limit: 100 },
                { key: '', amount: 1, limit: 100 },
              ]),
          },
          {
            call: 'reserve with a ttlMs of 0',
            field: 'ttlMs',
            run: (s) => s.reserve([{ key: 'fresh', amount: 1, limit: 100 }], { ttlMs: 0 }),
          },
          {
            call: 'reserve with an entry ttlMs of 0',
            field: 'entries.0.ttlMs',
            run: (s) => s.reserve([{ key: 'fresh', amount: 1, limit: 100, ttlMs: 0 }]),
          },
          {
            call: 'reserve with a lease without ttlMs',
            field: 'lease.ttlMs',
            run: (s) =>
              s.reserve([{ key: 'fresh', amount: 1, limit: 100 }], {
                lease: { id: 'l1' } as unknown as { id: string; ttlMs: number },
              }),
          },
          {
            call: 'reserve with an empty lease id',
            field: 'lease.id',
            run: (s) =>
              s.reserve([{ key: 'fresh', amount: 1, limit: 100 }], {
                lease: { id: '', ttlMs: 1_000 },
              }),
          },
          {
            call: 'reserve on a key reserved for lease bookkeeping',
            field: 'entries.0.key',
            run: (s) => s.reserve([{ key: '~lease:x', amount: 1, limit: 100 }]),
          },
          {
            call: 'set on a key reserved for lease bookkeeping',
            field: 'key',
            run: (s) => s.set('~lease-holds:held', '1'),
          },
          {
            call: 'settleLease with a negative amount',
            field: 'actuals.0.amount',
            run: (s) => s.settleLease('l1', [{ key: 'held', amount: -1 }]),
          },
          {
            call: 'settleLease with an empty id',
            field: 'id',
            run: (s) => s.settleLease('', [{ key: 'held', amount: 1 }]),
          },
          {
            call: 'readCounters with an empty key',
            field: 'keys.1',
            run: (s) => s.readCounters(['held', '']),
          },
          {
            call: 'hit with a negative limit',
            field: 'limit',
            run: (s) => s.hit('fresh', { limit: -1, windowMs: 1_000 }),
          },
          {
            call: 'hit with windowMs 0',
            field: 'windowMs',
            run: (s) => s.hit('fresh', { limit: 5, windowMs: 0 }),
          },
          {
            call: 'hit with cost 0',
            field: 'cost',
            run: (s) => s.hit('fresh', { limit: 5, windowMs: 1_000, cost: 0 }),
          },
          {
            call: 'hit with cost 1.5',
            field: 'cost',
            run: (s) => s.hit('fresh', { limit: 5, windowMs: 1_000, cost: 1.5 }),
          },
          {
            call: 'acquireLock with ttlMs 0',
            field: 'ttlMs',
            run: (s) => s.acquireLock('fresh', 0),
          },
          {
            call: 'releaseLock with an empty token',
            field: 'token',
            run: (s) => s.releaseLock('held', ''),
          },
          {
            call: 'extendLock with a negative ttlMs',
            field: 'ttlMs',
            run: (s) => s.extendLock('held', '7', -1),
          },
        ]

      it.each(cases)(
        'refuses $call with a ValidationError naming $field, changing nothing',
        async ({ field, run }) => {
          await store.set('held', '7')
          await expect(run(store)).rejects.toMatchObject(validationNaming(field))
          expect(await store.get('held')).toBe('7')
          expect(await store.ttl('held')).toBe(Infinity)
          expect(await store.ttl('fresh')).toBeNull()
        },
      )
    })
  })
}
