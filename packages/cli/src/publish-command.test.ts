import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateSigningKeys, verifySignature } from '@skillos/registry'
import { describe, expect, it } from 'vitest'
import type { CliFixture } from './cli-fixture.test-data.js'
import type { PublishJson } from './publish-command.js'
import {
  type ConfigHome,
  useRegistryCli,
  type MemoryRegistry,
} from './registry-fixture.test-data.js'

let fixture: CliFixture
let home: ConfigHome
let registry: MemoryRegistry
useRegistryCli((state) => ({ fixture, home, registry } = state))

const env = (extra: Record<string, string> = {}) => ({
  USER: 'ann',
  XDG_CONFIG_HOME: home.dir,
  SKILLOS_REGISTRY_URL: registry.url,
  ...extra,
})

describe('skillos publish', () => {
  it('refuses to upload without a login, saying how to log in', async () => {
    const result = await fixture.cli(['publish', 'skills/finance/convert'], {
      env: env(),
      fetch: registry.fetch,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'skillos: UNAUTHENTICATED: Not logged in to http://registry.test; run skillos login --registry http://registry.test (or set SKILLOS_REGISTRY_TOKEN)',
    )
    expect(registry.requests).toEqual([])
  })

  it('packs, uploads and prints id@version and the integrity; the same version again is a conflict', async () => {
    const io = { env: env({ SKILLOS_REGISTRY_TOKEN: registry.token }), fetch: registry.fetch }
    const result = await fixture.cli(['publish', 'skills/finance/convert'], io)
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines[0]).toBe('published finance/convert@1.0.0 to http://registry.test (latest)')
    expect(lines[1]).toMatch(/^ {2}integrity sha512-[A-Za-z0-9+/]+={0,2}$/)
    expect(lines[2]).toMatch(/^ {2}2 files, \d+ bytes packed$/)

    const again = await fixture.cli(['publish', 'skills/finance/convert'], io)
    expect(again.code).toBe(1)
    expect(again.stderr).toBe(
      'skillos: CONFLICT: finance/convert@1.0.0 was already published; versions are immutable',
    )
  })

  it('signs with registry.signingKey and reports it in --json', async () => {
    const keys = generateSigningKeys()
    await writeFile(
      join(fixture.base, 'publisher.pem'),
      keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    )
    const result = await fixture.cli(
      ['publish', 'skills/travel/flights', '--tag', 'beta', '--json'],
      {
        env: env({
          SKILLOS_REGISTRY_TOKEN: registry.token,
          SKILLOS_REGISTRY_SIGNING_KEY: 'publisher.pem',
        }),
        fetch: registry.fetch,
      },
    )
    expect(result.code).toBe(0)
    const json = JSON.parse(result.stdout) as PublishJson
    expect(json).toMatchObject({
      id: 'travel/flights',
      version: '1.0.0',
      registry: 'http://registry.test',
      signedBy: keys.keyId,
      distTags: { beta: '1.0.0' },
      files: 2,
    })
    const packument = (await (await registry.fetch(`${registry.url}/travel/flights`)).json()) as {
      versions: Record<
        string,
        { signature: { keyId: string; algorithm: 'ed25519'; value: string } }
      >
    }
    const signature = packument.versions['1.0.0']!.signature
    expect(() => verifySignature(json.integrity, signature, [keys.publicKey])).not.toThrow()
  })

  it('says which file is missing when the signing key cannot be read', async () => {
    const result = await fixture.cli(['publish', 'skills/finance/convert'], {
      env: env({
        SKILLOS_REGISTRY_TOKEN: registry.token,
        SKILLOS_REGISTRY_SIGNING_KEY: 'nope.pem',
      }),
      fetch: registry.fetch,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `skillos: NOT_FOUND: registry.signingKey: cannot read ${join(fixture.base, 'nope.pem')} (ENOENT); fix the path in skillos.config.* (or the SKILLOS_REGISTRY_* variable)`,
    )
  })

  it('is bad usage to give a version as a dist-tag', async () => {
    const result = await fixture.cli(['publish', '--tag', '1.2.0'], { env: env() })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('a dist-tag is a word such as beta or next')
  })
})
