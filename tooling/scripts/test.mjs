#!/usr/bin/env node
// `pnpm test`: build, typecheck, lint and test every workspace package through turbo, then sum the
// vitest JSON reports into one plain closing line: "N passed, N failed, N skipped".
// Exits non-zero when turbo failed, any test failed, or no test ran at all.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, readdir, rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const REPORT = '.vitest-report.json'

async function packageDirs() {
  const dirs = []
  const walk = async (dir, depth) => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
    if (entries.some((e) => e.name === 'package.json')) dirs.push(dir)
    if (depth === 0) return
    for (const e of entries) {
      if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) {
        await walk(join(dir, e.name), depth - 1)
      }
    }
  }
  for (const group of ['packages', 'apps', 'tooling']) await walk(join(root, group), 1)
  await walk(join(root, 'skills'), 2)
  return dirs
}

// From a clean clone `pnpm test` installs the workspace first, so it is a complete command on its own.
if (!existsSync(join(root, 'node_modules', '.bin', 'turbo'))) {
  const pnpm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['pnpm']
  const install = spawnSync(pnpm[0], [...pnpm.slice(1), 'install', '--frozen-lockfile'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (install.status !== 0) process.exit(install.status ?? 1)
}

const dirs = await packageDirs()
await Promise.all(dirs.map((dir) => rm(join(dir, REPORT), { force: true })))

const extra = process.argv.slice(2)
const turbo = spawnSync(
  'pnpm',
  [
    'exec',
    'turbo',
    'run',
    'build',
    'typecheck',
    'lint',
    'test',
    '--continue',
    // Two cores: more tasks at once only add memory and time-outs, not speed.
    '--concurrency=3',
    '--output-logs=new-only',
    ...extra,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, SKILLOS_TEST_REPORT: '1' } },
)

// Formatting is part of the house style: an unformatted file fails the run like a lint error.
const format = spawnSync('pnpm', ['exec', 'prettier', '--check', '--log-level=warn', '.'], {
  cwd: root,
  stdio: 'inherit',
})
if (format.status !== 0) console.error('prettier: run `pnpm format` to fix the files listed above')

let passed = 0
let failed = 0
let skipped = 0
let reports = 0
const failing = []
for (const dir of dirs) {
  const text = await readFile(join(dir, REPORT), 'utf8').catch(() => null)
  if (text === null) continue
  const report = JSON.parse(text)
  reports += 1
  passed += report.numPassedTests
  failed += report.numFailedTests
  skipped += report.numPendingTests + report.numTodoTests
  if (report.numFailedTests > 0 || report.success === false) failing.push(relative(root, dir))
}

console.log('')
if (turbo.status !== 0) console.error(`turbo exited with ${turbo.status ?? turbo.signal}`)
if (failing.length) console.error(`failing packages: ${failing.join(', ')}`)
if (reports === 0) console.error('no vitest report was written: no test ran')
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(
  turbo.status !== 0 || format.status !== 0 || failed > 0 || failing.length > 0 || reports === 0
    ? 1
    : 0,
)
