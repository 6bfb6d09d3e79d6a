// The shared vitest preset. Every package's vitest.config.ts is `export default defineSkillosConfig()`.
import { defineConfig } from 'vitest/config'

export const isCI = process.env.CI === 'true' || process.env.CI === '1'

/**
 * `root: 'src'` (packages) looks for tests under src/; `root: '.'` (skill folders, whose tests sit
 * beside `index.ts`) looks everywhere but node_modules.
 */
export function defineSkillosConfig(options = {}) {
  const shared = { ...options.test }
  const base = options.root === '.' ? '' : 'src/'
  const integrationGlob = `${base}**/*.integration.test.{ts,js}`
  // Under CI each package writes a JSON report beside itself; tooling/scripts/test-summary.mjs sums them.
  const reporters = process.env.SKILLOS_TEST_REPORT
    ? [['default'], ['json', { outputFile: '.vitest-report.json' }]]
    : undefined
  return defineConfig({
    test: {
      ...(reporters ? { reporters } : {}),
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: [`${base}**/*.test.{ts,js}`],
            // Embedded PGlite takes seconds to start on a busy 2-core box; timeouts guard hangs, not speed.
            testTimeout: 60_000,
            hookTimeout: 120_000,
            exclude: [integrationGlob, '**/node_modules/**', '**/dist/**'],
            ...shared,
          },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            include: [integrationGlob],
            exclude: ['**/node_modules/**', '**/dist/**'],
            // Integration files share real servers; running them one at a time keeps a 2-core box calm.
            fileParallelism: false,
            testTimeout: 60_000,
            hookTimeout: 120_000,
            ...shared,
          },
        },
      ],
    },
  })
}

/**
 * The URL of a real service for an integration suite, from `name` (e.g. `SKILLOS_TEST_REDIS_URL`).
 * Locally, an unset URL returns undefined and the suite skips itself; under CI it throws, so a missing
 * service fails the run instead of silently testing nothing.
 */
export function integrationUrl(name) {
  const value = process.env[name]
  if (value) return value
  if (isCI) {
    throw new Error(
      `${name} is not set, and CI=true requires this integration suite to run against a real service`,
    )
  }
  return undefined
}
