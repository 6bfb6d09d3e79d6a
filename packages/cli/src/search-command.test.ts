import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliFixture, type CliFixture } from './cli-fixture.test-data.js'
import { createMemoryRegistry } from './registry-fixture.test-data.js'

let fixture: CliFixture
const registry = createMemoryRegistry()
const io = () => ({
  env: { USER: 'ann', SKILLOS_REGISTRY_URL: registry.url, SKILLOS_REGISTRY_TOKEN: registry.token },
  fetch: registry.fetch,
})
beforeAll(async () => {
  fixture = await createCliFixture()
  expect((await fixture.cli(['publish', 'skills/finance/convert'], io())).code).toBe(0)
})
afterAll(() => fixture?.cleanup())

describe('skillos search', () => {
  it('prints each match with its description and why it matched', async () => {
    const result = await fixture.cli(['search', 'currency'], io())
    expect(result).toEqual({
      code: 0,
      stdout: [
        'finance/convert@1.0.0  [finance, currency]',
        '    Convert an amount of money from one currency to another at the current rate',
        '    why: matched "currency" in the description',
        '',
        '1 found',
      ].join('\n'),
      stderr: '',
    })
    expect(registry.requests.at(-1)?.path).toBe('/-/search')
  })

  it('passes the registry answer through with --json, and says when nothing matches', async () => {
    const json = JSON.parse((await fixture.cli(['search', 'currency', '--json'], io())).stdout)
    expect(json).toMatchObject({ total: 1, results: [{ id: 'finance/convert' }] })
    expect((await fixture.cli(['search', 'flights'], io())).stdout).toBe(
      'No skills match "flights"; try other words, or drop --tag',
    )
  })

  it('is bad usage to ask for more than 100 results', async () => {
    const result = await fixture.cli(['search', 'x', '--limit', '500'], io())
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('a whole number from 1 to 100')
  })
})
