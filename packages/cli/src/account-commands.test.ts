import { describe, expect, it } from 'vitest'
import type { CliFixture } from './cli-fixture.test-data.js'
import {
  type ConfigHome,
  useRegistryCli,
  registryIo,
  type MemoryRegistry,
} from './registry-fixture.test-data.js'

let fixture: CliFixture
let home: ConfigHome
let registry: MemoryRegistry
useRegistryCli((state) => ({ fixture, home, registry } = state))

const io = (token: string | undefined = registry.token) => registryIo(home, registry, token)

describe('skillos whoami', () => {
  it('prints the user and role of the token in use', async () => {
    const result = await fixture.cli(['whoami'], io())
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toBe('alice (publish) on http://registry.test')
    const json = await fixture.cli(['whoami', '--json'], io())
    expect(JSON.parse(json.stdout)).toEqual({
      user: 'alice',
      role: 'publish',
      registry: 'http://registry.test',
    })
  })

  it('says how to log in without a token, and names a refused one', async () => {
    const none = await fixture.cli(['whoami'], io(''))
    expect(none.code).toBe(1)
    expect(none.stderr).toBe(
      'skillos: UNAUTHENTICATED: Not logged in to http://registry.test; run skillos login --registry http://registry.test (or set SKILLOS_REGISTRY_TOKEN)',
    )
    const bad = await fixture.cli(['whoami'], io('skr_notavalidtoken0000000000000000000000000000'))
    expect(bad.code).toBe(1)
    expect(bad.stderr).toBe(
      'skillos: UNAUTHENTICATED: Invalid or revoked token; log in with skillos login --registry http://registry.test (or set SKILLOS_REGISTRY_TOKEN)',
    )
  })
})

describe('skillos token', () => {
  it('creates a read-only token shown once, lists it, and revokes it so it stops working', async () => {
    const created = await fixture.cli(['token', 'create', '--read-only', '--name', 'ci'], io())
    expect(created.code, created.stderr).toBe(0)
    const [head, secret, tail] = created.stdout.split('\n')
    expect(head).toBe('created token tok-1 "ci" (read) for alice on http://registry.test')
    expect(secret).toMatch(/^skr_[A-Za-z0-9_-]{43}$/)
    expect(tail).toBe(
      'Store it now: it is not shown again. Revoke it with skillos token revoke tok-1',
    )

    const asReader = await fixture.cli(['whoami'], io(secret))
    expect(asReader.stdout).toBe('alice (read) on http://registry.test')
    const denied = await fixture.cli(['deprecate', 'acme/hello', 'old'], io(secret))
    expect(denied.code).toBe(1)
    expect(denied.stderr).toBe(
      'skillos: PERMISSION_DENIED: A read token cannot change the registry (user alice); ask an owner of the scope for access, or use a token with the publish role',
    )

    const escalate = await fixture.cli(['token', 'create'], io(secret))
    expect(escalate.code).toBe(1)
    expect(escalate.stderr).toBe(
      'skillos: PERMISSION_DENIED: A read token cannot create a publish token; pass --read-only, or log in with a publish token',
    )

    const ls = await fixture.cli(['token', 'ls'], io())
    expect(ls.stdout.split('\n')).toEqual([
      'tok-0  fixture  publish  alice  created 2026-01-01T00:00:00.000Z',
      expect.stringMatching(/^tok-1 {2}ci {2}read {2}alice {2}created \d{4}-\d\d-\d\dT/),
    ])
    expect(ls.stdout).not.toContain(secret)

    const revoked = await fixture.cli(['token', 'revoke', 'tok-1'], io())
    expect(revoked.code, revoked.stderr).toBe(0)
    expect(revoked.stdout).toBe('revoked token tok-1 on http://registry.test')
    const json = await fixture.cli(['token', 'ls', '--json'], io())
    const tokens = JSON.parse(json.stdout) as { id: string; revokedAt?: string }[]
    expect(tokens.find((t) => t.id === 'tok-1')?.revokedAt).toEqual(expect.any(String))
    expect((await fixture.cli(['whoami'], io(secret))).code).toBe(1)
  })

  it('creates a publish token by default, printing JSON with the secret when asked', async () => {
    const result = await fixture.cli(['token', 'create', '--json'], io())
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      id: 'tok-1',
      name: 'cli',
      role: 'publish',
      user: 'alice',
      token: expect.stringMatching(/^skr_/),
      registry: 'http://registry.test',
    })
  })

  it("passes on the registry's refusal, and refuses a secret given as an id", async () => {
    const missing = await fixture.cli(['token', 'revoke', 'tok-9'], io())
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe('skillos: NOT_FOUND: Token tok-9 was not found')
    const secret = await fixture.cli(['token', 'revoke', registry.token], io())
    expect(secret.code).toBe(2)
    expect(secret.stderr).toBe(
      'skillos: token revoke takes the token id shown by skillos token ls, not the secret itself (which is not echoed here)',
    )
    expect(secret.stderr).not.toContain(registry.token.slice(4))
    const noName = await fixture.cli(['token', 'create', '--name', ' '], io())
    expect(noName.code).toBe(2)
    expect(noName.stderr).toContain('a token name is 1–100 characters')
  })
})

describe('skillos scope', () => {
  /** Publishing the first skill of a scope makes alice its owner. */
  async function ownScope() {
    await fixture.write(
      'pub/acme/hello/skill.yaml',
      JSON.stringify({ id: 'acme/hello', version: '1.0.0', name: 'Hello', description: 'Hello' }),
    )
    await fixture.write('pub/acme/hello/index.ts', 'export default { handler: () => ({}) }\n')
    expect((await fixture.cli(['publish', 'pub/acme/hello'], io())).code).toBe(0)
  }

  it('lists, adds and removes members', async () => {
    await ownScope()
    const add = await fixture.cli(
      ['scope', 'add-member', 'acme', 'bob', '--role', 'publisher'],
      io(),
    )
    expect(add.code, add.stderr).toBe(0)
    expect(add.stdout).toBe(
      [
        'bob is now publisher of scope acme on http://registry.test',
        'scope acme (public)',
        '  alice  owner',
        '  bob  publisher',
      ].join('\n'),
    )
    const members = await fixture.cli(['scope', 'members', 'acme', '--json'], io(''))
    expect(JSON.parse(members.stdout)).toMatchObject({
      scope: 'acme',
      members: [
        { user: 'alice', role: 'owner' },
        { user: 'bob', role: 'publisher' },
      ],
    })
    const rm = await fixture.cli(['scope', 'rm-member', 'acme', 'bob'], io())
    expect(rm.stdout).toBe(
      'removed bob from scope acme on http://registry.test\nscope acme (public)\n  alice  owner',
    )
  })

  it('keeps the last owner, with the registry saying why', async () => {
    await ownScope()
    const result = await fixture.cli(['scope', 'rm-member', 'acme', 'alice'], io())
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'skillos: CONFLICT: alice is the last owner of scope acme; add another owner first',
    )
  })

  it('wants a known role and a scope name', async () => {
    const role = await fixture.cli(['scope', 'add-member', 'acme', 'bob', '--role', 'boss'], io())
    expect(role.code).toBe(2)
    expect(role.stderr).toContain(
      "error: option '--role <role>' argument 'boss' is invalid. Allowed choices are reader, publisher, owner.",
    )
    const missing = await fixture.cli(['scope', 'add-member', 'acme', 'bob'], io())
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("error: required option '--role <role>' not specified")
    const scope = await fixture.cli(['scope', 'members', 'Acme/x'], io())
    expect(scope.code).toBe(2)
    expect(scope.stderr).toContain("argument 'scope'. a scope is lowercase letters")
    expect(registry.requests).toEqual([])
  })
})
