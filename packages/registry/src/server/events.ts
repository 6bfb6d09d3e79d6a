import { registryEvents, type Database } from '@skillos/store'
import type { Executor } from './context.js'
import type { TenantFilters } from './filters.js'

/** Every kind of event the registry records; the subject is a skill id, a scope or a token id. */
export type RegistryEventType =
  | 'token.created'
  | 'token.revoked'
  | 'scope.created'
  | 'scope.updated'
  | 'member.set'
  | 'member.removed'
  | 'skill.published'
  | 'skill.mirrored'
  | 'dist-tag.set'
  | 'dist-tag.removed'
  | 'skill.deprecated'
  | 'skill.undeprecated'
  | 'skill.unpublished'

/**
 * The tenant's event log (`registry_events`). Every write records an event in its own transaction;
 * the search index of every instance catches up by reading the events after the last one it saw.
 */
export interface EventLog {
  record(
    executor: Executor,
    type: RegistryEventType,
    actor: string,
    subject: string,
    data?: Record<string, unknown>,
  ): Promise<void>
  /** The events after `seq`, oldest first. */
  readAfter(seq: number): Promise<{ seq: number; type: string; subject: string }[]>
}

/** The event log of `tenant` over `db`. */
export function createEventLog(tenant: string, db: Database['db'], where: TenantFilters): EventLog {
  return {
    async record(executor, type, actor, subject, data = {}) {
      await executor.insert(registryEvents).values({ tenantId: tenant, type, actor, subject, data })
    },
    async readAfter(seq) {
      return db
        .select({
          seq: registryEvents.seq,
          type: registryEvents.type,
          subject: registryEvents.subject,
        })
        .from(registryEvents)
        .where(where.eventsAfter(seq))
        .orderBy(registryEvents.seq)
    },
  }
}
