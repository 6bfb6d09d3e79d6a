import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, isAbsolute, resolve } from 'node:path'
import {
  compactStrings,
  ConfigError,
  resolveConfig,
  type Config,
  type ConfigInput,
} from '@skillos/contracts'
import { createJiti } from 'jiti'
import { parse as parseYaml, YAMLParseError } from 'yaml'

/** File names searched, in this order, in the working directory. */
export const CONFIG_FILE_NAMES = [
  'skillos.config.ts',
  'skillos.config.mts',
  'skillos.config.js',
  'skillos.config.mjs',
  'skillos.config.json',
  'skillos.config.yaml',
  'skillos.config.yml',
] as const

export interface LoadConfigOptions {
  /** Where to look for `skillos.config.*` (default: the process's working directory). */
  cwd?: string
  /** Environment variables; pass `process.env` from an app or the CLI. Only `SKILLOS_*` are read. */
  env?: Record<string, string | undefined>
  /** An explicit config file; otherwise `SKILLOS_CONFIG`, otherwise the search above. */
  path?: string
}

export interface LoadedConfig {
  config: Config
  /** The file that was read, if any. */
  file: string | undefined
}

/**
 * Type-checks a `skillos.config.ts` in the editor.
 *
 * @example
 * ```ts
 * // skillos.config.ts
 * import { defineConfig } from '@skillos/core'
 * export default defineConfig({ database: { url: 'postgres://localhost/skillos' } })
 * ```
 */
export function defineConfig(config: ConfigInput): ConfigInput {
  return config
}

function fileError(file: string, message: string, cause?: unknown): ConfigError {
  return new ConfigError(
    `Invalid SkillOS configuration: ${file}: ${message}`,
    [{ path: file, message }],
    { cause },
  )
}

async function readConfigFile(file: string): Promise<unknown> {
  const name = basename(file)
  if (/\.(?:ts|mts|js|mjs)$/.test(name)) {
    // jiti compiles TypeScript on the fly, so a typed config file needs no build step.
    const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false })
    try {
      const loaded = await jiti.import<unknown>(file, { default: true })
      return typeof loaded === 'function' ? await (loaded as () => unknown)() : loaded
    } catch (cause) {
      throw fileError(
        file,
        `could not be loaded (${cause instanceof Error ? cause.message : String(cause)})`,
        cause,
      )
    }
  }
  const text = await readFile(file, 'utf8')
  if (name.endsWith('.json')) {
    try {
      return JSON.parse(text)
    } catch (cause) {
      throw fileError(file, `is not valid JSON (${(cause as Error).message})`, cause)
    }
  }
  try {
    // Compact strings: limit ids and names travel into every run's trace (see `compactStrings`).
    return compactStrings((parseYaml(text) as unknown) ?? {})
  } catch (cause) {
    if (cause instanceof YAMLParseError) {
      const line = cause.linePos?.[0]
      throw fileError(
        file,
        `is not valid YAML${line ? ` at line ${line.line}, column ${line.col}` : ''} (${cause.code})`,
        cause,
      )
    }
    throw cause
  }
}

/** The config file to read: explicit path, then `SKILLOS_CONFIG`, then the one `skillos.config.*` in `cwd`. */
export function findConfigFile(options: LoadConfigOptions = {}): string | undefined {
  const cwd = options.cwd ?? process.cwd()
  const explicit = options.path ?? options.env?.SKILLOS_CONFIG
  if (explicit) {
    const file = isAbsolute(explicit) ? explicit : resolve(cwd, explicit)
    if (!existsSync(file))
      throw fileError(file, 'does not exist (named by SKILLOS_CONFIG or --config)')
    return file
  }
  const found = CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).filter((file) =>
    existsSync(file),
  )
  if (found.length > 1) {
    throw new ConfigError(
      `Invalid SkillOS configuration: several config files in ${cwd} (${found.map((f) => basename(f)).join(', ')}); keep one`,
      found.map((f) => ({ path: f, message: 'one of several config files' })),
    )
  }
  return found[0]
}

/**
 * Build the one validated configuration of an app or the CLI: defaults, then `skillos.config.*`,
 * then `SKILLOS_*` variables. Relative paths (`pglite://./…`, skill roots) stay relative to `cwd`.
 * Throws `ConfigError` (code `CONFIG_INVALID`) naming the file or variable, the key, and what is
 * allowed; nothing is opened or created.
 *
 * @example
 * ```ts
 * const { config } = await loadConfig({ env: process.env })
 * ```
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const file = findConfigFile(options)
  const data = file ? await readConfigFile(file) : undefined
  const config = resolveConfig({
    ...(file ? { file: { path: file, data } } : {}),
    env: options.env ?? {},
  })
  return { config, file }
}
