import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readMigrationJournal } from './migration-journal.js'

const FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url))

/** Applies the journal's migrations from `from` up to, not including, `to`, as drizzle would. */
async function migrate(pg: PGlite, tags: readonly string[], from: number, to: number) {
  for (const tag of tags.slice(from, to)) {
    const text = readFileSync(`${FOLDER}/${tag}.sql`, 'utf8')
    for (const statement of text.split('--> statement-breakpoint')) {
      if (statement.trim().length > 0) await pg.exec(statement)
    }
  }
}

describe('migration 0007: run_events → run_event_batches', () => {
  let pg: PGlite
  let tags: string[]
  const batchesAt = () => tags.indexOf('0007_run_event_batches')

  beforeAll(async () => {
    tags = readMigrationJournal(FOLDER)
    pg = await PGlite.create()
    await migrate(pg, tags, 0, batchesAt())
  })
  afterAll(() => pg.close())

  it("moves every run's events, in seq order, into one batch per run and drops run_events", async () => {
    await pg.exec(`
      insert into tenants (id, name) values ('acme', 'Acme'), ('beta', 'Beta');
      insert into runs (tenant_id, id, status, principal_id) values
        ('acme', 'r1', 'succeeded', 'u'), ('acme', 'r2', 'running', 'u'), ('beta', 'r1', 'failed', 'u');
      insert into run_events (tenant_id, run_id, seq, type, at, data) values
        ('acme', 'r1', 1, 'run.completed', '2026-01-02T03:04:06Z', '{"status":"succeeded"}'),
        ('acme', 'r1', 0, 'run.started', '2026-01-02T03:04:05Z', '{}'),
        ('beta', 'r1', 0, 'run.started', '2026-01-02T03:04:07Z', '{"n":1}');`)

    await migrate(pg, tags, batchesAt(), tags.length)

    const { rows } = await pg.query<{
      tenant_id: string
      run_id: string
      first_seq: number
      last_seq: number
      events: { seq: number; type: string; at: string; data: unknown }[]
    }>('select tenant_id, run_id, first_seq, last_seq, events from run_event_batches order by 1, 2')
    expect(
      rows.map((row) => ({
        ...row,
        events: row.events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      })),
    ).toEqual([
      {
        tenant_id: 'acme',
        run_id: 'r1',
        first_seq: 0,
        last_seq: 1,
        events: [
          { seq: 0, type: 'run.started', at: '2026-01-02T03:04:05.000Z', data: {} },
          {
            seq: 1,
            type: 'run.completed',
            at: '2026-01-02T03:04:06.000Z',
            data: { status: 'succeeded' },
          },
        ],
      },
      {
        tenant_id: 'beta',
        run_id: 'r1',
        first_seq: 0,
        last_seq: 0,
        events: [{ seq: 0, type: 'run.started', at: '2026-01-02T03:04:07.000Z', data: { n: 1 } }],
      },
    ])
    const { rows: left } = await pg.query<{ name: string | null }>(
      "select to_regclass('public.run_events')::text as name",
    )
    expect(left).toEqual([{ name: null }])
  })
})
