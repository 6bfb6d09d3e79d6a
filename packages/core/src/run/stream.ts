import type { RunEvent } from '@skillos/contracts'
import type { EmitEvent, RunEventInput } from './events.js'

/** Listens to every event of every run (logger, metrics, webhooks). */
export type RunEventListener = (event: RunEvent) => void

/**
 * The event stream of one run: numbers and stamps each event, keeps the trace, and hands each event
 * to the system's listeners. `pending()` returns the events not yet persisted.
 */
export interface RunStream {
  readonly runId: string
  readonly tenant: string
  emit: EmitEvent
  /** Every event of the run so far (including earlier sessions of a resumed run). */
  readonly trace: RunEvent[]
  /** Events emitted since the last `markPersisted()`. */
  pending(): RunEvent[]
  markPersisted(): void
}

export function createRunStream(options: {
  runId: string
  tenant: string
  listeners: ReadonlySet<RunEventListener>
  /** Events of earlier sessions (a resumed run): numbering continues after them. */
  previous?: readonly RunEvent[]
  startedAt?: number
  now?: () => number
}): RunStream {
  const now = options.now ?? Date.now
  const startedAt = options.startedAt ?? now()
  const trace: RunEvent[] = [...(options.previous ?? [])]
  let persisted = trace.length
  const emit: EmitEvent = (input: RunEventInput) => {
    const at = now()
    const event = {
      ...input,
      runId: options.runId,
      tenant: options.tenant,
      seq: trace.length,
      at: new Date(at).toISOString(),
      elapsedMs: Math.max(0, at - startedAt),
    } as RunEvent
    trace.push(event)
    for (const listener of options.listeners) {
      try {
        listener(event)
      } catch {
        // A broken listener must not break the run.
      }
    }
  }
  return {
    runId: options.runId,
    tenant: options.tenant,
    emit,
    trace,
    pending: () => trace.slice(persisted),
    markPersisted() {
      persisted = trace.length
    },
  }
}
