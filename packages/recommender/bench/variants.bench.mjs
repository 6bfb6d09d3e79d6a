// Compares index variants (embedder + index options) on MetaTool, the seed routing set and latency at
// 1k synthetic skills. One variant per process, so load time and memory are its own:
//   node --expose-gc bench/variants.bench.mjs <embedder> ['<index options as JSON>'] [--no-latency]
// <embedder>: hash (default embedder) | use (USE, non-Latin → zero) | use-embed (USE on every text)
//             | composite:<USE weight 0–1> (USE ⊕ hash n-grams)
// Prints a human-readable block and a final `RESULT {json}` line. Run after `pnpm build`.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import {
  createCompositeEmbedder,
  createHashEmbedder,
  createSkillIndex,
  createUseEmbedder,
} from '../dist/index.js'
import { METATOOL, percentile, synthetic } from './synthetic.mjs'

const [spec = 'hash', optionsJson = '{}'] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const indexOptions = JSON.parse(optionsJson)
const latency = !process.argv.includes('--no-latency')

const f3 = (v) => v.toFixed(3)
global.gc?.()
const memBefore = process.memoryUsage()
const loadStarted = performance.now()
async function makeEmbedder() {
  if (spec === 'hash') return createHashEmbedder()
  if (spec === 'use') return createUseEmbedder()
  if (spec === 'use-embed') return createUseEmbedder({ nonLatin: 'embed' })
  const m = /^composite:([\d.]+)$/.exec(spec)
  if (m) {
    const w = Number(m[1])
    return createCompositeEmbedder([
      { embedder: await createUseEmbedder(), weight: w },
      { embedder: createHashEmbedder(), weight: 1 - w },
    ])
  }
  throw new Error(`unknown embedder ${spec}`)
}
const embedder = await makeEmbedder()
await embedder.embed(['warm up the model'])
const loadMs = performance.now() - loadStarted
global.gc?.()
const memAfter = process.memoryUsage()
const result = {
  spec,
  options: indexOptions,
  embedderId: embedder.id,
  loadMs: Math.round(loadMs),
  loadRssMB: Math.round((memAfter.rss - memBefore.rss) / 2 ** 20),
}

// Query embedding alone: short queries.
{
  const times = []
  for (let i = 0; i < 300; i++) {
    const t = performance.now()
    await embedder.embed([`convert ${i} dollars to euros`])
    if (i >= 50) times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  result.embedP50 = +percentile(times, 50).toFixed(3)
  result.embedP95 = +percentile(times, 95).toFixed(3)
}

async function rank(index, queries, vectorOnly) {
  let top1 = 0
  let top5 = 0
  let rr = 0
  for (const { query, tool } of queries) {
    let ids
    if (vectorOnly) {
      const [v] = await index.embedder.embed([query])
      ids = (await index.vectorStore.query(v, { limit: 10 })).map((h) => h.skillId)
    } else ids = (await index.search(query, { limit: 10 })).map((r) => r.id)
    const r = ids.indexOf(tool)
    if (r === 0) top1++
    if (r >= 0 && r < 5) top5++
    if (r >= 0) rr += 1 / (r + 1)
  }
  const n = queries.length
  return { top1: +f3(top1 / n), top5: +f3(top5 / n), mrr: +f3(rr / n) }
}

if (existsSync(new URL('tools.json', METATOOL))) {
  const tools = JSON.parse(await readFile(new URL('tools.json', METATOOL), 'utf8'))
  const queries = JSON.parse(await readFile(new URL('queries.json', METATOOL), 'utf8'))
  const docs = tools.map((t) => ({
    id: t.name,
    name: t.name,
    description: t.description || t.name,
  }))
  const index = await createSkillIndex({ embedder, ...indexOptions })
  await index.upsert(docs)
  result.metatool = await rank(index, queries, false)
  if (!indexOptions.vectorWeight) result.metatoolVectorOnly = await rank(index, queries, true)
  await index.close()
}

{
  const skills = JSON.parse(await readFile(new URL('./seed-skills.json', import.meta.url), 'utf8'))
  const set = JSON.parse(await readFile(new URL('./routing-set.json', import.meta.url), 'utf8'))
  const index = await createSkillIndex({ embedder, ...indexOptions })
  await index.upsert(skills)
  result.seed = {}
  for (const split of ['dev', 'test']) {
    for (const lang of ['en', 'ru', 'all']) {
      const items = set.filter(
        (q) => q.split === split && (lang === 'all' || (lang === 'ru') === /[а-яё]/i.test(q.query)),
      )
      let top1 = 0
      let inScope = 0
      let out = 0
      let abstained = 0
      let right = 0
      for (const item of items) {
        const route = await index.route(item.query)
        if (item.skill === null) {
          out++
          if (route.skill === null) {
            abstained++
            right++
          }
        } else {
          inScope++
          if (route.candidates[0]?.id === item.skill) top1++
          if (route.skill === item.skill) right++
        }
      }
      result.seed[`${split}.${lang}`] = {
        n: `${inScope}+${out}`,
        top1: +f3(top1 / inScope),
        abstain: out ? +f3(abstained / out) : null,
        overall: +f3(right / items.length),
      }
    }
  }
  await index.close()
}

if (latency) {
  global.gc?.()
  const before = process.memoryUsage()
  const started = performance.now()
  const index = await createSkillIndex({ embedder, ...indexOptions })
  await index.upsert(synthetic(1_000))
  result.build1kMs = Math.round(performance.now() - started)
  global.gc?.()
  const after = process.memoryUsage()
  result.index1kMB = Math.round(
    (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20,
  )
  const queries = 1_000
  const probe = synthetic(queries + 200, 7).map((s) => s.examples[0])
  for (let i = 0; i < 200; i++) await index.search(probe[i], { limit: 10 })
  const times = []
  for (let i = 200; i < probe.length; i++) {
    const t = performance.now()
    await index.search(probe[i], { limit: 10 })
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  result.search1kP50 = +percentile(times, 50).toFixed(3)
  result.search1kP95 = +percentile(times, 95).toFixed(3)
  await index.close()
}
global.gc?.()
result.rssMB = Math.round(process.memoryUsage().rss / 2 ** 20)

const s = result.seed
console.log(
  `${spec} ${optionsJson}: MetaTool ${JSON.stringify(result.metatool)} vector-only ${JSON.stringify(result.metatoolVectorOnly ?? null)}`,
)
console.log(
  `  seed dev top-1 ${s['dev.all'].top1} (en ${s['dev.en'].top1} ru ${s['dev.ru'].top1}) abstain ${s['dev.all'].abstain} overall ${s['dev.all'].overall}; test top-1 ${s['test.all'].top1} (en ${s['test.en'].top1} ru ${s['test.ru'].top1}) abstain ${s['test.all'].abstain} overall ${s['test.all'].overall}`,
)
console.log(
  `  load ${result.loadMs} ms (+${result.loadRssMB} MB RSS), embed p50/p95 ${result.embedP50}/${result.embedP95} ms, 1k search p50/p95 ${result.search1kP50}/${result.search1kP95} ms, 1k index ${result.index1kMB} MB, RSS ${result.rssMB} MB`,
)
console.log(`RESULT ${JSON.stringify(result)}`)
