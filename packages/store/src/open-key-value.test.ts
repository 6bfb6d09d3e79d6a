import { describe, expect, it } from 'vitest'
import { openKeyValue } from './open-key-value.js'

describe('openKeyValue', () => {
  it.each([undefined, '', 'memory://'])('opens the in-process store for %j', async (url) => {
    const store = await openKeyValue(url, { prefix: 'app:' })
    expect(store.kind).toBe('memory')
    expect(store.url).toBe('memory://')
    expect(store.prefix).toBe('app:')
    await store.set('k', 'v')
    expect(await store.get('k')).toBe('v')
    await store.close()
  })

  it('refuses an unknown scheme, naming url and the allowed schemes', async () => {
    const error = await openKeyValue('mysql://x').catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ path: 'url' })] },
    })
    const message = (error as Error).message
    expect(message).toContain('url')
    expect(message).toContain('mysql:')
    for (const scheme of ['memory:', 'redis:', 'rediss:']) expect(message).toContain(scheme)
  })

  it('refuses a malformed URL, naming url and the allowed schemes', async () => {
    const error = await openKeyValue('not a url').catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ path: 'url' })] },
    })
    const message = (error as Error).message
    expect(message).toMatch(/^url: /)
    for (const scheme of ['memory:', 'redis:', 'rediss:']) expect(message).toContain(scheme)
  })

  it('masks a password in the URL it refuses', async () => {
    const error = await openKeyValue('mysql://user:hunter2@db/x').catch((caught: unknown) => caught)
    expect((error as Error).message).not.toContain('hunter2')
  })
})
