// The shared benchmark harness: `measure` times an async operation, `printTable` prints the numbers.
// Node builtins only, so any package's `bench/*.bench.mjs` can use it without building anything.
import { arch, cpus, platform } from 'node:os'
import { performance } from 'node:perf_hooks'

/**
 * Run `fn` `warmup` times, then `iterations` times with up to `concurrency` calls in flight, timing
 * each call. `fn` receives a sequence number unique within this measurement (warm-up calls included),
 * so it can make unique keys and ids.
 */
export async function measure(name, fn, options) {
  const { iterations, warmup = 0, concurrency = 1 } = options ?? {}
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(
      `measure(${name}): iterations must be a positive integer, got ${iterations}`,
    )
  }
  if (!Number.isInteger(warmup) || warmup < 0) {
    throw new RangeError(`measure(${name}): warmup must be a non-negative integer, got ${warmup}`)
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `measure(${name}): concurrency must be a positive integer, got ${concurrency}`,
    )
  }

  let sequence = 0
  await runPool(warmup, concurrency, async () => {
    await fn(sequence++)
  })

  const latenciesUs = new Float64Array(iterations)
  let slot = 0
  const started = performance.now()
  await runPool(iterations, concurrency, async () => {
    const index = slot++
    const begin = performance.now()
    await fn(sequence++)
    latenciesUs[index] = (performance.now() - begin) * 1000
  })
  const wallMs = performance.now() - started

  latenciesUs.sort()
  let totalUs = 0
  for (const value of latenciesUs) totalUs += value
  return {
    name,
    iterations,
    concurrency,
    opsPerSec: iterations / (wallMs / 1000),
    p50Us: percentile(latenciesUs, 0.5),
    p99Us: percentile(latenciesUs, 0.99),
    meanUs: totalUs / iterations,
  }
}

/** `count` calls of `task`, `concurrency` workers pulling from one counter; the first failure rejects. */
async function runPool(count, concurrency, task) {
  let started = 0
  let failed = false
  const worker = async () => {
    while (started < count && !failed) {
      started += 1
      try {
        await task()
      } catch (error) {
        failed = true
        throw error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted, fraction) {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil(fraction * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

/**
 * Print `rows` as a fixed-width table under `title`. Columns `vs peer`, `target` and `meets` appear
 * only when some row uses them. `vs peer` compares throughput with the row named by `peer`: `1.35×
 * slower` means the peer does 1.35 times as many operations per second.
 */
export function printTable(title, rows, write = (line) => console.log(line)) {
  const byName = new Map(rows.map((row) => [row.name, row]))
  const peers = new Set(rows.map((row) => row.peer).filter((peer) => peer !== undefined))
  for (const row of rows) {
    if (row.peer !== undefined && !byName.has(row.peer)) {
      throw new Error(
        `printTable(${title}): row "${row.name}" names peer "${row.peer}", which is not a row`,
      )
    }
  }

  const columns = [
    { header: 'name', align: 'left', cell: (row) => row.name },
    { header: 'n', cell: (row) => formatCount(row.iterations) },
    { header: 'ops/s', cell: (row) => formatRate(row.opsPerSec) },
    { header: 'p50', cell: (row) => formatMicros(row.p50Us) },
    { header: 'p99', cell: (row) => formatMicros(row.p99Us) },
  ]
  if (rows.some((row) => row.peer !== undefined)) {
    columns.push({
      header: 'vs peer',
      align: 'left',
      cell: (row) => {
        if (row.peer !== undefined)
          return formatRatio(byName.get(row.peer).opsPerSec / row.opsPerSec)
        return peers.has(row.name) ? '(peer)' : ''
      },
    })
  }
  if (rows.some((row) => row.target !== undefined)) {
    columns.push({ header: 'target', align: 'left', cell: (row) => row.target ?? '' })
  }
  if (rows.some((row) => typeof row.meets === 'boolean')) {
    columns.push({
      header: 'meets',
      align: 'left',
      cell: (row) => (typeof row.meets === 'boolean' ? (row.meets ? '✓' : '✗') : ''),
    })
  }

  const cells = rows.map((row) => columns.map((column) => column.cell(row)))
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => line[i].length)),
  )
  const render = (values) =>
    values
      .map((value, i) =>
        columns[i].align === 'left' ? value.padEnd(widths[i]) : value.padStart(widths[i]),
      )
      .join('  ')
      .trimEnd()

  write('')
  write(title)
  write(render(columns.map((column) => column.header)))
  write(widths.map((width) => '─'.repeat(width)).join('  '))
  for (const line of cells) write(render(line))
}

function formatCount(value) {
  return Math.round(value).toLocaleString('en-US')
}

function formatRate(value) {
  if (!Number.isFinite(value)) return '–'
  if (value < 10) return value.toFixed(2)
  if (value < 100) return value.toFixed(1)
  return formatCount(value)
}

/** Microseconds below 10 ms, milliseconds above, so a 4 s open and a 0.2 µs Map call both read well. */
function formatMicros(us) {
  if (!Number.isFinite(us)) return '–'
  if (us < 10) return `${us.toFixed(2)} µs`
  if (us < 100) return `${us.toFixed(1)} µs`
  if (us < 10_000) return `${formatCount(us)} µs`
  return `${formatCount(us / 1000)} ms`
}

/** `peerOpsPerSec / opsPerSec`: above 1 the row is slower than its peer. */
function formatRatio(ratio) {
  if (!Number.isFinite(ratio) || ratio <= 0) return '–'
  if (ratio >= 1) return `${ratio.toFixed(2)}× slower`
  return `${(1 / ratio).toFixed(2)}× faster`
}

/**
 * Iteration counts scaled by `SKILLOS_BENCH_SCALE` (a positive number; default 1), so a quick run
 * (`SKILLOS_BENCH_SCALE=0.05 pnpm bench`) and a careful one share one script.
 */
export function createBenchScale(text) {
  let value = 1
  if (text !== undefined && text !== '') {
    value = Number(text)
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`SKILLOS_BENCH_SCALE must be a positive number, got "${text}"`)
    }
  }
  const scaled = ({ iterations, warmup = 0, concurrency = 1 }) => ({
    iterations: Math.max(1, Math.round(iterations * value)),
    warmup: Math.round(warmup * value),
    concurrency,
  })
  const describe = (counts) => {
    const { iterations, warmup, concurrency } = scaled(counts)
    return `${iterations.toLocaleString('en-US')} timed + ${warmup.toLocaleString('en-US')} warm-up calls, concurrency ${concurrency}`
  }
  return { value, scaled, describe }
}

/** `node v20.20.2, linux x64, 2 × AMD EPYC …`: the first line of every benchmark's output. */
export function describeMachine() {
  const list = cpus()
  return `node ${process.version}, ${platform()} ${arch()}, ${list.length} × ${list[0]?.model.trim() ?? 'unknown CPU'}`
}
