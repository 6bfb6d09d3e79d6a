import { SkillOSError } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { captureSkillError, closedPort, createMemoryStorage, startTestServer } from './testing.js'

describe('@skillos/sdk/testing', () => {
  it('captureSkillError returns the SkillOSError and fails on anything else', async () => {
    const error = await captureSkillError(
      Promise.reject(new SkillOSError({ code: 'VALIDATION_FAILED', message: 'amount: negative' })),
    )
    expect(error.code).toBe('VALIDATION_FAILED')
    await expect(captureSkillError(Promise.resolve(1))).rejects.toThrow(/resolved with 1/)
    await expect(captureSkillError(() => Promise.reject(new Error('plain')))).rejects.toThrow(
      /got Error: plain/,
    )
  })

  it('startTestServer answers on 127.0.0.1 and closedPort refuses connections', async () => {
    const server = await startTestServer((_req, res) => res.end('{"ok":true}'))
    expect(await (await fetch(`${server.url}/x`)).json()).toEqual({ ok: true })
    await server.close()
    const port = await closedPort()
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow()
  })

  it('createMemoryStorage round-trips JSON and lists by prefix', async () => {
    const storage = createMemoryStorage()
    await storage.set('a/2', { n: 2 })
    await storage.set('a/1', { n: 1 })
    await storage.set('b/1', 'x')
    expect(await storage.list('a/')).toEqual([
      { key: 'a/1', value: { n: 1 } },
      { key: 'a/2', value: { n: 2 } },
    ])
    expect(await storage.delete('b/1')).toBe(true)
    expect(await storage.get('b/1')).toBeUndefined()
  })
})
