import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CliFixture } from './cli-fixture.test-data.js'
import {
  type ConfigHome,
  useRegistryCli,
  type MemoryRegistry,
} from './registry-fixture.test-data.js'

let fixture: CliFixture
let home: ConfigHome
let registry: MemoryRegistry
useRegistryCli((state) => ({ fixture, home, registry } = state))

const credentials = () => join(home.dir, 'skillos', 'credentials.yaml')
const io = (extra: Record<string, unknown> = {}) => ({
  env: { USER: 'ann', XDG_CONFIG_HOME: home.dir },
  fetch: registry.fetch,
  ...extra,
})

describe('skillos login', () => {
  it('checks the token with whoami, saves it readable by the owner only, and never prints it', async () => {
    const result = await fixture.cli(
      ['login', '--registry', 'http://registry.test/', '--token', registry.token],
      io(),
    )
    expect(result).toEqual({
      code: 0,
      stdout: `Logged in to http://registry.test as alice (publish); the token is saved in ${credentials()}`,
      stderr: '',
    })
    expect(registry.requests).toEqual([
      { method: 'GET', path: '/-/whoami', authorization: `Bearer ${registry.token}` },
    ])
    expect((await stat(credentials())).mode & 0o777).toBe(0o600)
    expect(await readFile(credentials(), 'utf8')).toContain(`token: ${registry.token}`)
  })

  it('reads the token from stdin when it is piped', async () => {
    const stdin = Readable.from([`${registry.token}\n`])
    const result = await fixture.cli(['login', '--registry', 'http://registry.test'], io({ stdin }))
    expect(result.code).toBe(0)
    expect(await readFile(credentials(), 'utf8')).toContain(registry.token)
  })

  it('asks for the token on a terminal without echoing it', async () => {
    const modes: boolean[] = []
    const stdin = Object.assign(new PassThrough(), {
      isTTY: true,
      setRawMode: (raw: boolean) => modes.push(raw),
    })
    setTimeout(() => stdin.write(`${registry.token}x\u007f\r`), 10)
    const result = await fixture.cli(['login', '--registry', 'http://registry.test'], io({ stdin }))
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toBe('Registry token (skr_…, input hidden): ')
    expect(result.stdout).not.toContain(registry.token)
    expect(modes).toEqual([true, false])
    expect(await readFile(credentials(), 'utf8')).toContain(`token: ${registry.token}\n`)
  })

  it('saves nothing when the registry refuses the token', async () => {
    const result = await fixture.cli(
      ['login', '--registry', 'http://registry.test', '--token', 'skr_wrong'],
      io(),
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'skillos: UNAUTHENTICATED: http://registry.test refused this token (mistyped, revoked, or for another registry); nothing was saved',
    )
    await expect(stat(credentials())).rejects.toThrow('ENOENT')
  })

  it('names the registry it cannot reach', async () => {
    const result = await fixture.cli(
      ['login', '--registry', 'http://elsewhere.test', '--token', registry.token],
      io(),
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'skillos: UNAVAILABLE: Cannot reach the registry at http://elsewhere.test (fetch failed); check the URL (--registry, registry.url or SKILLOS_REGISTRY_URL) and that the registry is running',
    )
  })

  it('is bad usage without a registry, or with a URL that is not http(s)', async () => {
    const none = await fixture.cli(['login', '--token', registry.token], io())
    expect(none.code).toBe(2)
    expect(none.stderr).toBe(
      'skillos: no registry given: pass --registry URL, or set registry.url in skillos.config.* (or SKILLOS_REGISTRY_URL)',
    )
    const bad = await fixture.cli(['login', '--registry', 'ftp://x'], io())
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("option '--registry <url>' argument 'ftp://x' is invalid")
  })

  it('uses SKILLOS_REGISTRY_URL when --registry is not given, and logout forgets the token', async () => {
    const env = {
      USER: 'ann',
      XDG_CONFIG_HOME: home.dir,
      SKILLOS_REGISTRY_URL: 'http://registry.test',
    }
    expect((await fixture.cli(['login', '--token', registry.token], io({ env }))).code).toBe(0)
    expect(await fixture.cli(['logout'], io({ env }))).toEqual({
      code: 0,
      stdout: 'Logged out of http://registry.test',
      stderr: '',
    })
    expect(await readFile(credentials(), 'utf8')).not.toContain('skr_')
    expect((await fixture.cli(['logout'], io({ env }))).stdout).toBe(
      'No saved login for http://registry.test; nothing to forget',
    )
  })
})
