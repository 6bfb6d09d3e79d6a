import { describe, expect, it } from 'vitest'
import { createGroupCommit } from './group-commit.js'

interface Op {
  id: string
  key?: string
}

/** A group commit over a recording "database" that answers each op with `ok:<id>`. */
function recording(
  options: {
    failBatch?: (ids: string[]) => unknown
    failOne?: (id: string) => boolean
    maxInFlight?: number
  } = {},
) {
  const batches: string[][] = []
  /** Each batch as it left, before the database answered. */
  const sent: string[][] = []
  const alone: string[] = []
  let gate: Promise<void> | null = null
  let release: () => void = () => undefined
  const commit = createGroupCommit<Op, string>({
    key: (op) => op.key ?? op.id,
    async writeBatch(ops) {
      const ids = ops.map((op) => op.id)
      sent.push(ids)
      if (gate) await gate
      const failure = options.failBatch?.(ids)
      if (failure) throw failure
      batches.push(ids)
      return ids.map((id) => `ok:${id}`)
    },
    async writeOne(op) {
      sent.push([op.id])
      if (gate) await gate
      if (options.failOne?.(op.id)) throw new Error(`bad ${op.id}`)
      alone.push(op.id)
      return `ok:${op.id}`
    },
    retryAlone: (error) => (error as { code?: string }).code === '23505',
    maxBatch: 3,
    ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}),
  })
  return {
    commit,
    batches,
    sent,
    alone,
    hold() {
      gate = new Promise((resolve) => (release = resolve))
    },
    open() {
      gate = null
      release()
    },
  }
}

describe('createGroupCommit', () => {
  it('writes the calls of one moment together and answers each only after its batch', async () => {
    const r = recording()
    const answered: string[] = []
    const writes = ['a', 'b'].map((id) => r.commit.write({ id }).then((x) => answered.push(x)))
    expect(r.commit.pending).toBe(2)
    expect(answered).toEqual([])
    await Promise.all(writes)
    expect(r.batches).toEqual([['a', 'b']])
    expect(answered).toEqual(['ok:a', 'ok:b'])
    expect(r.commit.pending).toBe(0)
  })

  it('writes a lone call on its own, and collects the next batch while one is in flight', async () => {
    const r = recording()
    r.hold()
    const first = r.commit.write({ id: 'a' })
    await new Promise((resolve) => setImmediate(resolve))
    const later = ['b', 'c'].map((id) => r.commit.write({ id }))
    expect(r.commit.pending).toBe(3)
    r.open()
    expect(await Promise.all([first, ...later])).toEqual(['ok:a', 'ok:b', 'ok:c'])
    expect(r.alone).toEqual(['a'])
    expect(r.batches).toEqual([['b', 'c']])
  })

  it('never puts two calls with one key in a batch, and splits at maxBatch', async () => {
    const r = recording()
    const ops = [
      { id: 'a1', key: 'a' },
      { id: 'a2', key: 'a' },
      { id: 'b' },
      { id: 'c' },
      { id: 'd' },
    ]
    await Promise.all(ops.map((op) => r.commit.write(op)))
    expect(r.batches).toEqual([
      ['a1', 'b', 'c'],
      ['a2', 'd'],
    ])
    expect(r.alone).toEqual([])
  })

  it('retries a batch the database refused one call at a time, so only the bad one fails', async () => {
    const r = recording({
      failBatch: (ids) => (ids.includes('bad') ? { code: '23505' } : undefined),
      failOne: (id) => id === 'bad',
    })
    const outcomes = await Promise.allSettled(['a', 'bad', 'c'].map((id) => r.commit.write({ id })))
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(r.alone).toEqual(['a', 'c'])
  })

  it('fails every call of a batch with a lost connection instead of retrying blind', async () => {
    const lost = new Error('connection reset')
    const r = recording({ failBatch: () => lost })
    const outcomes = await Promise.allSettled(['a', 'b'].map((id) => r.commit.write({ id })))
    expect(outcomes).toEqual([
      { status: 'rejected', reason: lost },
      { status: 'rejected', reason: lost },
    ])
    expect(r.alone).toEqual([])
  })

  it('with maxInFlight, sends a full batch while another is in flight, and holds a partial one', async () => {
    const r = recording({ maxInFlight: 2 })
    r.hold()
    const first = r.commit.write({ id: 'a' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(r.sent).toEqual([['a']])
    const full = ['b', 'c', 'd'].map((id) => r.commit.write({ id }))
    // Full: it leaves at once, beside the first.
    expect(r.sent).toEqual([['a'], ['b', 'c', 'd']])
    const partial = r.commit.write({ id: 'e' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(r.sent).toHaveLength(2)
    expect(r.commit.pending).toBe(5)
    r.open()
    expect(await Promise.all([first, ...full, partial])).toEqual([
      'ok:a',
      'ok:b',
      'ok:c',
      'ok:d',
      'ok:e',
    ])
    expect(r.sent).toEqual([['a'], ['b', 'c', 'd'], ['e']])
    expect(r.commit.pending).toBe(0)
  })

  it('with maxInFlight, never sends a key while a batch holding it is in flight', async () => {
    const r = recording({ maxInFlight: 3 })
    r.hold()
    const first = [{ id: 'x1', key: 'x' }, { id: 'p' }, { id: 'q' }].map((op) => r.commit.write(op))
    await new Promise((resolve) => setImmediate(resolve))
    expect(r.sent).toEqual([['x1', 'p', 'q']])
    const next = [{ id: 'x2', key: 'x' }, { id: 'r' }, { id: 's' }, { id: 't' }].map((op) =>
      r.commit.write(op),
    )
    // x2 waits for x1's batch; the others fill a batch that leaves now.
    expect(r.sent).toEqual([
      ['x1', 'p', 'q'],
      ['r', 's', 't'],
    ])
    r.open()
    await Promise.all([...first, ...next])
    expect(r.sent.at(-1)).toEqual(['x2'])
    expect(r.alone).toEqual(['x2'])
  })
})
