// Fits the confidence calibration (logistic regression on the top candidate's features) on the DEV
// half of routing-set.json with the default embedder, and prints the coefficients to paste into
// src/calibration.ts together with the threshold that maximises dev accuracy (route right, or abstain
// on out-of-scope). Run after `pnpm build`: node bench/calibrate.mjs
import { readFile } from 'node:fs/promises'
import { createSkillIndex } from '../dist/index.js'

const skills = JSON.parse(await readFile(new URL('./seed-skills.json', import.meta.url), 'utf8'))
const set = JSON.parse(await readFile(new URL('./routing-set.json', import.meta.url), 'utf8'))
const index = await createSkillIndex()
await index.upsert(skills)

const rows = []
for (const item of set.filter((q) => q.split === 'dev')) {
  const results = await index.search(item.query, { limit: 2 })
  const top = results[0]
  if (!top) {
    rows.push({ x: [0, 0, -3], y: 0, item })
    continue
  }
  const margin = results[1] ? top.score - results[1].score : 3
  rows.push({
    x: [top.why.lexical, top.why.vector, Math.max(-3, Math.min(3, margin))],
    y: top.id === item.skill ? 1 : 0,
    item,
    top,
  })
}

// Newton's method with a small ridge penalty (the dev set is small).
let w = [0, 0, 0, 0]
const ridge = 0.1
for (let iteration = 0; iteration < 50; iteration++) {
  const g = [0, 0, 0, 0]
  const h = Array.from({ length: 4 }, () => [0, 0, 0, 0])
  for (const { x, y } of rows) {
    const f = [1, ...x]
    const p = 1 / (1 + Math.exp(-f.reduce((s, v, i) => s + v * w[i], 0)))
    for (let i = 0; i < 4; i++) {
      g[i] += (p - y) * f[i]
      for (let j = 0; j < 4; j++) h[i][j] += p * (1 - p) * f[i] * f[j]
    }
  }
  for (let i = 1; i < 4; i++) {
    g[i] += ridge * w[i]
    h[i][i] += ridge
  }
  const step = solve(h, g)
  w = w.map((v, i) => v - step[i])
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

const round = (v) => Math.round(v * 100) / 100
const calibration = {
  intercept: round(w[0]),
  lexical: round(w[1]),
  vector: round(w[2]),
  margin: round(w[3]),
}
console.log('calibration', JSON.stringify(calibration))
const prob = (x) =>
  1 /
  (1 +
    Math.exp(
      -(
        calibration.intercept +
        calibration.lexical * x[0] +
        calibration.vector * Math.max(0, x[1]) +
        calibration.margin * x[2]
      ),
    ))
let bestT = 0.5
let bestAcc = -1
for (let t = 0.05; t < 0.96; t += 0.05) {
  const acc =
    rows.filter((r) => (r.item.skill === null ? prob(r.x) < t : prob(r.x) >= t && r.y === 1))
      .length / rows.length
  if (acc > bestAcc + 1e-9) {
    bestAcc = acc
    bestT = t
  }
}
console.log(
  `dev: ${rows.length} queries, best threshold ${bestT.toFixed(2)} → accuracy ${bestAcc.toFixed(3)}`,
)
if (process.argv.includes('--verbose')) {
  for (const r of rows)
    console.log(
      r.item.skill ?? 'NONE',
      '|',
      r.top?.id,
      r.x.map(round).join(' '),
      round(prob(r.x)),
      r.item.query,
    )
}
