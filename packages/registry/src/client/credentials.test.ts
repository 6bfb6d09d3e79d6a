import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  credentialsPath,
  readCredentials,
  removeCredential,
  saveCredential,
  savedToken,
} from './credentials.js'

const TOKEN = 'skr_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
let xdg: string
let file: string
beforeEach(async () => {
  xdg = await mkdtemp(join(tmpdir(), 'skillos-xdg-'))
  file = credentialsPath({ XDG_CONFIG_HOME: xdg })
})
afterEach(() => rm(xdg, { recursive: true, force: true }))

describe('credentials', () => {
  it('lives under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(credentialsPath({ XDG_CONFIG_HOME: '/x/config' }, '/home/ann')).toBe(
      '/x/config/skillos/credentials.yaml',
    )
    expect(credentialsPath({}, '/home/ann')).toBe('/home/ann/.config/skillos/credentials.yaml')
    expect(credentialsPath({ XDG_CONFIG_HOME: ' ' }, '/home/ann')).toBe(
      '/home/ann/.config/skillos/credentials.yaml',
    )
  })

  it('saves a token per registry URL in a file only its owner can read', async () => {
    await saveCredential(file, 'http://127.0.0.1:4873/', { token: TOKEN, user: 'alice' })
    await saveCredential(file, 'https://skills.acme.example', { token: 'skr_other' })
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect((await stat(dirname(file))).mode & 0o777).toBe(0o700)
    expect(await savedToken(file, 'http://127.0.0.1:4873')).toBe(TOKEN)
    expect(await savedToken(file, 'https://skills.acme.example/')).toBe('skr_other')
    expect(await savedToken(file, 'http://elsewhere.test')).toBeUndefined()
    const saved = await readCredentials(file)
    expect(Object.keys(saved.registries)).toEqual([
      'http://127.0.0.1:4873',
      'https://skills.acme.example',
    ])
    expect(saved.registries['http://127.0.0.1:4873']).toMatchObject({ token: TOKEN, user: 'alice' })
  })

  it('replaces a login, and forgets one on logout', async () => {
    await saveCredential(file, 'http://r.test', { token: 'skr_first' })
    await saveCredential(file, 'http://r.test', { token: 'skr_second' })
    expect(await savedToken(file, 'http://r.test')).toBe('skr_second')
    expect(await removeCredential(file, 'http://r.test/')).toBe(true)
    expect(await removeCredential(file, 'http://r.test')).toBe(false)
    expect(await savedToken(file, 'http://r.test')).toBeUndefined()
    expect(await readFile(file, 'utf8')).not.toContain('skr_')
  })

  it('names the file and field of a broken credentials file, never the token', async () => {
    await saveCredential(file, 'http://r.test', { token: TOKEN })
    await writeFile(file, `registries:\n  http://r.test:\n    token: ${TOKEN}\n    extra: 1\n`)
    const error = (await readCredentials(file).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error
    expect(error.message).toBe(
      `Cannot read saved logins in ${file}: registries.http://r.test is not valid; fix it, or delete the file and run skillos login again`,
    )
    expect(error.message).not.toContain(TOKEN)
  })
})
