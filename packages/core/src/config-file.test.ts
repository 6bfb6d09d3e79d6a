import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SkillOSError, type ConfigError } from '@skillos/contracts'
import { afterEach, describe, expect, it } from 'vitest'
import { findConfigFile, loadConfig } from './config-file.js'

const dirs: string[] = []
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'skillos-config-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(SkillOSError.is(error, 'CONFIG_INVALID'), `got ${String(error)}`).toBe(true)
  return error as ConfigError
}

describe('loadConfig', () => {
  it('uses the defaults when there is no file and no variable', async () => {
    const cwd = project({})
    const { config, file } = await loadConfig({ cwd, env: {} })
    expect(file).toBeUndefined()
    expect(config.database.url).toBe('pglite://./.skillos/db')
  })

  it('reads skillos.config.yaml, and lets SKILLOS_* variables win', async () => {
    const cwd = project({
      'skillos.config.yaml': 'database:\n  url: memory://\nserver:\n  port: 4000\n',
    })
    const { config, file } = await loadConfig({ cwd, env: { SKILLOS_PORT: '4100' } })
    expect(file).toBe(join(cwd, 'skillos.config.yaml'))
    expect(config.database.url).toBe('memory://')
    expect(config.server.port).toBe(4100)
  })

  it('reads a typed skillos.config.ts without a build step', async () => {
    const cwd = project({
      'skillos.config.ts': `const port: number = 4200\nexport default { server: { port }, log: { level: 'debug' as const } }\n`,
    })
    const { config } = await loadConfig({ cwd, env: {} })
    expect(config.server.port).toBe(4200)
    expect(config.log.level).toBe('debug')
  })

  it('reads skillos.config.json and a file named by SKILLOS_CONFIG', async () => {
    const cwd = project({
      'custom.json': JSON.stringify({ redis: { url: 'redis://127.0.0.1:6380' } }),
    })
    const { config, file } = await loadConfig({ cwd, env: { SKILLOS_CONFIG: 'custom.json' } })
    expect(file).toBe(join(cwd, 'custom.json'))
    expect(config.redis.url).toBe('redis://127.0.0.1:6380')
  })

  it('names the file, line and column of broken YAML', async () => {
    const cwd = project({ 'skillos.config.yaml': 'database:\n  url: memory://\n   port: [\n' })
    const error = await configError(loadConfig({ cwd, env: {} }))
    expect(error.message).toContain(join(cwd, 'skillos.config.yaml'))
    expect(error.message).toMatch(/is not valid YAML at line \d+, column \d+/)
  })

  it('names the file and key of a wrong type, and creates nothing', async () => {
    const cwd = project({ 'skillos.config.json': JSON.stringify({ database: { url: 42 } }) })
    const error = await configError(loadConfig({ cwd, env: {} }))
    expect(error.issues[0]?.path).toBe(`${join(cwd, 'skillos.config.json')}: database.url`)
    expect(existsSync(join(cwd, '.skillos'))).toBe(false)
  })

  it('refuses two config files side by side, and a missing SKILLOS_CONFIG file', async () => {
    const cwd = project({ 'skillos.config.json': '{}', 'skillos.config.yaml': '{}' })
    expect(() => findConfigFile({ cwd })).toThrow(
      /several config files .*skillos\.config\.json, skillos\.config\.yaml/,
    )
    const error = await configError(loadConfig({ cwd, env: { SKILLOS_CONFIG: 'nope.yaml' } }))
    expect(error.message).toContain('nope.yaml: does not exist')
  })

  it('reports a config file that throws while loading', async () => {
    const cwd = project({ 'skillos.config.mjs': `throw new Error('boom at load')\n` })
    const error = await configError(loadConfig({ cwd, env: {} }))
    expect(error.message).toContain('could not be loaded (boom at load)')
  })
})
