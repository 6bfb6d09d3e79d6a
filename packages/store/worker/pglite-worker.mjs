// The thread that owns an embedded PGlite (see ../src/pglite-thread.ts, which starts it and speaks
// to it). Plain JavaScript beside `src/` and `dist/` so both resolve it at the same relative path.
// Every message is { id, op, ... }; every answer is { id, ok: true, value } or { id, ok: false, error }.
import { parentPort } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'

if (!parentPort) throw new Error('pglite-worker.mjs runs only as a worker thread')
const port = parentPort

/** @type {PGlite | undefined} */
let pg
/** Open transactions by id: PGlite's handle, how to end the callback holding it, and its outcome. */
const transactions = new Map()
let nextTransaction = 1
/** Parsers cannot cross threads: the caller names the type ids it wants left as text. */
const identity = (value) => value
const parserSets = new Map()

function parsersFor(oids) {
  if (!oids || oids.length === 0) return undefined
  const key = oids.join(',')
  let parsers = parserSets.get(key)
  if (!parsers) {
    parsers = Object.fromEntries(oids.map((oid) => [oid, identity]))
    parserSets.set(key, parsers)
  }
  return parsers
}

/** An error as plain data: message, stack and the server's fields (code, detail, constraint…). */
function serialiseError(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) }
  const plain = { name: error.name, message: error.message, stack: error.stack }
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) plain[key] = value
  }
  return plain
}

function handleFor(message) {
  if (message.tx === undefined) return requireOpen()
  const record = transactions.get(message.tx)
  if (!record) throw new Error(`transaction ${message.tx} is not open`)
  return record.handle
}

function requireOpen() {
  if (!pg) throw new Error('the database is not open')
  return pg
}

/**
 * `json` parameters as UTF-8 bytes. PGlite sends a string parameter as text after measuring its
 * UTF-8 length twice, one character at a time in JavaScript: about 7 ns a byte, 20 µs for the row
 * and events of one finished run. Bytes go as they are, in binary format, which for `json` is its
 * text (`json_recv` checks it as `json_in` does): 40 % less time for a batch of finished runs
 * (ADR 016). Set by `open`, from the database's own `json` serializer.
 */
let jsonAsBytes
const JSON_OID = 114

async function open({ dataDir, loadDataDir, startParams, pgliteWasmModule }) {
  pg = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(loadDataDir === undefined
      ? {}
      : { loadDataDir: new Blob([loadDataDir], { type: 'application/x-gzip' }) }),
    ...(startParams === undefined ? {} : { startParams }),
    ...(pgliteWasmModule === undefined ? {} : { pgliteWasmModule }),
  })
  growFilesInLargerSteps(pg)
  const asText = pg.serializers[JSON_OID]
  jsonAsBytes =
    typeof asText === 'function'
      ? { [JSON_OID]: (value) => Buffer.from(asText(value), 'utf8') }
      : undefined
  return null
}

/**
 * PGlite's in-memory file system (Emscripten's MEMFS) grows a file past 1 MB by 12.5 % at a time,
 * copying the whole file into a new zero-filled array each time: a growing table's bytes are copied
 * about 8 times over, 7–8 % of this thread's time under a steady stream of runs. Growing by half
 * instead copies them about twice, for unused room of at most half the file's size (ADR 016). Only the growth
 * step changes; PGlite versions without this function keep their own behaviour.
 */
function growFilesInLargerSteps(db) {
  const memfs = db.Module?.MEMFS
  const expand = memfs?.expandFileStorage
  if (typeof expand !== 'function') return
  memfs.expandFileStorage = function expandByHalf(node, wanted) {
    const capacity = node.contents ? node.contents.length : 0
    if (capacity >= wanted) return
    return expand.call(this, node, Math.max(wanted, Math.floor(capacity * 1.5)))
  }
}

const ROLLBACK = Symbol('rollback')

/**
 * Hold a PGlite transaction open until the other thread says how it ends: the callback's promise
 * settles on `end`, so PGlite commits (or rolls back) exactly as it does in one thread. Queries
 * outside it wait for PGlite's own lock meanwhile, as they would in one thread.
 */
function begin(id) {
  const tx = nextTransaction++
  const record = { handle: undefined, finish: undefined, settled: undefined }
  const ended = new Promise((resolve, reject) => {
    record.finish = (commit) => (commit ? resolve() : reject(ROLLBACK))
  })
  record.settled = requireOpen()
    .transaction(async (handle) => {
      record.handle = handle
      transactions.set(tx, record)
      send(id, { ok: true, value: tx })
      await ended
    })
    .finally(() => transactions.delete(tx))
  // Failing before the callback ran (the database closed, BEGIN failed) answers `begin` itself.
  record.settled.catch((error) => {
    if (record.handle === undefined) send(id, { ok: false, error: serialiseError(error) })
  })
}

async function end({ tx, commit }) {
  const record = transactions.get(tx)
  if (!record) throw new Error(`transaction ${tx} is not open`)
  record.finish(commit)
  try {
    await record.settled
  } catch (error) {
    if (error !== ROLLBACK) throw error
  }
  return null
}

async function handle(message) {
  switch (message.op) {
    case 'open':
      return open(message)
    case 'query': {
      const parsers = parsersFor(message.parsers)
      const result = await handleFor(message).query(message.sql, message.params, {
        ...(message.rowMode ? { rowMode: message.rowMode } : {}),
        ...(parsers ? { parsers } : {}),
        ...(jsonAsBytes ? { serializers: jsonAsBytes } : {}),
      })
      return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows }
    }
    case 'exec': {
      const results = await handleFor(message).exec(message.sql)
      return results.map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows }))
    }
    case 'end':
      return end(message)
    case 'dump': {
      const blob = await requireOpen().dumpDataDir(message.compression)
      return await blob.arrayBuffer()
    }
    case 'close': {
      if (pg && !pg.closed) await pg.close()
      return null
    }
    default:
      throw new Error(`unknown operation ${String(message.op)}`)
  }
}

function send(id, outcome) {
  if (outcome.ok && outcome.value instanceof ArrayBuffer) {
    port.postMessage({ id, ...outcome }, [outcome.value])
  } else {
    port.postMessage({ id, ...outcome })
  }
}

port.on('message', (message) => {
  if (message.op === 'begin') {
    try {
      begin(message.id)
    } catch (error) {
      send(message.id, { ok: false, error: serialiseError(error) })
    }
    return
  }
  handle(message).then(
    (value) => send(message.id, { ok: true, value }),
    (error) => send(message.id, { ok: false, error: serialiseError(error) }),
  )
})
