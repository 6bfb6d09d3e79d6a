// Benchmarks of the BUILT @skillos/registry (`pnpm bench` builds first): how long a process takes to
// load 1,000 skill folders from cold (issue 5 target < 2 s), how long a reload takes from a saved
// file to the new version being served (target < 200 ms), and, side by side as the peer, the same
// cold load importing handlers with jiti (what `skillos.config.ts` loading uses) instead of esbuild.
//
//   SKILLOS_BENCH_SCALE   multiplies the repeated counts (default 1)
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBenchScale, describeMachine, measure, printTable } from '@skillos/bench'
import { createSkillLoader, generateSigningKeys, packSkill, unpackSkill } from '../dist/index.js'

const SKILLS = 1_000
const COLD_RUNS = Number(process.env.SKILLOS_BENCH_COLD_RUNS ?? 3)
const { scaled, describe: describeCounts } = createBenchScale(process.env.SKILLOS_BENCH_SCALE)
const RELOADS = { iterations: 30, warmup: 3 }
const here = fileURLToPath(new URL('.', import.meta.url))

function manifest(i) {
  return `id: bench/skill-${i}
version: 1.${i % 7}.0
name: Bench skill ${i}
description: Converts amount number ${i} between two currencies for the benchmark
tags: [bench, finance]
examples:
  - convert ${i} euro to rubles
  - переведи ${i} долларов в рубли
input:
  type: object
  properties:
    amount: { type: number, minimum: 0 }
    from: { type: string, minLength: 3, maxLength: 3 }
    to: { type: string, minLength: 3, maxLength: 3 }
  required: [amount, from, to]
output:
  type: object
  properties:
    amount: { type: number }
  required: [amount]
`
}

function handler(i, factor = 1) {
  return `import { z } from 'zod'
import { round } from './lib/round.js'

const rate = ${i % 97} + ${factor}

export default {
  input: z.object({ amount: z.number().min(0), from: z.string().length(3), to: z.string().length(3) }),
  output: z.object({ amount: z.number() }),
  handler: ({ amount }: { amount: number; from: string; to: string }) => ({ amount: round(amount * rate) }),
}
`
}

const LIB = 'export const round = (n: number): number => Math.round(n * 100) / 100\n'

async function createSkills(count) {
  const base = await mkdtemp(join(tmpdir(), 'skillos-bench-loader-'))
  await symlink(join(here, '..', 'node_modules'), join(base, 'node_modules'), 'dir')
  const root = join(base, 'skills')
  for (let i = 0; i < count; i++) {
    const dir = join(root, `domain-${i % 20}`, `skill-${i}`)
    await mkdir(join(dir, 'lib'), { recursive: true })
    await writeFile(join(dir, 'skill.yaml'), manifest(i))
    await writeFile(join(dir, 'index.ts'), handler(i))
    await writeFile(join(dir, 'lib', 'round.ts'), LIB)
  }
  return { base, root }
}

/** One cold load in a fresh process: its wall time in ms, as the child measured it. */
function coldLoad(root, mode) {
  const script =
    mode === 'esbuild'
      ? `import { createSkillLoader } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)}
const t = performance.now()
const loader = createSkillLoader({ roots: [${JSON.stringify(root)}] })
const report = await loader.load()
if (report.failed.length || report.loaded.length !== ${SKILLS}) { console.error(JSON.stringify(report.failed[0])); process.exit(1) }
console.log(performance.now() - t)
await loader.close()`
      : `import { createJiti } from 'jiti'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
const t = performance.now()
const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false })
let n = 0
for (const domain of readdirSync(${JSON.stringify(root)})) for (const skill of readdirSync(join(${JSON.stringify(root)}, domain))) {
  const mod = await jiti.import(join(${JSON.stringify(root)}, domain, skill, 'index.ts'))
  if (typeof mod.default.handler === 'function') n++
}
if (n !== ${SKILLS}) process.exit(1)
console.log(performance.now() - t)`
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: here,
    encoding: 'utf8',
  })
  return Number(out.trim())
}

function row(name, samples, extra = {}) {
  const sorted = [...samples].sort((a, b) => a - b)
  const p50 = sorted[Math.floor((sorted.length - 1) / 2)]
  const p99 = sorted[sorted.length - 1]
  return {
    name,
    iterations: samples.length,
    concurrency: 1,
    opsPerSec: 1000 / p50,
    p50Us: p50 * 1000,
    p99Us: p99 * 1000,
    meanUs: (samples.reduce((a, b) => a + b, 0) / samples.length) * 1000,
    ...extra,
  }
}

async function main() {
  console.log(describeMachine())
  const { base, root } = await createSkills(SKILLS)
  try {
    const esbuild = []
    const jiti = []
    for (let run = 0; run < COLD_RUNS; run++) {
      esbuild.push(coldLoad(root, 'esbuild'))
      jiti.push(coldLoad(root, 'jiti'))
    }
    if (COLD_RUNS > 0) {
      const cold = row(`cold load, ${SKILLS} skills (manifest + esbuild + checks)`, esbuild, {
        target: '< 2 s',
      })
      cold.meets = cold.p50Us < 2_000_000
      printTable(
        `Skill loader: cold load in a fresh process — ${COLD_RUNS} runs each (p99 = slowest)`,
        [
          row(`import ${SKILLS} handlers with jiti (peer, no checks)`, jiti),
          { ...cold, peer: `import ${SKILLS} handlers with jiti (peer, no checks)` },
        ],
      )
    }

    const loader = createSkillLoader({ roots: [root], watch: true })
    await loader.load()
    await loader.ready()
    const dir = join(root, 'domain-3', 'skill-3')
    const counts = scaled(RELOADS)
    const reload = await measure(
      'edit index.ts → new version served',
      (i) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no reload within 5 s')), 5000)
          const off = loader.on((event) => {
            if (process.env.DEBUG_BENCH)
              console.log(
                event.type,
                event.skill?.dir ?? event.failure?.dir ?? event.id,
                loader.list().length,
                event.failure?.problems,
              )
            if (event.type !== 'skill.reloaded' || event.skill.dir !== dir) return
            clearTimeout(timer)
            off()
            resolve(event)
          })
          void writeFile(join(dir, 'index.ts'), handler(3, i + 2))
        }),
      counts,
    )
    printTable(
      `Skill loader: hot reload with ${SKILLS} skills loaded — ${describeCounts(RELOADS)}`,
      [{ ...reload, target: '< 200 ms', meets: reload.p99Us < 200_000 }],
    )
    await loader.close()

    const keys = generateSigningKeys()
    const packCounts = scaled({ iterations: 200, warmup: 20 })
    const pack = await measure(
      'pack + sha512 + Ed25519 sign',
      () => packSkill(dir, { signingKey: keys.privateKey }),
      packCounts,
    )
    const packed = await packSkill(dir, { signingKey: keys.privateKey })
    const out = join(base, 'unpacked')
    const unpack = await measure(
      'verify integrity + signature, check entries, unpack',
      (i) =>
        unpackSkill(packed.tarball, join(out, String(i)), {
          integrity: packed.integrity,
          signature: packed.signature,
          trustedKeys: [keys.publicKey],
        }),
      packCounts,
    )
    printTable(
      `Packing one skill folder (${packed.files.length} files, ${packed.tarball.length} B .tgz) — ${describeCounts({ iterations: 200, warmup: 20 })}`,
      [pack, unpack],
    )
  } finally {
    await rm(base, { recursive: true, force: true })
  }
}

await main()
