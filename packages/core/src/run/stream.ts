import type { RunEvent } from '@skillos/contracts'
import type { NewStoredEvent } from '../persistence/index.js'
import type { EmitEvent, RunEventInput } from './events.js'

/** Listens to every event of every run (logger, metrics, webhooks). */
export type RunEventListener = (event: RunEvent) => void

/**
 * The event stream of one run: numbers and stamps each event, keeps the trace, and hands each event
 * to the system's listeners. `pending()` returns the events not yet persisted.
 *
 * `emit` takes ownership of the object it is given: it adds the envelope (run id, tenant, seq, time)
 * to it and keeps it as the trace's event, so a caller passes a fresh object and does not touch it
 * afterwards. (Copying each event cost more than the rest of emitting it: ADR 016.)
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
    const event = input as RunEventInput & Envelope
    event.runId = options.runId
    event.tenant = options.tenant
    event.seq = trace.length
    event.at = isoTime(at)
    event.elapsedMs = Math.max(0, at - startedAt)
    trace.push(event as RunEvent)
    for (const listener of options.listeners) {
      try {
        listener(event as RunEvent)
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

type Envelope = Pick<RunEvent, 'runId' | 'tenant' | 'seq' | 'at' | 'elapsedMs'>

/** Envelope fields of a run event: what the stored trace keeps apart from each event's data. */
const ENVELOPE = new Set<string>(['runId', 'tenant', 'seq', 'at', 'type'])

/**
 * An event as the run store keeps it: `seq`, `type`, `at` (the ISO text the event carries) and its
 * data — every other field, `elapsedMs` included.
 */
export function storedEventOf(event: RunEvent): NewStoredEvent & { at: string } {
  const data: Record<string, unknown> = {}
  for (const key in event) {
    if (!ENVELOPE.has(key)) data[key] = (event as unknown as Record<string, unknown>)[key]
  }
  return { seq: event.seq, type: event.type, at: event.at, data }
}

// Events of concurrent runs land in the same millisecond: one ISO text per millisecond serves them.
let isoMs = Number.NaN
let isoText = ''
function isoTime(ms: number): string {
  if (ms !== isoMs) {
    isoText = new Date(ms).toISOString()
    isoMs = ms
  }
  return isoText
}
