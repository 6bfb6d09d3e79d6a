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
 * Parameters PGlite is given as bytes in binary format: `json` (below) and `text[]` (see
 * `textArrayBytes`). Set by `open`, from the database's own serializers.
 *
 * `json` parameters as UTF-8 bytes. PGlite sends a string parameter as text after measuring its
 * UTF-8 length twice, one character at a time in JavaScript: about 7 ns a byte, 20 µs for the row
 * and events of one finished run. Bytes go as they are, in binary format, which for `json` is its
 * text (`json_recv` checks it as `json_in` does): 40 % less time for a batch of finished runs
 * (ADR 016).
 */
let parameterBytes
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
  const textArrayAsText = pg.serializers[TEXT_ARRAY_OID]
  parameterBytes = {
    ...(typeof asText === 'function'
      ? { [JSON_OID]: (value) => Buffer.from(asText(value), 'utf8') }
      : {}),
    ...(typeof textArrayAsText === 'function'
      ? {
          [TEXT_ARRAY_OID]: (value) =>
            isFlatTextArray(value) ? textArrayBytes(value) : textArrayAsText(value),
        }
      : {}),
  }
  return null
}

const TEXT_OID = 25
const TEXT_ARRAY_OID = 1009

/** A one-dimensional list of strings and nulls: what `textArrayBytes` encodes. */
function isFlatTextArray(value) {
  if (!Array.isArray(value)) return false
  for (const item of value) {
    if (typeof item !== 'string' && item !== null && item !== undefined) return false
  }
  return true
}

/**
 * A `text[]` parameter in binary format: a header (dimensions, a has-nulls flag, the element type,
 * then length and lower bound of the one dimension) and each element as its byte length (-1 for
 * NULL) and its UTF-8 bytes. PGlite's text format quotes every element and escapes every `"` and
 * `\` in it, and the server then scans it back character by character: for the JSON text of a
 * batch of finished runs (ADR 018) that was most of what a row cost the PGlite thread.
 */
function textArrayBytes(items) {
  let size = 12
  let nulls = 0
  if (items.length > 0) size += 8
  for (const item of items) {
    if (item === null || item === undefined) {
      size += 4
      nulls = 1
    } else {
      size += 4 + Buffer.byteLength(item, 'utf8')
    }
  }
  const bytes = Buffer.allocUnsafe(size)
  bytes.writeInt32BE(items.length > 0 ? 1 : 0, 0)
  bytes.writeInt32BE(nulls, 4)
  bytes.writeUInt32BE(TEXT_OID, 8)
  let at = 12
  if (items.length > 0) {
    bytes.writeInt32BE(items.length, 12)
    bytes.writeInt32BE(1, 16)
    at = 20
  }
  for (const item of items) {
    if (item === null || item === undefined) {
      bytes.writeInt32BE(-1, at)
      at += 4
    } else {
      const length = bytes.write(item, at + 4, 'utf8')
      bytes.writeInt32BE(length, at)
      at += 4 + length
    }
  }
  return bytes
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
        ...(parameterBytes ? { serializers: parameterBytes } : {}),
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
