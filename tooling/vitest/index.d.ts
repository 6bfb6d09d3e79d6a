import type { ViteUserConfig } from 'vitest/config'

export interface SkillosVitestOptions {
  /** Extra options merged into both projects' `test` block. */
  test?: Record<string, unknown>
  /** Where tests live: `'src'` (default, packages) or `'.'` (skill folders: tests beside index.ts). */
  root?: 'src' | '.'
}

/**
 * The shared vitest config: two projects, `unit` (`*.test.ts`) and `integration`
 * (`*.integration.test.ts`, run one file at a time against real services when their URLs are set).
 */
export function defineSkillosConfig(options?: SkillosVitestOptions): ViteUserConfig

/** True when `CI=true`: integration suites must not be skipped. */
export const isCI: boolean

/**
 * The URL of a real service for an integration suite. Locally, unset → undefined (skip the suite);
 * under `CI=true`, unset → throws, so the run fails instead of testing nothing.
 */
export function integrationUrl(name: string): string | undefined
