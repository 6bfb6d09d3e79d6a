// Fits the confidence calibration (logistic regression on the top candidate's features) on the DEV
// half of routing-set.json with the default embedder, and prints the coefficients to paste into
// src/calibration.ts together with the threshold that maximises dev "overall right" (route right, or
// abstain on out-of-scope). The test half is never read here. Run after `pnpm build`:
//   node bench/calibrate.mjs [--verbose] [--features=lexical,vector,margin,...] [--compare] [--embedder=…]
// --compare fits every candidate feature set and ranks them by leave-one-out accuracy on dev.
import { readFile } from 'node:fs/promises'
import {
  CALIBRATION_FEATURES,
  calibrationInputs,
  createCompositeEmbedder,
  createHashEmbedder,
  createSkillIndex,
  createUseEmbedder,
} from '../dist/index.js'

const skills = JSON.parse(await readFile(new URL('./seed-skills.json', import.meta.url), 'utf8'))
const set = JSON.parse(await readFile(new URL('./routing-set.json', import.meta.url), 'utf8'))
// --embedder=use | composite:<USE weight> fits for that embedder instead of the default hash n-grams
// (needs the optional @energetic-ai packages); --vector-weight=<w> for another fusion weight.
const embedderArg = process.argv.find((a) => a.startsWith('--embedder='))?.slice(11)
const weightArg = process.argv.find((a) => a.startsWith('--vector-weight='))?.slice(16)
async function embedderOf(spec) {
  if (!spec || spec === 'hash') return undefined
  if (spec === 'use') return createUseEmbedder()
  const w = Number(/^composite:([\d.]+)$/.exec(spec)?.[1] ?? NaN)
  if (!(w >= 0 && w <= 1)) throw new Error(`unknown --embedder=${spec}`)
  return createCompositeEmbedder([
    { embedder: await createUseEmbedder(), weight: w },
    { embedder: createHashEmbedder(), weight: 1 - w },
  ])
}
const embedder = await embedderOf(embedderArg)
const index = await createSkillIndex({
  ...(embedder ? { embedder } : {}),
  ...(weightArg ? { vectorWeight: Number(weightArg) } : {}),
})
await index.upsert(skills)

const rows = []
for (const item of set.filter((q) => q.split === 'dev')) {
  const results = await index.search(item.query, { limit: 2 })
  const top = results[0]
  if (!top) {
    rows.push({ x: calibrationInputs({ lexical: 0, vector: 0, margin: -3 }), y: 0, item })
    continue
  }
  const margin = results[1] ? top.score - results[1].score : 3
  const x = calibrationInputs({
    lexical: top.why.lexical,
    vector: top.why.vector,
    margin,
    coverage: top.why.coverage,
    fieldCoverage: top.why.fieldCoverage,
    matched: top.why.matchedTerms.length,
    agree: top.why.channelsAgree,
  })
  rows.push({ x, y: top.id === item.skill ? 1 : 0, item, top })
}

const RIDGE = 0.1

/** Newton's method with a small ridge penalty (the dev set is small); returns [intercept, ...w]. */
function fit(data, columns) {
  const n = columns.length + 1
  let w = new Array(n).fill(0)
  for (let iteration = 0; iteration < 50; iteration++) {
    const g = new Array(n).fill(0)
    const h = Array.from({ length: n }, () => new Array(n).fill(0))
    for (const { x, y } of data) {
      const f = [1, ...columns.map((c) => x[c])]
      const p = sigmoid(f.reduce((s, v, i) => s + v * w[i], 0))
      for (let i = 0; i < n; i++) {
        g[i] += (p - y) * f[i]
        for (let j = 0; j < n; j++) h[i][j] += p * (1 - p) * f[i] * f[j]
      }
    }
    for (let i = 1; i < n; i++) {
      g[i] += RIDGE * w[i]
      h[i][i] += RIDGE
    }
    const step = solve(h, g)
    w = w.map((v, i) => v - step[i])
  }
  return w.map((v) => Math.round(v * 100) / 100)
}

function sigmoid(x) {
  return 1 / (1 + Math.exp(-x))
}

function solve(a, b) {
  const n = b.length
  const m = a.map((row, i) => [...row, b[i]])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r
    ;[m[c], m[p]] = [m[p], m[c]]
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const f = m[r][c] / m[c][c]
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k]
    }
  }
  return m.map((row, i) => row[n] / row[i])
}

const prob = (w, columns, x) => sigmoid(w[0] + columns.reduce((s, c, i) => s + w[i + 1] * x[c], 0))
/** Right = routed to the right skill, or abstained on an out-of-scope request. */
const right = (r, p, t) => (r.item.skill === null ? p < t : p >= t && r.y === 1)

/** The threshold (0.05 steps) with the best dev accuracy; ties → the middle of the best run. */
function bestThreshold(data, w, columns) {
  const grid = []
  for (let k = 1; k < 20; k++) {
    const t = k / 20
    grid.push([t, data.filter((r) => right(r, prob(w, columns, r.x), t)).length / data.length])
  }
  const top = Math.max(...grid.map(([, a]) => a))
  const best = grid.filter(([, a]) => a >= top - 1e-9).map(([t]) => t)
  return { threshold: best[Math.floor((best.length - 1) / 2)], accuracy: top }
}

/** Leave-one-out on dev: fit and choose the threshold without the row, then judge the row. */
function leaveOneOut(columns) {
  let ok = 0
  let logLoss = 0
  for (let i = 0; i < rows.length; i++) {
    const train = rows.filter((_, j) => j !== i)
    const w = fit(train, columns)
    const { threshold } = bestThreshold(train, w, columns)
    const p = prob(w, columns, rows[i].x)
    if (right(rows[i], p, threshold)) ok++
    logLoss -= Math.log(Math.max(1e-6, rows[i].y ? p : 1 - p))
  }
  return { accuracy: ok / rows.length, logLoss: logLoss / rows.length }
}

const names = CALIBRATION_FEATURES
const columnsOf = (list) => list.map((name) => names.indexOf(name))
const featureArg = process.argv.find((a) => a.startsWith('--features='))?.slice(11)
const chosen = featureArg ? featureArg.split(',') : [...names]

if (process.argv.includes('--compare')) {
  const results = []
  for (let mask = 1; mask < 1 << names.length; mask++) {
    const list = names.filter((_, i) => mask & (1 << i))
    if (list.length > 5) continue
    const columns = columnsOf(list)
    const w = fit(rows, columns)
    results.push({ list, fit: bestThreshold(rows, w, columns).accuracy, ...leaveOneOut(columns) })
  }
  results.sort((a, b) => b.accuracy - a.accuracy || a.logLoss - b.logLoss)
  for (const r of results.slice(0, 25))
    console.log(
      `LOO ${r.accuracy.toFixed(3)}  log-loss ${r.logLoss.toFixed(3)}  dev-fit ${r.fit.toFixed(3)}  ${r.list.join(',')}`,
    )
}

const columns = columnsOf(chosen)
const w = fit(rows, columns)
const calibration = { intercept: w[0] }
chosen.forEach((name, i) => (calibration[name] = w[i + 1]))
console.log('calibration', JSON.stringify(calibration))
const { threshold, accuracy } = bestThreshold(rows, w, columns)
const loo = leaveOneOut(columns)
console.log(
  `dev: ${rows.length} queries, best threshold ${threshold.toFixed(2)} → accuracy ${accuracy.toFixed(3)} (leave-one-out ${loo.accuracy.toFixed(3)}, log-loss ${loo.logLoss.toFixed(3)})`,
)
if (process.argv.includes('--verbose')) {
  for (const r of rows)
    console.log(
      r.item.skill ?? 'NONE',
      '|',
      r.top?.id,
      r.x.map((v) => Math.round(v * 100) / 100).join(' '),
      Math.round(prob(w, columns, r.x) * 100) / 100,
      r.item.query,
    )
}
