import { readFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import type { QueryOptions, Results } from '@electric-sql/pglite'

/**
 * Embedded PGlite in a worker thread. PGlite is PostgreSQL compiled to WebAssembly: every statement
 * runs on the thread that owns it. In the caller's thread it blocked the event loop for as long as
 * each query ran — about half of an embedded run's CPU was the INSERT that stored it — so HTTP
 * requests and other runs waited behind the database. Here it owns a thread of its own and the
 * caller's thread only posts statements and receives rows (ADR 014).
 *
 * The handle offers what drizzle's PGlite driver calls — `query`, `exec`, `transaction` — with
 * PGlite's semantics: one session, statements in the order they were sent, a transaction holding
 * the session until it ends (it is held open in the worker until this side says commit or roll back).
 */
export interface PgliteThreadOptions {
  dataDir?: string
  /** A `dumpDataDir` archive to start from. */
  loadDataDir?: Blob
  /** PostgreSQL's command line (PGlite's `startParams`). */
  startParams?: string[]
}

interface Answer {
  id: number
  ok: boolean
  value?: unknown
  error?: Record<string, unknown> & { name: string; message: string; stack?: string }
}

interface Pending {
  resolve(value: unknown): void
  reject(error: unknown): void
}

export interface PgliteThreadTransaction {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>
  exec(sql: string): Promise<Results[]>
  rollback(): Promise<void>
  readonly closed: boolean
}

const WORKER_URL = new URL('../worker/pglite-worker.mjs', import.meta.url)

/** The one WebAssembly call made here; the ES library this project compiles against lacks it. */
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<object> }

/**
 * The engine compiled once per process and handed to every worker (a compiled module can be posted
 * to a thread), so opening another embedded database does not compile its 9 MB of WebAssembly again.
 */
let engine: Promise<object> | undefined
function compiledEngine(): Promise<object> {
  engine ??= (async () => {
    const wasm = new URL('./pglite.wasm', import.meta.resolve('@electric-sql/pglite'))
    return WebAssembly.compile(readFileSync(wasm))
  })()
  engine.catch(() => (engine = undefined))
  return engine
}

export class PgliteThread {
  readonly #worker: Worker
  readonly #pending = new Map<number, Pending>()
  #nextId = 1
  #failure: Error | undefined
  #closed = false
  #closing: Promise<void> | undefined
  #terminated = false

  private constructor(worker: Worker) {
    this.#worker = worker
    // The thread keeps the process alive only while this side waits for an answer.
    worker.unref()
    worker.on('message', (answer: Answer) => this.#settle(answer))
    worker.on('error', (error) => this.#fail(error))
    worker.on('exit', (code) => {
      this.#fail(new Error(`the PGlite worker thread exited (code ${code})`))
    })
  }

  static async open(options: PgliteThreadOptions): Promise<PgliteThread> {
    const [module, archive] = await Promise.all([
      compiledEngine(),
      options.loadDataDir?.arrayBuffer(),
    ])
    const thread = new PgliteThread(new Worker(WORKER_URL))
    try {
      await thread.#call(
        {
          op: 'open',
          dataDir: options.dataDir,
          loadDataDir: archive,
          startParams: options.startParams,
          pgliteWasmModule: module,
        },
        archive ? [archive] : [],
      )
    } catch (error) {
      await thread.#worker.terminate()
      throw error
    }
    return thread
  }

  get closed(): boolean {
    return this.#closed
  }

  async query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return (await this.#call({ op: 'query', sql, params, ...queryOptions(options) })) as Results<T>
  }

  async exec(sql: string): Promise<Results[]> {
    return (await this.#call({ op: 'exec', sql })) as Results[]
  }

  /** Committed when `fn` resolves, rolled back when it throws; other statements wait meanwhile. */
  async transaction<T>(fn: (tx: PgliteThreadTransaction) => Promise<T>): Promise<T> {
    const id = (await this.#call({ op: 'begin' })) as number
    let ended = false
    const tx: PgliteThreadTransaction = {
      query: async <R>(sql: string, params?: unknown[], options?: QueryOptions) => {
        if (ended) throw new Error('the transaction has ended')
        const message = { op: 'query', tx: id, sql, params, ...queryOptions(options) }
        return (await this.#call(message)) as Results<R>
      },
      exec: async (sql: string) => {
        if (ended) throw new Error('the transaction has ended')
        return (await this.#call({ op: 'exec', tx: id, sql })) as Results[]
      },
      rollback: () => Promise.reject(new Error('rollback')),
      get closed() {
        return ended
      },
    }
    let result: T
    try {
      result = await fn(tx)
    } catch (error) {
      ended = true
      await this.#call({ op: 'end', tx: id, commit: false }).catch(() => {})
      throw error
    }
    ended = true
    await this.#call({ op: 'end', tx: id, commit: true })
    return result
  }

  /** The data folder as an archive (`loadDataDir` of a later open starts from it). */
  async dumpDataDir(compression: 'gzip' | 'none' = 'gzip'): Promise<Blob> {
    const bytes = (await this.#call({ op: 'dump', compression })) as ArrayBuffer
    return new Blob([bytes], { type: compression === 'gzip' ? 'application/x-gzip' : '' })
  }

  /**
   * Close once: calls made from now on are refused, calls sent before finish first (the worker
   * answers in order), and anything still unanswered when the thread ends is rejected.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const last = this.#failure ? undefined : this.#send({ op: 'close' })
      this.#closed = true
      try {
        await last
      } finally {
        this.#terminated = true
        await this.#worker.terminate()
        this.#rejectPending(new Error('the database was closed before it answered'))
      }
    })()
    return this.#closing
  }

  #call(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure)
    // While closing, a transaction opened before still finishes (the worker's close waits for it);
    // nothing new starts.
    if (this.#terminated || (this.#closed && message.tx === undefined))
      return Promise.reject(new Error('the database is closed'))
    return this.#send(message, transfer)
  }

  #send(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      // Posted first: a message that cannot be copied (a function among the parameters) throws
      // here and leaves nothing pending that would keep the thread, and the process, alive.
      this.#worker.postMessage({ ...message, id }, transfer)
      if (this.#pending.size === 0) this.#worker.ref()
      this.#pending.set(id, { resolve, reject })
    })
  }

  #rejectPending(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error)
    this.#pending.clear()
    this.#worker.unref()
  }

  #settle(answer: Answer): void {
    const pending = this.#pending.get(answer.id)
    if (!pending) return
    this.#pending.delete(answer.id)
    if (this.#pending.size === 0) this.#worker.unref()
    if (answer.ok) pending.resolve(answer.value)
    else pending.reject(rebuildError(answer.error!))
  }

  #fail(error: Error): void {
    this.#failure ??= error
    this.#rejectPending(this.#failure)
  }
}

/** Parsers are functions and cannot cross threads: only "keep this type as text" can. */
function queryOptions(options: QueryOptions | undefined): Record<string, unknown> {
  if (!options) return {}
  const { rowMode, parsers, ...rest } = options
  const unsupported = Object.keys(rest).filter(
    (key) => (rest as Record<string, unknown>)[key] !== undefined,
  )
  if (unsupported.length > 0) {
    throw new Error(`PGlite in a worker thread does not take ${unsupported.join(', ')}`)
  }
  const oids = parsers ? Object.keys(parsers).map(Number) : undefined
  if (
    parsers &&
    Object.values(parsers).some((parse) => parse('\u0000probe', 0) !== '\u0000probe')
  ) {
    throw new Error('PGlite in a worker thread takes only parsers that keep a value as text')
  }
  return { ...(rowMode ? { rowMode } : {}), ...(oids?.length ? { parsers: oids } : {}) }
}

/** The worker's error as an Error again, with the server's fields (`code`, `detail`…) on it. */
function rebuildError(plain: NonNullable<Answer['error']>): Error {
  const { name, message, stack, ...fields } = plain
  const error = new Error(message)
  error.name = name
  Object.assign(error, fields)
  // Where it failed in the worker, then where this side called from.
  if (stack)
    error.stack = `${stack}\n    --- in the PGlite worker thread; called from:\n${error.stack?.split('\n').slice(1).join('\n') ?? ''}`
  return error
}
