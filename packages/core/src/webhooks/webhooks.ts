import { randomBytes } from 'node:crypto'
import { ValidationError, type RunEvent } from '@skillos/contracts'
import { tenants, webhookDeliveries, webhookSubscriptions, type Database } from '@skillos/store'
import { and, desc, eq, sql } from 'drizzle-orm'
import { newId } from '../run/engine.js'
import type { RunEventListener } from '../run/stream.js'
import {
  guardedLookup,
  internalUrlReason,
  postWebhook,
  RefusedDestination,
  refusedDestination,
  resolveHost,
  type ResolveHost,
} from './destination.js'
import { WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, signWebhook } from './signature.js'

/** A subscription as the API shows it (never with its secret). */
export interface WebhookSubscription {
  id: string
  url: string
  events: string[]
  status: 'active' | 'disabled'
  consecutiveFailures: number
  disabledReason?: string
  createdBy: string
  createdAt: Date
  updatedAt: Date
}

/** One entry of the delivery log. */
export interface WebhookDelivery {
  id: string
  subscriptionId: string
  eventType: string
  runId?: string
  status: 'pending' | 'succeeded' | 'failed'
  attempts: number
  nextAttemptAt: Date
  lastStatusCode?: number
  lastError?: string
  createdAt: Date
  deliveredAt?: Date
}

export interface CreateWebhooksOptions {
  database: Database
  /** Attempts per delivery before it is `failed` (default 8). */
  maxAttempts?: number
  /** Per attempt (default 5 s). */
  timeoutMs?: number
  /** Failed attempts in a row after which a subscription is disabled (default 20). */
  disableAfterFailures?: number
  /** First retry delay; doubles each attempt up to an hour (default 1 s). */
  backoffMs?: number
  /** How often the outbox is swept for due deliveries (default 500 ms). */
  pollMs?: number
  /** Deliveries sent at once (default 8). */
  concurrency?: number
  /**
   * Send to loopback, private, link-local, unique-local and cloud metadata addresses (default
   * false: such URLs are refused at subscribe time, and a host resolving to one is not delivered
   * to). For local development and tests.
   */
  allowPrivateNetworks?: boolean
  /**
   * How a delivery's host is resolved (default `dns.promises.lookup`). The connection uses the
   * addresses that were checked, so a name cannot point elsewhere between check and connect.
   */
  resolveHost?: ResolveHost
  /**
   * Send through this instead of the built-in sender (tests). Only the check before sending then
   * guards the destination: the built-in sender also pins the connection to the checked addresses.
   */
  fetch?: typeof fetch
  now?: () => number
  onError?: (error: unknown) => void
}

/** Webhooks: tenant-scoped subscriptions, a durable outbox of deliveries, and the sender. */
export interface Webhooks {
  subscribe(
    tenant: string,
    input: { url: string; events: string[]; createdBy: string },
  ): Promise<{ subscription: WebhookSubscription; secret: string }>
  list(tenant: string): Promise<WebhookSubscription[]>
  get(tenant: string, id: string): Promise<WebhookSubscription | undefined>
  /** Delete a subscription and its log; false when there is none. */
  remove(tenant: string, id: string): Promise<boolean>
  /** Re-enable a disabled subscription (its failure count starts again). */
  enable(tenant: string, id: string): Promise<WebhookSubscription | undefined>
  /** The delivery log of a subscription, newest first. */
  deliveries(tenant: string, subscriptionId: string, limit?: number): Promise<WebhookDelivery[]>
  /** Feed run events in (`os.on(webhooks.listener)`). */
  readonly listener: RunEventListener
  /** Wait until every event received so far is in the outbox. */
  flush(): Promise<void>
  start(): void
  /** Stop sending; waits for attempts in flight. Pending deliveries stay in the outbox. */
  stop(): Promise<void>
}

const MAX_BACKOFF_MS = 3_600_000
const SUBSCRIPTION_CACHE_MS = 2000

/**
 * Create the webhook system. Every run event of a tenant with a matching active subscription becomes a
 * row of `webhook_deliveries` (the outbox and the delivery log); the sender POSTs it with a
 * `skillos-signature: t=…,v1=…` HMAC-SHA256 over `"<t>.<body>"`, retries failures with exponential
 * backoff, and disables a subscription after `disableAfterFailures` failed attempts in a row. Rows
 * are claimed with a lease, so several instances can share the outbox.
 *
 * @example
 * ```ts
 * const webhooks = createWebhooks({ database })
 * os.on(webhooks.listener)
 * webhooks.start()
 * const { subscription, secret } = await webhooks.subscribe('acme', {
 *   url: 'https://example.com/hooks', events: ['run.completed'], createdBy: 'ann',
 * })
 * ```
 */
export function createWebhooks(options: CreateWebhooksOptions): Webhooks {
  const { database } = options
  const db = database.db
  const now = options.now ?? Date.now
  const maxAttempts = options.maxAttempts ?? 8
  const timeoutMs = options.timeoutMs ?? 5000
  const disableAfter = options.disableAfterFailures ?? 20
  const backoffMs = options.backoffMs ?? 1000
  const pollMs = options.pollMs ?? 500
  const concurrency = options.concurrency ?? 8
  const allowPrivate = options.allowPrivateNetworks ?? false
  const resolve = options.resolveHost ?? resolveHost
  const lookup = guardedLookup(resolve, allowPrivate)
  const onError = options.onError ?? (() => undefined)
  /** Active subscriptions per tenant, for a short while: most events match none and cost nothing. */
  const cache = new Map<
    string,
    { at: number; subs?: { id: string; events: string[] }[]; loading?: Promise<unknown> }
  >()
  const writes = new Set<Promise<void>>()
  const sending = new Set<Promise<void>>()
  let timer: NodeJS.Timeout | undefined
  let running = false
  let sweeping = false

  const forget = (tenant: string) => cache.delete(tenant)

  async function activeSubscriptions(tenant: string): Promise<{ id: string; events: string[] }[]> {
    const hit = cache.get(tenant)
    if (hit?.subs && now() - hit.at < SUBSCRIPTION_CACHE_MS) return hit.subs
    if (hit?.loading) {
      await hit.loading
      return activeSubscriptions(tenant)
    }
    const entry: {
      at: number
      subs?: { id: string; events: string[] }[]
      loading?: Promise<unknown>
    } = { at: now() }
    const loading = db
      .select({ id: webhookSubscriptions.id, events: webhookSubscriptions.events })
      .from(webhookSubscriptions)
      .where(
        and(eq(webhookSubscriptions.tenantId, tenant), eq(webhookSubscriptions.status, 'active')),
      )
    entry.loading = loading
    cache.set(tenant, entry)
    try {
      entry.subs = await loading
      entry.at = now()
      return entry.subs
    } catch (error) {
      if (cache.get(tenant) === entry) cache.delete(tenant)
      throw error
    } finally {
      delete entry.loading
    }
  }

  const matching = (subs: { id: string; events: string[] }[], type: string) =>
    subs.filter((s) => s.events.includes('*') || s.events.includes(type))

  async function enqueue(event: RunEvent): Promise<void> {
    const subs = matching(await activeSubscriptions(event.tenant), event.type)
    if (subs.length === 0) return
    const at = new Date(now())
    await db.insert(webhookDeliveries).values(
      subs.map((sub) => ({
        tenantId: event.tenant,
        id: newId('whd', at.getTime()),
        subscriptionId: sub.id,
        eventType: event.type,
        runId: event.runId,
        payload: { type: event.type, tenant: event.tenant, runId: event.runId, event },
        nextAttemptAt: at,
        createdAt: at,
      })),
    )
    kick()
  }

  const listener: RunEventListener = (event) => {
    // The common case — a known tenant whose subscriptions match nothing — stays synchronous.
    const hit = cache.get(event.tenant)
    if (
      hit?.subs &&
      now() - hit.at < SUBSCRIPTION_CACHE_MS &&
      matching(hit.subs, event.type).length === 0
    )
      return
    const write = enqueue(event).catch(onError)
    writes.add(write)
    void write.finally(() => writes.delete(write))
  }

  function kick() {
    if (running && !sweeping) void sweep()
  }

  async function sweep(): Promise<void> {
    if (sweeping || !running) return
    sweeping = true
    try {
      for (;;) {
        const room = concurrency - sending.size
        if (room <= 0 || !running) break
        const due = await claimDue(room)
        if (due.length === 0) break
        for (const delivery of due) {
          const attempt = deliver(delivery).catch(onError)
          sending.add(attempt)
          void attempt.finally(() => {
            sending.delete(attempt)
            kick()
          })
        }
      }
    } catch (error) {
      onError(error)
    } finally {
      sweeping = false
    }
  }

  interface DueDelivery {
    tenant_id: string
    id: string
    subscription_id: string
    event_type: string
    payload: unknown
    attempts: number
    created_at: string | Date
    url: string
    secret: string
  }

  async function claimDue(limit: number): Promise<DueDelivery[]> {
    const at = new Date(now())
    const until = new Date(at.getTime() + timeoutMs * 2 + 1000)
    const result = await db.execute(sql`
      with due as (
        select d.tenant_id, d.id from ${webhookDeliveries} d
        join ${webhookSubscriptions} s on s.tenant_id = d.tenant_id and s.id = d.subscription_id
        where d.status = 'pending' and s.status = 'active'
          and d.next_attempt_at <= ${at.toISOString()}::timestamptz
          and (d.claimed_until is null or d.claimed_until < ${at.toISOString()}::timestamptz)
        order by d.next_attempt_at
        limit ${limit}
        for update of d skip locked
      ), claimed as (
        update ${webhookDeliveries} d set claimed_until = ${until.toISOString()}::timestamptz
        from due where d.tenant_id = due.tenant_id and d.id = due.id
        returning d.*
      )
      select c.tenant_id, c.id, c.subscription_id, c.event_type, c.payload, c.attempts, c.created_at,
        s.url, s.secret
      from claimed c join ${webhookSubscriptions} s
        on s.tenant_id = c.tenant_id and s.id = c.subscription_id`)
    return rowsOf<DueDelivery>(result)
  }

  async function deliver(d: DueDelivery): Promise<void> {
    const payload = typeof d.payload === 'string' ? JSON.parse(d.payload) : d.payload
    const body = JSON.stringify({
      id: d.id,
      createdAt: new Date(d.created_at).toISOString(),
      ...(payload as Record<string, unknown>),
    })
    const timestamp = Math.floor(now() / 1000)
    let status: number | undefined
    let failure: string | undefined
    try {
      // Checked again at each attempt, after DNS: a name may point inside later than it did. The
      // built-in sender checks a name's addresses as it connects to them (`guardedLookup`).
      const url = new URL(d.url)
      const refused = allowPrivate
        ? undefined
        : options.fetch
          ? await refusedDestination(url, resolve)
          : internalUrlReason(url)
      if (refused) throw new RefusedDestination(refused)
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'SkillOS-Webhooks/1',
        [WEBHOOK_ID_HEADER]: d.id,
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(d.secret, body, timestamp),
      }
      if (options.fetch) {
        const response = await options.fetch(d.url, {
          method: 'POST',
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        })
        status = response.status
        await response.body?.cancel().catch(() => undefined)
      } else {
        status = await postWebhook(d.url, { headers, body, timeoutMs, lookup })
      }
      if (status < 200 || status >= 300) failure = `HTTP ${status}`
    } catch (error) {
      failure =
        error instanceof RefusedDestination
          ? error.message
          : isTimeout(error)
            ? `no answer within ${timeoutMs} ms`
            : `request failed: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`
    }
    const attempts = d.attempts + 1
    const at = new Date(now())
    const byId = and(eq(webhookDeliveries.tenantId, d.tenant_id), eq(webhookDeliveries.id, d.id))
    const bySub = and(
      eq(webhookSubscriptions.tenantId, d.tenant_id),
      eq(webhookSubscriptions.id, d.subscription_id),
    )
    await database.transaction(async (tx) => {
      if (failure === undefined) {
        await tx
          .update(webhookDeliveries)
          .set({
            status: 'succeeded',
            attempts,
            lastStatusCode: status ?? null,
            lastError: null,
            deliveredAt: at,
            claimedUntil: null,
          })
          .where(byId)
        await tx
          .update(webhookSubscriptions)
          .set({ consecutiveFailures: 0 })
          .where(and(bySub, sql`${webhookSubscriptions.consecutiveFailures} <> 0`))
        return
      }
      const delay = Math.min(backoffMs * 2 ** (attempts - 1), MAX_BACKOFF_MS)
      const jitter = Math.floor(Math.random() * Math.min(delay / 4, 1000))
      await tx
        .update(webhookDeliveries)
        .set({
          status: attempts >= maxAttempts ? 'failed' : 'pending',
          attempts,
          lastStatusCode: status ?? null,
          lastError: failure.slice(0, 500),
          nextAttemptAt: new Date(at.getTime() + delay + jitter),
          claimedUntil: null,
        })
        .where(byId)
      await tx
        .update(webhookSubscriptions)
        .set({
          consecutiveFailures: sql`${webhookSubscriptions.consecutiveFailures} + 1`,
          status: sql`case when ${webhookSubscriptions.consecutiveFailures} + 1 >= ${disableAfter} then 'disabled' else ${webhookSubscriptions.status} end`,
          disabledReason: sql`case when ${webhookSubscriptions.consecutiveFailures} + 1 >= ${disableAfter} then ${`disabled after ${disableAfter} failed attempts in a row (last: ${failure.slice(0, 200)})`} else ${webhookSubscriptions.disabledReason} end`,
          updatedAt: at,
        })
        .where(bySub)
    })
    if (failure !== undefined) forget(d.tenant_id)
  }

  return {
    async subscribe(tenant, input) {
      const url = checkUrl(input.url, allowPrivate)
      if (input.events.length === 0)
        throw new ValidationError('events: name at least one event type (or "*")', [
          { path: 'events', message: 'must name at least one event type' },
        ])
      const secret = `whsec_${randomBytes(24).toString('base64url')}`
      const at = new Date(now())
      await db.insert(tenants).values({ id: tenant, name: tenant }).onConflictDoNothing()
      const [row] = await db
        .insert(webhookSubscriptions)
        .values({
          tenantId: tenant,
          id: newId('whk', at.getTime()),
          url,
          events: [...new Set(input.events)],
          secret,
          createdBy: input.createdBy,
          createdAt: at,
          updatedAt: at,
        })
        .returning()
      forget(tenant)
      return { subscription: toSubscription(row!), secret }
    },
    async list(tenant) {
      const rows = await db
        .select()
        .from(webhookSubscriptions)
        .where(eq(webhookSubscriptions.tenantId, tenant))
        .orderBy(webhookSubscriptions.createdAt)
      return rows.map(toSubscription)
    },
    async get(tenant, id) {
      const [row] = await db
        .select()
        .from(webhookSubscriptions)
        .where(and(eq(webhookSubscriptions.tenantId, tenant), eq(webhookSubscriptions.id, id)))
      return row ? toSubscription(row) : undefined
    },
    async remove(tenant, id) {
      const rows = await db
        .delete(webhookSubscriptions)
        .where(and(eq(webhookSubscriptions.tenantId, tenant), eq(webhookSubscriptions.id, id)))
        .returning({ id: webhookSubscriptions.id })
      forget(tenant)
      return rows.length > 0
    },
    async enable(tenant, id) {
      const [row] = await db
        .update(webhookSubscriptions)
        .set({
          status: 'active',
          consecutiveFailures: 0,
          disabledReason: null,
          updatedAt: new Date(now()),
        })
        .where(and(eq(webhookSubscriptions.tenantId, tenant), eq(webhookSubscriptions.id, id)))
        .returning()
      forget(tenant)
      kick()
      return row ? toSubscription(row) : undefined
    },
    async deliveries(tenant, subscriptionId, limit = 100) {
      const rows = await db
        .select()
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.tenantId, tenant),
            eq(webhookDeliveries.subscriptionId, subscriptionId),
          ),
        )
        .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
        .limit(Math.min(Math.max(limit, 1), 1000))
      return rows.map(toDelivery)
    },
    listener,
    async flush() {
      while (writes.size > 0) await Promise.allSettled([...writes])
    },
    start() {
      if (running) return
      running = true
      const tick = () => {
        if (!running) return
        void sweep().finally(() => {
          if (running) timer = setTimeout(tick, pollMs).unref()
        })
      }
      tick()
    },
    async stop() {
      running = false
      clearTimeout(timer)
      while (writes.size > 0) await Promise.allSettled([...writes])
      while (sending.size > 0) await Promise.allSettled([...sending])
    },
  }
}

/** A timeout, from fetch (`TimeoutError`) or from a request its signal aborted (cause `TimeoutError`). */
function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  return (
    error.name === 'TimeoutError' || (error.cause as Error | undefined)?.name === 'TimeoutError'
  )
}

/**
 * Only http(s) URLs without credentials (SkillOS never sends secrets in a URL), and — unless
 * private networks are allowed — not at an internal address on its face.
 */
function checkUrl(raw: string, allowPrivate: boolean): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ValidationError(`url: "${raw.slice(0, 200)}" is not a valid URL`, [
      { path: 'url', message: 'must be an absolute http(s) URL' },
    ])
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ValidationError(`url: scheme ${url.protocol} is not allowed (http or https)`, [
      { path: 'url', message: 'must be an absolute http(s) URL' },
    ])
  if (url.username || url.password)
    throw new ValidationError('url: must not contain credentials', [
      { path: 'url', message: 'must not contain credentials' },
    ])
  const internal = allowPrivate ? undefined : internalUrlReason(url)
  if (internal)
    throw new ValidationError(`url: ${internal}; webhooks are not sent to internal networks`, [
      {
        path: 'url',
        message: `must not point at a loopback, private, link-local, unique-local or cloud metadata address (${internal})`,
      },
    ])
  return url.toString()
}

function toSubscription(row: typeof webhookSubscriptions.$inferSelect): WebhookSubscription {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    status: row.status,
    consecutiveFailures: row.consecutiveFailures,
    ...(row.disabledReason ? { disabledReason: row.disabledReason } : {}),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

function toDelivery(row: typeof webhookDeliveries.$inferSelect): WebhookDelivery {
  return {
    id: row.id,
    subscriptionId: row.subscriptionId,
    eventType: row.eventType,
    ...(row.runId ? { runId: row.runId } : {}),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    ...(row.lastStatusCode !== null ? { lastStatusCode: row.lastStatusCode } : {}),
    ...(row.lastError ? { lastError: row.lastError } : {}),
    createdAt: row.createdAt,
    ...(row.deliveredAt ? { deliveredAt: row.deliveredAt } : {}),
  }
}

function rowsOf<Row>(result: unknown): Row[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Row[]
}
