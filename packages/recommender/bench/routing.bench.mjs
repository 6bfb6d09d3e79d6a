// Routing quality and speed of the BUILT @skillos/recommender (`pnpm bench` builds first).
//
// 1. MetaTool (../shared/eval/metatool, MIT: 199 tools, 1,592 labelled English queries): top-1, top-5
//    and MRR of the default index (BM25 + hash n-gram vectors, fused) beside plain BM25 and vectors
//    alone. Tools have name + description only — no examples — and nothing is tuned to them.
// 2. The seed routing set (bench/routing-set.json) over the 15 seed skills (bench/seed-skills.json):
//    top-1, abstention on out-of-scope requests, and route accuracy, on the dev half the threshold was
//    chosen on and on the held-out test half.
// 3. Search latency at 1k and 100k synthetic skills — at 100k also with a tag filter, a tenant filter
//    and both — and index memory at 100k.
//
//   SKILLOS_BENCH_METATOOL_DIR where MetaTool lives (default ../shared/eval/metatool beside the repo)
//   SKILLOS_BENCH_SCALE  multiplies the timed query counts (default 1: a few minutes on 2 cores)
//   SKILLOS_BENCH_SKILLS skills in the large latency run (default 100000; smaller while iterating)
//   SKILLOS_BENCH_ONLY   `quality` (MetaTool + seed set) or `latency` (the latency table) alone
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import { createBenchScale, describeMachine } from '@skillos/bench'
import { createSkillIndex, DEFAULT_THRESHOLD } from '../dist/index.js'
import { METATOOL, percentile, synthetic } from './synthetic.mjs'

const { value: scale } = createBenchScale(process.env.SKILLOS_BENCH_SCALE)

console.log(describeMachine())
console.log()

function pad(text, width) {
  return String(text).padEnd(width)
}

function printRows(title, header, rows) {
  console.log(title)
  const widths = header.map(
    (h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)) + 2,
  )
  console.log(header.map((h, i) => pad(h, widths[i])).join(''))
  for (const row of rows) console.log(row.map((c, i) => pad(c, widths[i])).join(''))
  console.log()
}

const f3 = (v) => v.toFixed(3)

/** top-1, top-5 and MRR of `index` over labelled queries. */
async function rankQuality(index, queries) {
  let top1 = 0
  let top5 = 0
  let rr = 0
  for (const { query, tool } of queries) {
    const results = await index.search(query, { limit: 10 })
    const rank = results.findIndex((r) => r.id === tool)
    if (rank === 0) top1++
    if (rank >= 0 && rank < 5) top5++
    if (rank >= 0) rr += 1 / (rank + 1)
  }
  return { top1: top1 / queries.length, top5: top5 / queries.length, mrr: rr / queries.length }
}

async function benchMetaTool() {
  if (!existsSync(new URL('tools.json', METATOOL))) {
    console.log(
      `MetaTool: skipped — ${METATOOL.pathname} not found (expected ../shared/eval/metatool beside the repo).\n`,
    )
    return
  }
  const tools = JSON.parse(await readFile(new URL('tools.json', METATOOL), 'utf8'))
  const queries = JSON.parse(await readFile(new URL('queries.json', METATOOL), 'utf8'))
  const skills = tools.map((t, i) => ({
    id: t.name,
    name: t.name,
    description: t.description || t.name,
    _i: i,
  }))
  const docs = skills.map(({ _i, ...s }) => s)
  const variants = [
    ['BM25 only (baseline)', { vectorWeight: 0 }],
    ['hash n-gram vectors only', { vectorWeight: 1, lexicalOnlyOff: true }],
    ['hybrid (default)', {}],
  ]
  const rows = []
  for (const [name, options] of variants) {
    const { lexicalOnlyOff, ...indexOptions } = options
    const index = await createSkillIndex(indexOptions)
    await index.upsert(docs)
    const started = performance.now()
    const q = lexicalOnlyOff
      ? await vectorOnlyQuality(index, queries)
      : await rankQuality(index, queries)
    const ms = (performance.now() - started) / queries.length
    rows.push([name, f3(q.top1), f3(q.top5), f3(q.mrr), `${ms.toFixed(2)} ms`])
    await index.close()
  }
  rows.push(['target', '≥ 0.65', '≥ 0.85', '', ''])
  rows.push(["issue's plain BM25 baseline", '0.50', '0.66', '', ''])
  printRows(
    `MetaTool: ${tools.length} tools (name + description, no examples), ${queries.length} queries`,
    ['method', 'top-1', 'top-5', 'MRR', 'mean/query'],
    rows,
  )
}

/** Rank by the vector channel alone: candidates sorted by `why.vector`. */
async function vectorOnlyQuality(index, queries) {
  let top1 = 0
  let top5 = 0
  let rr = 0
  for (const { query, tool } of queries) {
    const [vector] = await index.embedder.embed([query])
    const hits = await index.vectorStore.query(vector, { limit: 10 })
    const rank = hits.findIndex((h) => h.skillId === tool)
    if (rank === 0) top1++
    if (rank >= 0 && rank < 5) top5++
    if (rank >= 0) rr += 1 / (rank + 1)
  }
  return { top1: top1 / queries.length, top5: top5 / queries.length, mrr: rr / queries.length }
}

async function benchSeedSet() {
  const skills = JSON.parse(await readFile(new URL('./seed-skills.json', import.meta.url), 'utf8'))
  const set = JSON.parse(await readFile(new URL('./routing-set.json', import.meta.url), 'utf8'))
  const index = await createSkillIndex()
  await index.upsert(skills)
  const rows = []
  const misses = []
  for (const split of ['dev', 'test']) {
    for (const lang of ['en', 'ru', 'all']) {
      const items = set.filter(
        (q) => q.split === split && (lang === 'all' || (lang === 'ru') === /[а-яё]/i.test(q.query)),
      )
      const inScope = items.filter((q) => q.skill !== null)
      const outOfScope = items.filter((q) => q.skill === null)
      let top1 = 0
      let top5 = 0
      let routed = 0
      let abstained = 0
      for (const item of inScope) {
        const route = await index.route(item.query)
        const rank = route.candidates.findIndex((c) => c.id === item.skill)
        if (rank === 0) top1++
        if (rank >= 0 && rank < 5) top5++
        if (route.skill === item.skill) routed++
        else if (lang === 'all')
          misses.push(
            `${split}  want ${item.skill}, got ${route.skill ?? 'none'} (${route.candidates[0]?.id} ${route.confidence}): ${item.query}`,
          )
      }
      for (const item of outOfScope) {
        const route = await index.route(item.query)
        if (route.skill === null) abstained++
        else if (lang === 'all')
          misses.push(
            `${split}  want none, got ${route.skill} (${route.confidence}): ${item.query}`,
          )
      }
      rows.push([
        split,
        lang,
        `${inScope.length} + ${outOfScope.length}`,
        f3(top1 / inScope.length),
        f3(top5 / inScope.length),
        f3(routed / inScope.length),
        outOfScope.length ? f3(abstained / outOfScope.length) : '-',
        f3((routed + abstained) / items.length),
      ])
    }
  }
  rows.push(['target', '', '', '≥ 0.97 (issue 7)', '', '', 'all', ''])
  printRows(
    `Seed routing set: 15 skills (EN + RU examples), ${set.length} queries (held-out phrasings), threshold ${DEFAULT_THRESHOLD}`,
    [
      'split',
      'lang',
      'in + out',
      'top-1',
      'top-5',
      'routed right',
      'abstained (out)',
      'overall right',
    ],
    rows,
  )
  console.log('Misses:')
  for (const line of misses) console.log(`  ${line}`)
  console.log()
  await index.close()
}

/**
 * Which filter a timed query carries. The 100k skills are spread as a multi-tenant catalogue: one in
 * four shared, the rest private to one of 20 tenants; every skill has one of 40 tags. So a tag filter
 * keeps about 2.5 % of the skills, a tenant filter about 29 % (shared + its own), both about 0.7 %.
 */
const FILTERS = {
  none: { label: 'no filter', filters: () => undefined },
  tag: { label: 'tag filter (~2.5 %)', filters: (i) => ({ tags: [TAGS[i % TAGS.length]] }) },
  tenant: { label: 'tenant filter (~29 %)', filters: (i) => ({ tenant: `tenant-${i % 20}` }) },
  both: {
    label: 'tag + tenant (~0.7 %)',
    filters: (i) => ({ tenant: `tenant-${i % 20}`, tags: [TAGS[(i * 7) % TAGS.length]] }),
  },
}
/** The tags synthetic skills carry (the first 40 words of the vocabulary). */
const TAGS = [...new Set(synthetic(2_000, 3).map((s) => s.tags[0]))].sort()

async function benchLatency(count, queries, target, kinds) {
  if (global.gc) global.gc()
  const before = process.memoryUsage()
  const started = performance.now()
  const index = await createSkillIndex()
  const skills = synthetic(count).map((s, i) =>
    i % 4 === 0 ? s : { ...s, tenant: `tenant-${i % 20}` },
  )
  for (let i = 0; i < skills.length; i += 5_000) await index.upsert(skills.slice(i, i + 5_000))
  const buildMs = performance.now() - started
  if (global.gc) global.gc()
  const after = process.memoryUsage()
  const probe = synthetic(queries + 200, 7).map((s) => s.examples[0])
  const mode = index.vectorStore.mode ?? index.vectorStore.kind
  const rows = []
  for (const kind of kinds) {
    const { label, filters } = FILTERS[kind]
    const options = (i) => ({ limit: 10, ...(filters(i) ? { filters: filters(i) } : {}) })
    for (let i = 0; i < 200; i++) await index.search(probe[i], options(i))
    const times = []
    for (let i = 200; i < probe.length; i++) {
      const t = performance.now()
      await index.search(probe[i], options(i))
      times.push(performance.now() - t)
    }
    times.sort((a, b) => a - b)
    const p95 = percentile(times, 95)
    rows.push([
      count.toLocaleString('en'),
      label,
      `${index.vectorStore.size.toLocaleString('en')} vectors, ${mode}`,
      `${(buildMs / 1000).toFixed(1)} s`,
      `${percentile(times, 50).toFixed(3)} ms`,
      `${p95.toFixed(3)} ms`,
      `< ${target} ms`,
      p95 < target ? '✓' : '✗',
      `${((after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20).toFixed(0)} MB heap+buffers, ${((after.rss - before.rss) / 2 ** 20).toFixed(0)} MB RSS`,
    ])
  }
  await index.close()
  return rows
}

async function benchScale() {
  const queries = Math.round(1_000 * scale)
  const large = Number(process.env.SKILLOS_BENCH_SKILLS ?? 100_000)
  const rows = [
    ...(await benchLatency(1_000, queries, 1, ['none'])),
    ...(await benchLatency(large, queries, 10, Object.keys(FILTERS))),
  ]
  printRows(
    `Search latency (query embedding + BM25 + vectors + fusion, limit 10), ${queries} queries after 200 warm-up; synthetic skills with 3 examples each`,
    [
      'skills',
      'filters',
      'vector store',
      'build',
      'p50',
      'p95',
      'target p95',
      'meets',
      'index memory (delta)',
    ],
    rows,
  )
}

const only = process.env.SKILLOS_BENCH_ONLY // 'quality' or 'latency'
if (only !== 'latency') {
  await benchMetaTool()
  await benchSeedSet()
}
if (only !== 'quality') await benchScale()
