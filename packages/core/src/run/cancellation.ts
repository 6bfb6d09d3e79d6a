const ignore = () => {}

/**
 * What stops a run when it is cancelled: an `AbortSignal`'s job, at a fraction of its cost. Node
 * takes about 2.5 µs to make an `AbortController`, and as much again to add and remove a listener,
 * and every run needs one (ADR 018). This is a flag and a list until it is aborted; an
 * `AbortSignal` is made only for code that reads `signal`.
 *
 * @example
 * ```ts
 * const cancellation = new Cancellation()
 * const stopListening = cancellation.onAbort(() => console.log('stop', cancellation.reason))
 * cancellation.abort('by ann') // logs "stop by ann", once
 * stopListening()
 * ```
 */
export class Cancellation {
  #aborted = false
  #reason: unknown
  #listeners: (() => void)[] | undefined
  #controller: AbortController | undefined

  get aborted(): boolean {
    return this.#aborted
  }

  /** What `abort` was given; `undefined` before. */
  get reason(): unknown {
    return this.#reason
  }

  /** Aborts once: later calls change nothing. Each listener is called once, in the order added. */
  abort(reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason
    this.#controller?.abort(reason)
    const listeners = this.#listeners
    this.#listeners = undefined
    for (const listener of listeners ?? []) listener()
  }

  /**
   * Calls `listener` once when this is aborted, or at once when it is already. Returns the function
   * that stops listening.
   */
  onAbort(listener: () => void): () => void {
    if (this.#aborted) {
      listener()
      return ignore
    }
    const listeners = (this.#listeners ??= [])
    listeners.push(listener)
    return () => {
      const at = listeners.indexOf(listener)
      if (at >= 0) listeners.splice(at, 1)
    }
  }

  /** An `AbortSignal` that is aborted with this, with the same reason; made when first read. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController()
      if (this.#aborted) this.#controller.abort(this.#reason)
    }
    return this.#controller.signal
  }

  /** Aborts this when `signal` aborts, with its reason. Returns the function that stops following. */
  follow(signal: AbortSignal): () => void {
    if (signal.aborted) {
      this.abort(signal.reason)
      return ignore
    }
    const listener = () => this.abort(signal.reason)
    signal.addEventListener('abort', listener, { once: true })
    return () => signal.removeEventListener('abort', listener)
  }
}

const following = new WeakMap<AbortSignal, Cancellation>()

/** The cancellation that follows a caller's `AbortSignal` (one per signal, however often asked). */
export function followSignal(signal: AbortSignal): Cancellation {
  let cancellation = following.get(signal)
  if (!cancellation) {
    cancellation = new Cancellation()
    cancellation.follow(signal)
    following.set(signal, cancellation)
  }
  return cancellation
}
