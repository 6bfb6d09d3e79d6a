import { existsSync, readFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { dirname, extname, isAbsolute, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, type BuildFailure, type Loader, type Message, type Plugin } from 'esbuild'

/** A handler compiled to one ES module, with the files it was built from (what to watch). */
export interface CompiledHandler {
  /** ES module source; packages stay external, imported by absolute file URL. */
  code: string
  /** Absolute paths of the source files bundled in (the entry and its relative imports). */
  inputs: string[]
}

export interface CompileOptions {
  /** Sees the exact text of every source file bundled in (the loader hashes them). */
  onRead?: (path: string, text: string) => void
}

/** Thrown (or returned per entry by `compileHandlers`) when a handler does not compile. */
export class CompileError extends Error {
  readonly errors: Message[]

  constructor(entry: string, errors: Message[], cause?: unknown) {
    super(
      `Cannot compile ${entry}: ${errors.map((e) => e.text).join('; ') || String(cause)}`,
      cause === undefined ? undefined : { cause },
    )
    this.name = 'CompileError'
    this.errors = errors
  }
}

const LOADERS: Record<string, Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
}

/**
 * Where Node would look for a bare specifier imported from `dir`: the nearest package.json (for
 * self-references and `#imports`) and every `node_modules` folder up the tree. Two folders with the
 * same answer resolve every package the same way, so one resolution serves both.
 */
function createResolutionKeys(): (dir: string) => string {
  const cache = new Map<string, { packageDir: string; nodeModules: string }>()
  const partsOf = (dir: string): { packageDir: string; nodeModules: string } => {
    const cached = cache.get(dir)
    if (cached) return cached
    const parent = dirname(dir)
    const above = parent === dir ? { packageDir: '', nodeModules: '' } : partsOf(parent)
    const parts = {
      packageDir: existsSync(join(dir, 'package.json')) ? dir : above.packageDir,
      nodeModules: existsSync(join(dir, 'node_modules'))
        ? `${dir}\n${above.nodeModules}`
        : above.nodeModules,
    }
    cache.set(dir, parts)
    return parts
  }
  return (dir) => {
    const { packageDir, nodeModules } = partsOf(dir)
    return `${packageDir}\n${nodeModules}`
  }
}

/**
 * Packages (bare specifiers) are not bundled: esbuild resolves them from the importing file exactly as
 * Node would, and the import is rewritten to the absolute file URL. One copy of `zod` or
 * `@skillos/sdk` is shared by every skill and the host, and the module can live in a `data:` URL.
 */
function externalPackages(): Plugin {
  const keyOf = createResolutionKeys()
  const resolved = new Map<
    string,
    Promise<{ path: string; bundle?: true } | { errors: Message[] }>
  >()
  return {
    name: 'skillos-external-packages',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'skillos-resolving' || isAbsolute(args.path)) return undefined
        if (isBuiltin(args.path)) return { path: args.path, external: true }
        const key = `${args.kind}\0${args.path}\0${keyOf(args.resolveDir)}`
        let pending = resolved.get(key)
        if (!pending) {
          pending = builder
            .resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              importer: args.importer,
              pluginData: 'skillos-resolving',
            })
            .then((result) =>
              result.errors.length > 0
                ? { errors: result.errors }
                : SOURCE_FILE.test(result.path)
                  ? // A workspace package that ships TypeScript (a skill's shared lib): bundle it.
                    { path: result.path, bundle: true as const }
                  : { path: pathToFileURL(result.path).href },
            )
          resolved.set(key, pending)
        }
        const result = await pending
        if ('errors' in result) return { errors: result.errors }
        if ('bundle' in result) return { path: result.path }
        return { path: result.path, external: true }
      })
    },
  }
}

/**
 * A bundled module has one URL, so each file's `import.meta.url` (how a skill finds its `fixtures/`)
 * is replaced by that file's own URL before bundling.
 */
function fileMetaUrls(read: (path: string, text: string) => void): Plugin {
  return {
    name: 'skillos-import-meta',
    setup(builder) {
      builder.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        if (args.path.includes('/node_modules/')) return undefined
        const loader = LOADERS[extname(args.path)]
        if (!loader) return undefined
        // Synchronous: thousands of small files read far faster than through the thread pool.
        const source = readFileSync(args.path, 'utf8')
        read(args.path, source)
        if (!source.includes('import.meta')) return { contents: source, loader }
        const contents = source
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.filename', JSON.stringify(args.path))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        return { contents, loader }
      })
    },
  }
}

const OUT_DIR = '/__skillos_out__'
/** Files Node cannot import as they are: TypeScript and JSX. */
const SOURCE_FILE = /\.(?:[cm]?ts|tsx|jsx)$/

async function buildBatch(
  entries: readonly string[],
  workingDir: string,
  options: CompileOptions,
): Promise<Map<string, CompiledHandler>> {
  const result = await build({
    entryPoints: [...entries],
    absWorkingDir: workingDir,
    outdir: OUT_DIR,
    outbase: '/',
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [externalPackages(), fileMetaUrls(options.onRead ?? (() => undefined))],
  })
  const texts = new Map(result.outputFiles.map((file) => [file.path, file.text]))
  const compiled = new Map<string, CompiledHandler>()
  for (const [output, meta] of Object.entries(result.metafile.outputs)) {
    if (!meta.entryPoint) continue
    const code = texts.get(resolve(workingDir, output))
    if (code === undefined) continue
    compiled.set(resolve(workingDir, meta.entryPoint), {
      code,
      inputs: Object.keys(meta.inputs)
        .filter((input) => !input.includes(':'))
        .map((input) => resolve(workingDir, input)),
    })
  }
  return compiled
}

/**
 * Compile many handlers in one esbuild run (how a scan of 1,000 skills stays fast). When the batch
 * fails, it is split in halves until each broken entry is found alone, so one broken skill costs
 * a few extra builds and its error names only itself.
 */
export async function compileHandlers(
  entries: readonly string[],
  options: CompileOptions = {},
): Promise<Map<string, CompiledHandler | CompileError>> {
  const results = new Map<string, CompiledHandler | CompileError>()
  const run = async (batch: readonly string[]): Promise<void> => {
    if (batch.length === 0) return
    try {
      const compiled = await buildBatch(batch, '/', options)
      for (const entry of batch) {
        results.set(
          entry,
          compiled.get(entry) ?? new CompileError(entry, [], 'esbuild produced no output'),
        )
      }
    } catch (error) {
      if (batch.length === 1) {
        const entry = batch[0] as string
        results.set(entry, new CompileError(entry, (error as BuildFailure).errors ?? [], error))
        return
      }
      const middle = Math.ceil(batch.length / 2)
      await run(batch.slice(0, middle))
      await run(batch.slice(middle))
    }
  }
  await run(entries.map((entry) => resolve(entry)))
  return results
}

/**
 * Compile a skill handler (TypeScript or JavaScript) and its relative imports into one ES module.
 * No build step for authors and no loader hooks in the host process.
 *
 * @example
 * ```ts
 * const { code } = await compileHandler('/skills/finance/convert-currency/index.ts')
 * const module = await importCompiled(code)
 * ```
 * @throws CompileError with esbuild's messages (file, line, column, reason) when the source does not compile.
 */
export async function compileHandler(
  entry: string,
  options: CompileOptions = {},
): Promise<CompiledHandler> {
  const result = (await compileHandlers([entry], options)).get(resolve(entry))
  if (!result) throw new CompileError(entry, [], 'esbuild produced no output')
  if (result instanceof CompileError) throw result
  return result
}

/** Import compiled module source; each distinct source is a new module (how a reload takes effect). */
export async function importCompiled(code: string): Promise<Record<string, unknown>> {
  const url = `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
  return (await import(/* @vite-ignore */ url)) as Record<string, unknown>
}
