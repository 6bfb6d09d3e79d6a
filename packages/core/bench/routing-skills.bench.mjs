// Routing over the REAL skill library (skills/*/skill.yaml, loaded as the orchestrator loads them):
// the labelled requests of packages/recommender/bench/routing-set.json (English and Russian, with
// requests that must match nothing), top-1 and abstention per split and language (issue 7 target:
// top-1 ≥ 97 %). The recommender's own bench scores the same set against its seed manifests.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describeMachine } from '@skillos/bench'
import { compilePolicy } from '@skillos/policy'
import { createSkillOS, DEFAULT_POLICY_YAML } from '../dist/index.js'

const SKILLS = fileURLToPath(new URL('../../../skills', import.meta.url))
const SET = new URL('../../recommender/bench/routing-set.json', import.meta.url)

const set = JSON.parse(await readFile(SET, 'utf8'))
const os = await createSkillOS({
  skills: [SKILLS],
  database: 'memory://',
  policy: compilePolicy([{ path: 'default', text: DEFAULT_POLICY_YAML }]),
})
console.log(describeMachine())
console.log(
  `Routing over skills/ (${os.loader.list().length} skills), ${set.length} labelled requests`,
)
const rows = []
const misses = []
for (const split of ['dev', 'test']) {
  for (const lang of ['en', 'ru', 'all']) {
    const items = set.filter(
      (q) => q.split === split && (lang === 'all' || (lang === 'ru') === /[а-яё]/i.test(q.query)),
    )
    let inScope = 0
    let right = 0
    let outScope = 0
    let abstained = 0
    for (const item of items) {
      const route = await os.route(item.query, { tenant: 'bench' })
      if (item.skill) {
        inScope++
        if (route.skill === item.skill) right++
        else if (lang === 'all')
          misses.push(`${split} want ${item.skill}, got ${route.skill ?? 'none'}: ${item.query}`)
      } else {
        outScope++
        if (route.skill === null) abstained++
        else if (lang === 'all')
          misses.push(`${split} want none, got ${route.skill}: ${item.query}`)
      }
    }
    rows.push({
      split,
      lang,
      n: `${inScope} + ${outScope}`,
      top1: inScope ? (right / inScope).toFixed(3) : '–',
      abstain: outScope ? (abstained / outScope).toFixed(3) : '–',
      overall: ((right + abstained) / Math.max(1, items.length)).toFixed(3),
    })
  }
}
const pad = (s, n) => String(s).padEnd(n)
console.log(
  `${pad('split', 6)}${pad('lang', 5)}${pad('in + out', 10)}${pad('top-1', 8)}${pad('abstained', 11)}overall`,
)
for (const r of rows)
  console.log(
    `${pad(r.split, 6)}${pad(r.lang, 5)}${pad(r.n, 10)}${pad(r.top1, 8)}${pad(r.abstain, 11)}${r.overall}`,
  )
console.log(`target: top-1 ≥ 0.970 (issue 7)`)
console.log('Misses:')
for (const m of misses) console.log(`  ${m}`)
await os.close()
