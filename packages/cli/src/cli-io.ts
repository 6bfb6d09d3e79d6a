import type { LoadedConfig } from '@skillos/core'
import type { SkillTestRunner } from './skill-tests.js'

/** Where the CLI reads and writes; injected so tests run it in-process. */
export interface CliIo {
  cwd: string
  env: Record<string, string | undefined>
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Lines typed by a person: `skillos dev` requests, `run --step` confirmations. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean }
  /** Runs one skill folder's tests (default: its vitest, spawned). */
  runSkillTests?: SkillTestRunner
  /** The `fetch` registry commands use (default: the global one); tests inject one. */
  fetch?: typeof fetch
}

/** What every command gets: the io, and the configuration (loaded once, on first use). */
export interface CommandContext {
  io: CliIo
  loadConfig: () => Promise<LoadedConfig>
}
