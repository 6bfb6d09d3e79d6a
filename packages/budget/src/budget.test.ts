import { SkillOSError, type ConfigError } from '@skillos/contracts'
import { createMemoryKeyValue, openDatabase, type Database } from '@skillos/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBudget } from './budget.js'
import { describeBudgetContract } from './budget.contract.js'

let database: Database

beforeAll(async () => {
  database = await openDatabase('memory://')
})

afterAll(async () => {
  await database.close()
})

describeBudgetContract('PGlite + in-process key-value', {
  database: () => database,
  openKeyValue: async (prefix) => createMemoryKeyValue({ prefix }),
})

describe('createBudget configuration', () => {
  function configError(config: unknown): ConfigError {
    try {
      createBudget({
        database: {} as Database,
        kv: createMemoryKeyValue(),
        config: config as never,
      })
    } catch (error) {
      expect(SkillOSError.is(error, 'CONFIG_INVALID')).toBe(true)
      return error as ConfigError
    }
    throw new Error('expected a configuration error')
  }

  it('refuses a negative limit, naming budget.limits.<n>.usd', () => {
    const error = configError({ limits: [{ scope: 'user', window: 'day', usd: -5 }] })
    expect(error.message).toBe(
      'Invalid budget configuration: budget.limits.0.usd: must not be negative',
    )
    expect(error.issues).toEqual([{ path: 'budget.limits.0.usd', message: 'must not be negative' }])
  })

  it('refuses a limit in another currency, naming the field', () => {
    const error = configError({
      limits: [{ scope: 'tenant', window: 'day', usd: 5, currency: 'EUR' }],
    })
    expect(error.issues[0]?.path).toBe('budget.limits.0.currency')
    expect(error.message).toContain('only "USD" is supported')
  })

  it('refuses a degradation to a model without a price, naming the rule', () => {
    const error = configError({
      degradations: [
        {
          atShare: 0.8,
          action: 'downgrade-model',
          from: ['gpt-4o', 'gpt-omega'],
          to: 'gpt-mini-9',
        },
      ],
    })
    expect(error.issues).toEqual([
      {
        path: 'budget.degradations.0.to',
        message: expect.stringContaining('unknown model "gpt-mini-9"'),
      },
      {
        path: 'budget.degradations.0.from.1',
        message: expect.stringContaining('unknown model "gpt-omega"'),
      },
    ])
  })

  it('accepts a degradation to a model priced in the configuration', () => {
    const budget = createBudget({
      database: {} as Database,
      kv: createMemoryKeyValue(),
      config: {
        prices: { 'acme-small': { input: 0.1, output: 0.2 } },
        degradations: [{ atShare: 0.8, action: 'downgrade-model', to: 'acme-small' }],
      },
    })
    expect(budget.config.degradations[0]).toMatchObject({ to: 'acme-small' })
  })

  it('refuses a malformed configuration as a whole, listing every problem', () => {
    const error = configError({ limits: 'lots', reservationTtlMs: -1, extra: true })
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      'budget',
      'budget.limits',
      'budget.reservationTtlMs',
    ])
  })
})
