import { describe, expect, it } from 'vitest'
import { Cancellation, followSignal } from './cancellation.js'

describe('Cancellation', () => {
  it('calls each listener once, in order, with the first reason; later aborts change nothing', () => {
    const cancellation = new Cancellation()
    const heard: string[] = []
    cancellation.onAbort(() => heard.push(`a:${String(cancellation.reason)}`))
    cancellation.onAbort(() => heard.push(`b:${String(cancellation.reason)}`))
    expect(cancellation.aborted).toBe(false)
    cancellation.abort('first')
    cancellation.abort('second')
    expect(cancellation.aborted).toBe(true)
    expect(cancellation.reason).toBe('first')
    expect(heard).toEqual(['a:first', 'b:first'])
  })

  it('calls a listener added after the abort at once, and not one that stopped listening', () => {
    const cancellation = new Cancellation()
    let stopped = 0
    const stop = cancellation.onAbort(() => (stopped += 1))
    stop()
    stop()
    cancellation.abort('now')
    expect(stopped).toBe(0)
    let late = 0
    cancellation.onAbort(() => (late += 1))
    expect(late).toBe(1)
  })

  it('gives an AbortSignal that follows it, made before or after the abort', () => {
    const before = new Cancellation()
    const signal = before.signal
    expect(signal.aborted).toBe(false)
    before.abort('stop')
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toBe('stop')
    expect(before.signal).toBe(signal)

    const after = new Cancellation()
    after.abort('late')
    expect(after.signal.aborted).toBe(true)
    expect(after.signal.reason).toBe('late')
  })

  it('follows a caller’s signal until told to stop', () => {
    const controller = new AbortController()
    const following = new Cancellation()
    following.follow(controller.signal)
    const unfollowed = new Cancellation()
    unfollowed.follow(controller.signal)()
    controller.abort('caller')
    expect(following.reason).toBe('caller')
    expect(unfollowed.aborted).toBe(false)

    const already = new Cancellation()
    already.follow(AbortSignal.abort('done'))
    expect(already.reason).toBe('done')
  })

  it('makes one cancellation per followed signal', () => {
    const controller = new AbortController()
    const cancellation = followSignal(controller.signal)
    expect(followSignal(controller.signal)).toBe(cancellation)
    controller.abort('x')
    expect(cancellation.reason).toBe('x')
  })
})
