import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PolicyLoadError } from './errors.js'
import { createPolicyEngine, type PolicyEngine, type PolicyReloadEvent } from './policy-engine.js'

const dirs: string[] = []
const engines: PolicyEngine[] = []
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'skillos-policy-engine-'))
  dirs.push(dir)
  return dir
}

const ann = { id: 'ann', tenant: 'acme', roles: ['analyst'] }
const report = { id: 'finance/report', tenant: 'acme' }
const audit = { id: 'audit', tenant: 'acme' }

const ROLES = 'version: 1\nroles:\n  analyst: {}\n'
const allow = (id: string, action: string) =>
  `version: 1\nrules:\n  - { id: ${id}, effect: allow, actions: [${action}], roles: [analyst] }\n`

/** Wait until `check` passes, polling; fail with its last error after `timeoutMs`. */
async function eventually(check: () => void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      check()
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
}

async function engineOn(
  paths: string | string[],
  options: { watch?: boolean } = {},
): Promise<{ engine: PolicyEngine; events: PolicyReloadEvent[]; logs: string[] }> {
  const events: PolicyReloadEvent[] = []
  const logs: string[] = []
  const engine = await createPolicyEngine({
    paths,
    watch: options.watch ?? false,
    debounceMs: 20,
    onReload: (event) => events.push(event),
    logger: {
      info: (_details, message) => logs.push(`info: ${message}`),
      error: (details, message) => logs.push(`error: ${message}: ${String(details.error)}`),
    },
  })
  engines.push(engine)
  return { engine, events, logs }
}

describe('createPolicyEngine', () => {
  it('loads every .yaml file of a folder and its subfolders, skipping hidden and other files', async () => {
    const dir = folder()
    mkdirSync(join(dir, 'tenants'))
    writeFileSync(join(dir, 'roles.yaml'), ROLES)
    writeFileSync(join(dir, 'tenants', 'run.yml'), allow('analysts-run', 'skill:run'))
    writeFileSync(join(dir, '.draft.yaml'), 'not: [valid')
    writeFileSync(join(dir, 'notes.txt'), 'not a policy')
    const { engine, logs } = await engineOn(dir)
    expect(engine.policy.files).toEqual([join(dir, 'roles.yaml'), join(dir, 'tenants', 'run.yml')])
    expect(engine.decide(ann, 'skill:run', report).ruleIds).toEqual(['analysts-run'])
    expect(logs).toEqual(['info: policy loaded'])
  })

  it('refuses to start on a broken policy, naming the file and line', async () => {
    const dir = folder()
    writeFileSync(join(dir, 'roles.yaml'), ROLES)
    writeFileSync(join(dir, 'run.yaml'), 'version: 1\nrules:\n  - { id: r, effect: allow }\n')
    const start = createPolicyEngine({ paths: dir })
    await expect(start).rejects.toBeInstanceOf(PolicyLoadError)
    await expect(start).rejects.toThrow(
      `${join(dir, 'run.yaml')}:3:5 rules[0].actions: is required`,
    )
    await expect(createPolicyEngine({ paths: join(dir, 'missing') })).rejects.toThrow(
      /missing:1:1: no such file or folder/,
    )
    const empty = folder()
    await expect(createPolicyEngine({ paths: empty })).rejects.toThrow(
      /the folder holds no \.yaml policy files/,
    )
  })

  it('swaps in a changed policy on reload and reports both versions', async () => {
    const dir = folder()
    writeFileSync(join(dir, 'roles.yaml'), ROLES)
    writeFileSync(join(dir, 'run.yaml'), allow('analysts-run', 'skill:run'))
    const { engine, events } = await engineOn(dir)
    const first = engine.version
    expect(engine.decide(ann, 'audit:read', audit).allowed).toBe(false)

    writeFileSync(join(dir, 'run.yaml'), allow('analysts-audit', 'audit:read'))
    const event = await engine.reload()
    expect(event).toEqual({
      ok: true,
      version: engine.version,
      previousVersion: first,
      files: [join(dir, 'roles.yaml'), join(dir, 'run.yaml')],
    })
    expect(engine.version).not.toBe(first)
    expect(engine.decide(ann, 'audit:read', audit).allowed).toBe(true)
    expect(engine.decide(ann, 'skill:run', report).allowed).toBe(false)
    expect(events).toEqual([event])

    // Nothing changed: nothing to report.
    await engine.reload()
    expect(events).toHaveLength(1)
  })

  it('keeps the working version when a reload finds a broken file, and reports why', async () => {
    const dir = folder()
    writeFileSync(join(dir, 'roles.yaml'), ROLES)
    writeFileSync(join(dir, 'run.yaml'), allow('analysts-run', 'skill:run'))
    const { engine, events, logs } = await engineOn(dir)
    const working = engine.version

    // One valid change and one broken file in the same reload: neither is used.
    writeFileSync(join(dir, 'audit.yaml'), allow('analysts-audit', 'audit:read'))
    writeFileSync(
      join(dir, 'run.yaml'),
      allow('analysts-run', 'skill:run').replace('allow', 'permit'),
    )
    const event = await engine.reload()
    expect(event.ok).toBe(false)
    if (event.ok) return
    expect(event.keptVersion).toBe(working)
    expect(event.error).toBeInstanceOf(PolicyLoadError)
    expect(event.error.message).toMatch(
      `${join(dir, 'run.yaml')}:3:33 rules[0].effect: Invalid option: expected one of "allow"|"deny"`,
    )
    expect(engine.version).toBe(working)
    expect(engine.decide(ann, 'skill:run', report).allowed).toBe(true)
    expect(engine.decide(ann, 'audit:read', audit).allowed).toBe(false)
    expect(events).toEqual([event])
    expect(logs.at(-1)).toMatch(/^error: policy reload failed; the previous version stays in use: /)

    writeFileSync(join(dir, 'run.yaml'), allow('analysts-run', 'skill:run'))
    expect((await engine.reload()).ok).toBe(true)
    expect(engine.decide(ann, 'audit:read', audit).allowed).toBe(true)
  })

  it('runs concurrent reloads one after another and ends on the files as they are', async () => {
    const dir = folder()
    writeFileSync(join(dir, 'roles.yaml'), ROLES)
    writeFileSync(join(dir, 'run.yaml'), allow('r0', 'skill:run'))
    const { engine } = await engineOn(dir)
    const reloads: Promise<PolicyReloadEvent>[] = []
    for (let i = 1; i <= 10; i++) {
      writeFileSync(join(dir, 'run.yaml'), allow(`r${i}`, 'skill:run'))
      reloads.push(engine.reload())
    }
    const results = await Promise.all(reloads)
    expect(results.every((result) => result.ok)).toBe(true)
    expect(engine.decide(ann, 'skill:run', report).ruleIds).toEqual(['r10'])
  })

  it('watches a folder: a change swaps, a broken save is refused, the fix swaps again', async () => {
    const dir = folder()
    writeFileSync(join(dir, 'roles.yaml'), ROLES)
    writeFileSync(join(dir, 'run.yaml'), allow('analysts-run', 'skill:run'))
    const { engine, events } = await engineOn(dir, { watch: true })

    writeFileSync(join(dir, 'run.yaml'), allow('analysts-audit', 'audit:read'))
    await eventually(() => expect(engine.decide(ann, 'audit:read', audit).allowed).toBe(true))
    const good = engine.version

    writeFileSync(join(dir, 'run.yaml'), 'version: 1\nrules: [oops\n')
    await eventually(() => expect(events.at(-1)?.ok).toBe(false))
    expect(engine.version).toBe(good)
    expect(engine.decide(ann, 'audit:read', audit).allowed).toBe(true)

    mkdirSync(join(dir, 'more'))
    writeFileSync(join(dir, 'run.yaml'), allow('analysts-run', 'skill:run'))
    writeFileSync(join(dir, 'more', 'audit.yaml'), allow('analysts-audit', 'audit:read'))
    await eventually(() => {
      expect(engine.decide(ann, 'skill:run', report).allowed).toBe(true)
      expect(engine.decide(ann, 'audit:read', audit).allowed).toBe(true)
    })
  })

  it('watches a single file, also when an editor replaces it by renaming', async () => {
    const dir = folder()
    const file = join(dir, 'policy.yaml')
    writeFileSync(file, `${ROLES}${allow('analysts-run', 'skill:run').replace('version: 1\n', '')}`)
    const { engine } = await engineOn(file, { watch: true })
    expect(engine.decide(ann, 'skill:run', report).allowed).toBe(true)

    writeFileSync(
      join(dir, 'policy.yaml.tmp'),
      `${ROLES}${allow('a', 'audit:read').replace('version: 1\n', '')}`,
    )
    renameSync(join(dir, 'policy.yaml.tmp'), file)
    await eventually(() => expect(engine.decide(ann, 'audit:read', audit).allowed).toBe(true))
    expect(engine.decide(ann, 'skill:run', report).allowed).toBe(false)
  })

  it('stops watching when closed', async () => {
    const dir = folder()
    writeFileSync(join(dir, 'roles.yaml'), ROLES)
    writeFileSync(join(dir, 'run.yaml'), allow('analysts-run', 'skill:run'))
    const { engine, events } = await engineOn(dir, { watch: true })
    engine.close()
    const version = engine.version
    writeFileSync(join(dir, 'run.yaml'), allow('analysts-audit', 'audit:read'))
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(engine.version).toBe(version)
    expect(events).toEqual([])
  })
})
