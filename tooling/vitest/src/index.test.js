import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

const preset = new URL('../index.js', import.meta.url).href

function integrationUrlIn(env) {
  const script = `import(${JSON.stringify(preset)}).then((m) => { try { console.log(JSON.stringify(m.integrationUrl('SKILLOS_TEST_REDIS_URL') ?? null)) } catch (e) { console.log('threw: ' + e.message) } })`
  const { PATH, HOME } = process.env
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH, HOME, ...env },
    encoding: 'utf8',
  })
  return result.stdout.trim()
}

describe('integrationUrl', () => {
  it('returns the URL when it is set', () => {
    expect(integrationUrlIn({ SKILLOS_TEST_REDIS_URL: 'redis://127.0.0.1:6379' })).toBe(
      '"redis://127.0.0.1:6379"',
    )
  })

  it('lets a local run skip the suite when the URL is unset', () => {
    expect(integrationUrlIn({})).toBe('null')
  })

  it('fails the run under CI=true when the URL is unset, instead of testing nothing', () => {
    expect(integrationUrlIn({ CI: 'true' })).toBe(
      'threw: SKILLOS_TEST_REDIS_URL is not set, and CI=true requires this integration suite to run against a real service',
    )
  })
})
