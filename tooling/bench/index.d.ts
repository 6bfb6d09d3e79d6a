export interface MeasureOptions {
  /** Timed calls. */
  iterations: number
  /** Untimed calls first (JIT, connection pools, script caches); default 0. */
  warmup?: number
  /** Calls in flight at once, in both phases; default 1. */
  concurrency?: number
}

export interface Measurement {
  name: string
  iterations: number
  concurrency: number
  /** `iterations` divided by the wall time of the timed phase. */
  opsPerSec: number
  /** Median latency of one call, in microseconds. */
  p50Us: number
  /** 99th-percentile latency of one call (nearest rank), in microseconds. */
  p99Us: number
  meanUs: number
}

export interface TableRow extends Measurement {
  /** Name of another row of the same table to compare throughput with (`1.35× slower`). */
  peer?: string
  /** Free text for the `target` column, e.g. `≥ 40k/s (issue 3)`. */
  target?: string
  /** Shown as ✓ / ✗ in the `meets` column when boolean. */
  meets?: boolean
}

/**
 * Time an async operation: `warmup` untimed calls, then `iterations` timed calls with up to
 * `concurrency` in flight. `fn` receives a sequence number unique within this measurement.
 *
 * @example
 * ```js
 * const row = await measure('increment', (i) => store.increment(`counter:${i % 100}`), {
 *   iterations: 20_000,
 *   warmup: 1_000,
 *   concurrency: 50,
 * })
 * printTable('Key-value: Redis', [row])
 * ```
 */
export function measure(
  name: string,
  fn: (sequence: number) => unknown,
  options: MeasureOptions,
): Promise<Measurement>

/**
 * Print a fixed-width table: name, n, ops/s, p50, p99, and — when some row uses them — `vs peer`,
 * `target` and `meets`. Latencies read in µs below 10 ms and in ms above. `write` defaults to
 * `console.log`, one line per call.
 */
export function printTable(
  title: string,
  rows: readonly TableRow[],
  write?: (line: string) => void,
): void

export interface BenchScale {
  /** The factor in use. */
  value: number
  /** `counts` with iterations and warm-up multiplied by the factor (concurrency unchanged, default 1). */
  scaled(counts: MeasureOptions): Required<MeasureOptions>
  /** `"20,000 timed + 1,000 warm-up calls, concurrency 50"` for a table title. */
  describe(counts: MeasureOptions): string
}

/** Iteration counts scaled by `SKILLOS_BENCH_SCALE` (positive number, default 1); throws on a bad value. */
export function createBenchScale(text: string | undefined): BenchScale

/** `node v20.20.2, linux x64, 2 × AMD EPYC …`: the first line of every benchmark's output. */
export function describeMachine(): string
