import { AsyncLocalStorage } from 'node:async_hooks'
import { SkillOSError } from '@skillos/contracts'
import type { BeginResult, RunStore } from '../persistence/index.js'

/** The accepted run that the engine call in this async context should start, instead of a new one. */
interface Claim {
  tenant: string
  runId: string
  expectedVersion: number
}

const claims = new AsyncLocalStorage<Claim>()

/**
 * A run store for the engine that can start a run accepted earlier (`submit`, status `queued`):
 * inside `withClaimedRun`, the engine's `begin` moves that stored run to `running` (checking its
 * version, so two workers never both start it) and hands it back as `started`, so the engine keeps
 * the run id the caller was given at 202. Everything else passes through unchanged.
 */
export function createClaimableRunStore(store: RunStore): RunStore {
  return {
    ...store,
    async begin(tenant, run): Promise<BeginResult> {
      const claim = claims.getStore()
      if (!claim || claim.tenant !== tenant) return store.begin(tenant, run)
      const started = await store.save(tenant, claim.runId, {
        expectedVersion: claim.expectedVersion,
        status: 'running',
      })
      return { kind: 'started', run: started }
    },
  }
}

/** Run `fn` (an engine `run`) so that it starts the stored run `runId` at `expectedVersion`. */
export function withClaimedRun<T>(claim: Claim, fn: () => Promise<T>): Promise<T> {
  if (!claim.runId) throw new SkillOSError({ code: 'INTERNAL', message: 'claim without a run id' })
  return claims.run(claim, fn)
}
