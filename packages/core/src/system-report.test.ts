import { resolveConfig } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { inspectSystem } from './system-report.js'

describe('inspectSystem', () => {
  it('reports the embedded adapters in use, with migrations applied', async () => {
    const report = await inspectSystem(
      resolveConfig({ env: { SKILLOS_DATABASE_URL: 'memory://' } }),
    )
    expect(report.ok).toBe(true)
    const [database, kv] = report.checks
    expect(database).toMatchObject({
      port: 'database',
      adapter: 'pglite (in memory)',
      url: 'memory://',
      ok: true,
    })
    expect(database?.detail).toMatch(/^migrations (\d+)\/\1 \(\d{4}_\w+\)$/)
    expect(kv).toMatchObject({
      port: 'key-value',
      adapter: 'memory (in-process)',
      url: 'memory://',
      ok: true,
    })
  })

  it('says which service is unreachable, with the masked URL, instead of throwing', async () => {
    const report = await inspectSystem(
      resolveConfig({
        env: {
          SKILLOS_DATABASE_URL: 'memory://',
          SKILLOS_REDIS_URL: 'redis://:hunter2@127.0.0.1:1',
        },
      }),
    )
    expect(report.ok).toBe(false)
    const kv = report.checks.find((c) => c.port === 'key-value')
    expect(kv?.ok).toBe(false)
    expect(kv?.error?.code).toBe('UNAVAILABLE')
    expect(kv?.error?.message).toContain('127.0.0.1:1')
    expect(JSON.stringify(report)).not.toContain('hunter2')
  })

  it('notes skill roots that do not exist', async () => {
    const report = await inspectSystem(
      resolveConfig({
        env: { SKILLOS_DATABASE_URL: 'memory://', SKILLOS_SKILLS: './src,./no-such-folder' },
      }),
      { cwd: new URL('..', import.meta.url).pathname },
    )
    expect(report.skillRoots).toEqual([
      { path: './src', exists: true },
      { path: './no-such-folder', exists: false },
    ])
  })
})
