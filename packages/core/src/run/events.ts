import type { RunEvent } from '@skillos/contracts'

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** A run event as a step writes it: the run id, tenant, sequence number and time are filled in. */
export type RunEventInput = DistributiveOmit<
  RunEvent,
  'runId' | 'tenant' | 'seq' | 'at' | 'elapsedMs'
>

/** Where a step sends its events; the run's stream numbers and stamps them. */
export type EmitEvent = (event: RunEventInput) => void
