import type { Database } from '@skillos/store'
import type { SQL } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { createLedgerWriter, type LedgerRow } from './ledger-writer.js'

/** A database whose only use here, `execute(insert … json_to_recordset($1))`, records each batch. */
function recordingDatabase(options: { failWhen?: (rows: { id: string }[]) => boolean } = {}) {
  const batches: { id: string }[][] = []
  let release: (() => void) | null = null
  let gate: Promise<void> | null = null
  const database = {
    db: {
      execute: async (query: SQL) => {
        if (gate) await gate
        const payload = query.queryChunks.find((chunk) => typeof chunk === 'string') as string
        const rows = JSON.parse(payload) as { id: string }[]
        if (options.failWhen?.(rows)) throw new Error('insert failed')
        batches.push(rows)
      },
    },
  } as unknown as Database
  return {
    database,
    batches,
    hold() {
      gate = new Promise((resolve) => (release = resolve))
    },
    open() {
      gate = null
      release?.()
    },
  }
}

const row = (id: string): LedgerRow => ({
  tenantId: 'acme',
  id,
  kind: 'model',
  costMicros: 1,
  chargeKey: id,
})

describe('createLedgerWriter (group commit)', () => {
  it('writes the appends of one moment in one batch, and resolves each only after its batch', async () => {
    const recording = recordingDatabase()
    const writer = createLedgerWriter(recording.database)
    const done: string[] = []
    const appends = ['a', 'b', 'c'].map((id) => writer.append(row(id)).then(() => done.push(id)))
    expect(done).toEqual([])
    await Promise.all(appends)
    expect(recording.batches.map((batch) => batch.map((r) => r.id))).toEqual([['a', 'b', 'c']])
    expect(done).toEqual(['a', 'b', 'c'])
  })

  it('keeps one batch in flight and collects the next meanwhile', async () => {
    const recording = recordingDatabase()
    const writer = createLedgerWriter(recording.database)
    recording.hold()
    const first = writer.append(row('a'))
    await new Promise((resolve) => setImmediate(resolve))
    const later = ['b', 'c', 'd'].map((id) => writer.append(row(id)))
    expect(writer.pending).toBe(4)
    recording.open()
    await Promise.all([first, ...later])
    expect(recording.batches.map((batch) => batch.map((r) => r.id))).toEqual([
      ['a'],
      ['b', 'c', 'd'],
    ])
    expect(writer.pending).toBe(0)
  })

  it('splits a queue longer than maxBatch', async () => {
    const recording = recordingDatabase()
    const writer = createLedgerWriter(recording.database, { maxBatch: 2 })
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => writer.append(row(id))))
    expect(recording.batches.map((batch) => batch.length)).toEqual([2, 2, 1])
  })

  it('fails only the row that cannot be written when a batch fails', async () => {
    const recording = recordingDatabase({ failWhen: (rows) => rows.some((r) => r.id === 'bad') })
    const writer = createLedgerWriter(recording.database)
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((id) => writer.append(row(id))))
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(recording.batches.flat().map((r) => r.id)).toEqual(['a', 'c'])
  })

  it('drains: resolves once everything appended so far is written', async () => {
    const recording = recordingDatabase()
    const writer = createLedgerWriter(recording.database)
    void writer.append(row('a'))
    void writer.append(row('b'))
    await writer.drain()
    expect(recording.batches.flat()).toHaveLength(2)
    await expect(writer.drain()).resolves.toBeUndefined()
  })
})
