import { describe, expect, it } from 'vitest'
import { configSchema, redactConfig, resolveConfig } from './config.js'
import type { ConfigError } from './errors.js'
import { SkillOSError } from './errors.js'

function configError(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    expect(SkillOSError.is(error, 'CONFIG_INVALID')).toBe(true)
    return error as ConfigError
  }
  throw new Error('expected a configuration error')
}

describe('resolveConfig', () => {
  it('needs no services by default: embedded PGlite, in-process counters, local embedder', () => {
    const config = resolveConfig()
    expect(config.database.url).toBe('pglite://./.skillos/db')
    expect(config.redis.url).toBeUndefined()
    expect(config.embedder.provider).toBe('local')
    expect(config.skills.roots).toEqual(['./skills'])
    expect(config.server).toEqual({ host: '127.0.0.1', port: 3000 })
    expect(config.log.level).toBe('info')
    expect(configSchema.parse({})).toEqual(config)
  })

  it('layers defaults < config file < SKILLOS_* variables', () => {
    const config = resolveConfig({
      file: {
        path: 'skillos.config.yaml',
        data: { database: { url: 'memory://' }, server: { port: 4000, host: '0.0.0.0' } },
      },
      env: {
        SKILLOS_PORT: '5000',
        SKILLOS_REDIS_URL: 'redis://127.0.0.1:6379',
        SKILLOS_SKILLS: './a, ./b',
        PATH: '/bin',
      },
    })
    expect(config.database.url).toBe('memory://')
    expect(config.server).toEqual({ host: '0.0.0.0', port: 5000 })
    expect(config.redis.url).toBe('redis://127.0.0.1:6379')
    expect(config.skills.roots).toEqual(['./a', './b'])
  })

  it('treats an empty variable as unset, and ignores SKILLOS_CONFIG and SKILLOS_TEST_* variables', () => {
    const config = resolveConfig({
      env: {
        SKILLOS_REDIS_URL: '',
        SKILLOS_CONFIG: './x.yaml',
        SKILLOS_TEST_DATABASE_URL: 'postgres://x/y',
      },
    })
    expect(config.redis.url).toBeUndefined()
  })

  it('names the variable and the allowed schemes for an unknown URL scheme', () => {
    const error = configError(() =>
      resolveConfig({ env: { SKILLOS_DATABASE_URL: 'mysql://root@db/skillos' } }),
    )
    expect(error.issues).toEqual([
      {
        path: 'SKILLOS_DATABASE_URL (database.url)',
        message:
          'unknown scheme "mysql:" in "mysql://root@db/skillos"; allowed: postgres:, postgresql:, pglite:, memory: (e.g. postgres://user@host:5432/skillos)',
      },
    ])
    expect(error.message).toContain('SKILLOS_DATABASE_URL')
  })

  it('masks the password of a malformed URL in the error', () => {
    const error = configError(() =>
      resolveConfig({ env: { SKILLOS_REDIS_URL: 'redis//:hunter2@cache' } }),
    )
    expect(error.message).toContain('SKILLOS_REDIS_URL (redis.url)')
    expect(error.message).toContain('not a valid URL')
    expect(error.message).not.toContain('hunter2')
  })

  it('names the file and key for a wrong type in a config file', () => {
    const error = configError(() =>
      resolveConfig({
        file: { path: 'skillos.config.json', data: { server: { port: 'eighty' } } },
      }),
    )
    expect(error.issues[0]?.path).toBe('skillos.config.json: server.port')
    expect(error.issues[0]?.message).toContain('expected an integer from 1 to 65535')
  })

  it('rejects a non-integer port from the environment', () => {
    const error = configError(() => resolveConfig({ env: { SKILLOS_PORT: '80a' } }))
    expect(error.issues[0]?.path).toBe('SKILLOS_PORT (server.port)')
    expect(
      configError(() => resolveConfig({ env: { SKILLOS_PORT: '70000' } })).issues[0]?.path,
    ).toBe('SKILLOS_PORT (server.port)')
  })

  it('rejects an unknown key in the file and an unknown SKILLOS_ variable (typos never pass silently)', () => {
    const fileError = configError(() =>
      resolveConfig({
        file: { path: 'skillos.config.yaml', data: { databse: { url: 'memory://' } } },
      }),
    )
    expect(fileError.issues[0]?.path).toBe('skillos.config.yaml: (root)')
    expect(fileError.issues[0]?.message).toContain('databse')
    const envError = configError(() => resolveConfig({ env: { SKILLOS_DATABSE_URL: 'memory://' } }))
    expect(envError.issues[0]?.path).toBe('SKILLOS_DATABSE_URL')
    expect(envError.issues[0]?.message).toContain('SKILLOS_DATABASE_URL')
  })

  it('reads budget limits and policy paths from the file and the environment', () => {
    const config = resolveConfig({
      file: {
        path: 'skillos.config.yaml',
        data: {
          budget: { limits: [{ id: 'tenant-daily', scope: ['tenant'], window: 'day', usd: 50 }] },
        },
      },
      env: { SKILLOS_POLICIES: './policies,./extra.yaml', SKILLOS_POLICY_RELOAD: 'true' },
    })
    expect(config.budget.limits).toHaveLength(1)
    expect(config.budget.currency).toBe('USD')
    expect(config.policy).toEqual({ paths: ['./policies', './extra.yaml'], reload: true })
    const error = configError(() =>
      resolveConfig({
        file: {
          path: 'skillos.config.yaml',
          data: { budget: { limits: [{ id: 'x', scope: ['tenant'], window: 'day', usd: -1 }] } },
        },
      }),
    )
    expect(error.issues[0]?.path).toBe('skillos.config.yaml: budget.limits.0.usd')
    expect(
      configError(() => resolveConfig({ env: { SKILLOS_POLICY_RELOAD: 'yes' } })).issues[0]?.path,
    ).toBe('SKILLOS_POLICY_RELOAD (policy.reload)')
  })

  it('rejects a config file that is not an object', () => {
    const error = configError(() =>
      resolveConfig({ file: { path: 'skillos.config.yaml', data: ['a'] } }),
    )
    expect(error.message).toContain('skillos.config.yaml: must contain an object of settings')
  })

  it('reports every problem at once', () => {
    const error = configError(() =>
      resolveConfig({
        env: { SKILLOS_LOG_LEVEL: 'loud', SKILLOS_EMBEDDER_PROVIDER: 'cohere', SKILLOS_PORT: 'x' },
      }),
    )
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      'SKILLOS_EMBEDDER_PROVIDER (embedder.provider)',
      'SKILLOS_LOG_LEVEL (log.level)',
      'SKILLOS_PORT (server.port)',
    ])
  })
})

describe('redactConfig', () => {
  it('masks URL passwords and API keys, and leaves the original untouched', () => {
    const config = resolveConfig({
      env: {
        SKILLOS_DATABASE_URL: 'postgres://skillos:hunter2@db:5432/skillos',
        SKILLOS_MODEL_API_KEY: 'sk-abcdefghijklmnopqrstuvwxyz1234',
      },
    })
    const redacted = redactConfig(config)
    expect(redacted.database.url).toBe('postgres://skillos:***@db:5432/skillos')
    expect(redacted.model.apiKey).toBe('***1234')
    expect(JSON.stringify(redacted)).not.toContain('hunter2')
    expect(config.database.url).toContain('hunter2')
  })
})

describe('registry client settings', () => {
  it('reads SKILLOS_REGISTRY_* variables, and masks the token when printed', () => {
    const config = resolveConfig({
      env: {
        SKILLOS_REGISTRY_URL: 'https://skills.acme.example',
        SKILLOS_REGISTRY_TOKEN: 'skr_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
        SKILLOS_REGISTRY_SIGNING_KEY: 'keys/publisher.pem',
        SKILLOS_REGISTRY_TRUSTED_KEYS: 'keys/a.pub.pem, keys/b.pub.pem',
      },
    })
    expect(config.registry).toEqual({
      url: 'https://skills.acme.example',
      token: 'skr_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      signingKey: 'keys/publisher.pem',
      trustedKeys: ['keys/a.pub.pem', 'keys/b.pub.pem'],
      scopes: {},
    })
    expect(redactConfig(config).registry.token).toBe('***DEFG')
    expect(resolveConfig({}).registry).toEqual({ trustedKeys: [], scopes: {} })
  })

  it('names a registry URL that is not http(s) and a scope that is not a scope', () => {
    const error = configError(() =>
      resolveConfig({
        file: {
          path: 'skillos.config.yaml',
          data: { registry: { url: 'ftp://r', scopes: { Acme: 'https://r.example' } } },
        },
      }),
    )
    expect(error.issues.map((i) => i.path)).toEqual([
      'skillos.config.yaml: registry.url',
      'skillos.config.yaml: registry.scopes.Acme',
    ])
  })
})
