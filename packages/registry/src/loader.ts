import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { basename, dirname, join, resolve, sep } from 'node:path'
import {
  SkillOSError,
  isSkillDefinition,
  type SkillDefinition,
  type SkillManifest,
} from '@skillos/contracts'
import type { SkillDocumentInput, SkillIndex } from '@skillos/recommender'
import { watch, type FSWatcher } from 'chokidar'
import { readAgentSkill } from './agent-skills/index.js'
import {
  CompileError,
  compileHandler,
  compileHandlers,
  importCompiled,
  type CompiledHandler,
} from './compile-handler.js'
import { resolveDependencies } from './dependencies.js'
import { parseManifestSource } from './manifest-file.js'
import { SkillLoadError, formatProblem, type SkillProblem } from './problems.js'
import { checkSchemaAgreement } from './schema-agreement.js'
import { parseRange, parseSkillSpecifier, pickVersion, sortVersionsDescending } from './versions.js'
import type { YamlSource } from './yaml-source.js'

/**
 * `handler`: skill.yaml + a TypeScript/JavaScript handler. `instructions`: a SKILL.md for a model.
 * `composite`: skill.yaml with `steps` — other skills run as a pipeline.
 */
export type SkillKind = 'handler' | 'instructions' | 'composite'

/**
 * One version of one skill, loaded and checked. Immutable: a reload makes a new object, so a run that
 * holds this one finishes on the version it started with.
 */
export interface LoadedSkill {
  readonly id: string
  readonly version: string
  readonly kind: SkillKind
  readonly manifest: SkillManifest
  /** Absolute path of the skill folder. */
  readonly dir: string
  /** `skill.yaml` or `SKILL.md`. */
  readonly manifestFile: string
  /** The handler module's default export (kind `handler`). */
  readonly definition?: SkillDefinition
  /** Markdown instructions (kind `instructions`, or a SKILL.md beside a handler). */
  readonly instructions?: string
  /** The resolved version of each declared dependency. */
  readonly dependencies: Readonly<Record<string, string>>
  readonly deprecated?: { message: string; replacement?: string }
  /** Non-fatal findings: SKILL.md quirks, optional handler fields the manifest does not declare. */
  readonly warnings: readonly SkillProblem[]
  /** Source files the skill was built from (manifest, handler and its relative imports). */
  readonly files: readonly string[]
  readonly loadedAt: Date
}

/** A skill folder that is not usable, or a reload that failed while the previous version runs on. */
export interface SkillLoadFailure {
  dir: string
  id?: string
  version?: string
  problems: SkillProblem[]
  /** The version still served after a failed reload. */
  kept?: LoadedSkill
}

export type SkillLoaderEvent =
  | { type: 'skill.loaded'; skill: LoadedSkill }
  | { type: 'skill.reloaded'; skill: LoadedSkill; previous: LoadedSkill; ms: number }
  | { type: 'skill.failed'; failure: SkillLoadFailure; ms?: number }
  | { type: 'skill.removed'; id: string; version: string; dir: string }

export interface LoadReport {
  loaded: LoadedSkill[]
  failed: SkillLoadFailure[]
  ms: number
}

/** What `resolve` returns: the skill and, for a deprecated version, what to tell the caller. */
export interface ResolvedSkill {
  skill: LoadedSkill
  deprecation?: { message: string; replacement?: string }
}

export interface SkillLoaderOptions {
  /** Folders to scan for skill folders (a folder with `skill.yaml` or `SKILL.md`). */
  roots: readonly string[]
  /** Reload a skill when its files change (default false). */
  watch?: boolean
  /** Quiet time after the last change before reloading, in ms (default 25). */
  debounceMs?: number
  /** Kept in sync: every usable skill's newest version is upserted, removed skills removed. */
  index?: SkillIndex
}

export interface SkillLoader {
  /** Scan the roots and load every skill; one broken skill is reported and skipped. */
  load(): Promise<LoadReport>
  /** Every usable skill version. */
  list(): LoadedSkill[]
  /** Installed versions of a skill, highest first. */
  versions(id: string): string[]
  get(id: string, version: string): LoadedSkill | undefined
  /**
   * The version a range picks: highest non-deprecated match, else the highest deprecated one.
   *
   * @throws SkillOSError `SKILL_NOT_FOUND` naming the installed versions; `VALIDATION_FAILED` for a bad range.
   */
  resolve(specifier: string | { id: string; range?: string }): ResolvedSkill
  /** Folders that failed, and reloads that failed (with the version kept). */
  failures(): SkillLoadFailure[]
  /** Reload one skill folder now (or rescan everything). */
  reload(dir?: string): Promise<LoadReport>
  /** Listen to loads, reloads, failures and removals; returns an unsubscribe function. */
  on(listener: (event: SkillLoaderEvent) => void): () => void
  /** Resolves once the watcher is ready (immediately when not watching). */
  ready(): Promise<void>
  close(): Promise<void>
}

const MANIFEST_FILES = ['skill.yaml', 'skill.yml'] as const
const SKIP_DIRS = new Set(['node_modules', 'fixtures', 'dist', 'coverage'])
const MAX_DEPTH = 8
const VERIFY_DELAY_MS = 100
const SEGMENT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** A folder's last successful load and its current problem, if any. */
interface FolderState {
  dir: string
  skill?: LoadedSkill
  /** Places a finding about `skill.yaml` (dependency problems found later). */
  locate?: YamlSource['locate']
  problems?: SkillProblem[]
  /** id and version the manifest declares, when the folder failed after reading it. */
  declared?: { id: string; version: string }
  /** sha1 of the text of every file the last attempt read: to notice edits the watcher dropped. */
  hashes: Map<string, string>
}

/**
 * Load skills from folders, check them, keep them fresh.
 *
 * @example
 * ```ts
 * const loader = createSkillLoader({ roots: ['./skills'], watch: true })
 * const report = await loader.load()
 * for (const failure of report.failed) console.warn(failure.problems.map(formatProblem).join('\n'))
 * const { skill, deprecation } = loader.resolve('finance/convert-currency@^1.0.0')
 * const output = await skill.definition?.handler(input, context)
 * ```
 */
export function createSkillLoader(options: SkillLoaderOptions): SkillLoader {
  if (options.roots.length === 0) {
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: 'createSkillLoader: `roots` must name at least one folder',
    })
  }
  const roots = options.roots.map((root) => resolve(root))
  const debounceMs = options.debounceMs ?? 25
  const folders = new Map<string, FolderState>()
  /** Usable skills after dependency resolution: id → version → skill. */
  let catalog = new Map<string, Map<string, LoadedSkill>>()
  let dependencyProblems = new Map<LoadedSkill, SkillProblem[]>()
  const listeners = new Set<(event: SkillLoaderEvent) => void>()
  const timers = new Map<string, NodeJS.Timeout>()
  const changedAt = new Map<string, number>()
  let watcher: FSWatcher | undefined
  let watcherReady: Promise<void> = Promise.resolve()
  /** Loads and reloads run one at a time, so the catalog never sees half a change. */
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false

  const emit = (event: SkillLoaderEvent) => {
    for (const listener of listeners) {
      try {
        listener(event)
      } catch {
        // A listener's failure must not break loading.
      }
    }
  }

  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task)
    queue = next.catch(() => undefined)
    return next
  }

  /** Load folders together: their handlers compile in one esbuild run. */
  async function loadFolders(dirs: readonly string[]): Promise<FolderState[]> {
    const batch = createBatchCompiler(dirs.length)
    return Promise.all(
      dirs.map(async (dir) => {
        const arrival = batch.arrive()
        try {
          return await loadFolder(dir, arrival.compile)
        } finally {
          arrival.leave()
        }
      }),
    )
  }

  async function loadFolder(dir: string, compile: Compile): Promise<FolderState> {
    const previous = folders.get(dir)
    const hashes = new Map<string, string>()
    try {
      const loaded = await readSkillFolder(dir, roots, hashes, compile)
      return { dir, skill: loaded.skill, locate: loaded.locate, hashes }
    } catch (error) {
      const problems = toProblems(error, dir)
      const declared = error instanceof SkillLoadError ? error.skill : undefined
      return {
        dir,
        ...(previous?.skill ? { skill: previous.skill, locate: previous.locate } : {}),
        ...(declared ? { declared } : {}),
        problems,
        hashes,
      }
    }
  }

  /** Rebuild the catalog from folder states: duplicates, then dependencies. */
  function rebuildCatalog(): void {
    const seen = new Map<string, FolderState>()
    const candidates: LoadedSkill[] = []
    const duplicateProblems = new Map<FolderState, SkillProblem>()
    for (const state of [...folders.values()].sort((a, b) => a.dir.localeCompare(b.dir))) {
      if (!state.skill) continue
      const key = `${state.skill.id}@${state.skill.version}`
      const first = seen.get(key)
      if (first) {
        duplicateProblems.set(state, {
          code: 'DUPLICATE_VERSION',
          file: state.skill.manifestFile,
          field: 'version',
          ...state.locate?.(['version']),
          message: `${key} is already loaded from ${first.dir}`,
        })
        continue
      }
      seen.set(key, state)
      candidates.push(state.skill)
    }
    const locateOf = new Map<LoadedSkill, FolderState>()
    for (const state of seen.values()) if (state.skill) locateOf.set(state.skill, state)
    const resolution = resolveDependencies(
      candidates.map((skill) => ({
        id: skill.id,
        version: skill.version,
        deprecated: skill.deprecated,
        dependencies: skill.manifest.dependencies,
        skill,
      })),
      (node, dependency) => ({
        file: node.skill.manifestFile,
        field: `dependencies.${dependency}`,
        ...locateOf.get(node.skill)?.locate?.(['dependencies', dependency]),
      }),
    )
    const next = new Map<string, Map<string, LoadedSkill>>()
    for (const [node, versions] of resolution.resolved) {
      const skill = sameDependencies(node.skill.dependencies, versions)
        ? node.skill
        : Object.freeze({ ...node.skill, dependencies: Object.freeze(versions) })
      const state = locateOf.get(node.skill)
      if (state && skill !== node.skill) state.skill = skill
      const byVersion = next.get(skill.id) ?? new Map<string, LoadedSkill>()
      byVersion.set(skill.version, skill)
      next.set(skill.id, byVersion)
    }
    catalog = next
    dependencyProblems = new Map()
    for (const [node, problems] of resolution.failed) dependencyProblems.set(node.skill, problems)
    for (const [state, problem] of duplicateProblems) {
      if (state.skill) dependencyProblems.set(state.skill, [problem])
    }
  }

  function failureOf(state: FolderState): SkillLoadFailure | undefined {
    const own = state.problems
    const later = state.skill ? dependencyProblems.get(state.skill) : undefined
    if (!own && !later) return undefined
    const kept = own && state.skill && catalog.get(state.skill.id)?.get(state.skill.version)
    const declared = state.declared ?? state.skill
    return {
      dir: state.dir,
      ...(declared ? { id: declared.id, version: declared.version } : {}),
      problems: [...(own ?? []), ...(later ?? [])],
      ...(kept ? { kept } : {}),
    }
  }

  async function syncIndex(touched: Iterable<string>): Promise<void> {
    const index = options.index
    if (!index) return
    const upserts: SkillDocumentInput[] = []
    const removals: string[] = []
    for (const id of new Set(touched)) {
      const newest = pickVersion(catalog.get(id)?.values() ?? [], '*')
      if (newest) upserts.push(toSkillDocument(newest))
      else if (index.get(id)) removals.push(id)
    }
    if (upserts.length > 0) await index.upsert(upserts)
    if (removals.length > 0) await index.remove(removals)
  }

  async function scan(): Promise<LoadReport> {
    const started = performance.now()
    const dirs = (await Promise.all(roots.map((root) => discoverSkillFolders(root)))).flat()
    const known = new Set(dirs)
    const before = snapshot()
    const failedBefore = failingDirs()
    const states = await loadFolders(dirs)
    for (const state of states) folders.set(state.dir, state)
    for (const dir of [...folders.keys()]) if (!known.has(dir)) folders.delete(dir)
    rebuildCatalog()
    await syncIndex([...before.keys(), ...catalog.keys()].map((key) => key.split('@')[0] ?? key))
    return report(before, failedBefore, performance.now() - started)
  }

  async function reloadFolder(dir: string): Promise<LoadReport> {
    const started = changedAt.get(dir) ?? performance.now()
    changedAt.delete(dir)
    const before = snapshot()
    const failedBefore = failingDirs()
    const previous = folders.get(dir)
    if (!isSkillFolder(dir)) {
      folders.delete(dir)
    } else {
      folders.set(dir, (await loadFolders([dir]))[0] as FolderState)
    }
    rebuildCatalog()
    const touched = new Set<string>()
    if (previous?.skill) touched.add(previous.skill.id)
    const current = folders.get(dir)?.skill
    if (current) touched.add(current.id)
    await syncIndex(touched)
    const result = report(before, failedBefore, performance.now() - started, dir)
    if (watcher) setTimeout(() => void verify(dir), VERIFY_DELAY_MS).unref()
    return result
  }

  /**
   * File watchers drop events (chokidar ignores a change that follows another within ~50 ms): after
   * each reload, and once the watcher is ready, re-read what a folder was built from and reload it
   * when any text differs.
   */
  async function verify(dir: string): Promise<void> {
    const state = folders.get(dir)
    if (closed || !state || timers.has(dir)) return
    for (const [file, hash] of state.hashes) {
      const text = await readFile(file, 'utf8').catch(() => undefined)
      if (text === undefined || sha1(text) !== hash) {
        schedule(dir)
        return
      }
    }
  }

  /** id@version → skill, of the usable skills right now. */
  function snapshot(): Map<string, LoadedSkill> {
    const map = new Map<string, LoadedSkill>()
    for (const versions of catalog.values())
      for (const skill of versions.values()) map.set(`${skill.id}@${skill.version}`, skill)
    return map
  }

  function report(
    before: Map<string, LoadedSkill>,
    failedBefore: Set<string>,
    ms: number,
    reloadedDir?: string,
  ): LoadReport {
    const after = snapshot()
    const beforeByDir = new Map([...before.values()].map((skill) => [skill.dir, skill]))
    const afterDirs = new Set([...after.values()].map((skill) => skill.dir))
    const loaded: LoadedSkill[] = []
    for (const [key, skill] of after) {
      if (before.get(key) === skill) continue
      loaded.push(skill)
      const previous = before.get(key) ?? beforeByDir.get(skill.dir)
      emit(
        previous
          ? { type: 'skill.reloaded', skill, previous, ms }
          : { type: 'skill.loaded', skill },
      )
    }
    for (const [key, skill] of before) {
      if (!after.has(key) && !afterDirs.has(skill.dir))
        emit({ type: 'skill.removed', id: skill.id, version: skill.version, dir: skill.dir })
    }
    const failed: SkillLoadFailure[] = []
    for (const state of folders.values()) {
      const failure = failureOf(state)
      if (!failure) continue
      failed.push(failure)
      if (state.dir === reloadedDir || !failedBefore.has(state.dir))
        emit({ type: 'skill.failed', failure, ms })
    }
    return { loaded, failed, ms }
  }

  function failingDirs(): Set<string> {
    return new Set([...folders.values()].filter((state) => failureOf(state)).map((s) => s.dir))
  }

  function schedule(dir: string): void {
    if (closed) return
    if (!changedAt.has(dir)) changedAt.set(dir, performance.now())
    clearTimeout(timers.get(dir))
    timers.set(
      dir,
      setTimeout(() => {
        timers.delete(dir)
        void serial(() => reloadFolder(dir)).catch(() => undefined)
      }, debounceMs),
    )
  }

  /** The skill folder a changed path belongs to (a known one, or a new one it creates). */
  function folderOf(path: string): string | undefined {
    let best: string | undefined
    for (const dir of folders.keys()) {
      if ((path === dir || path.startsWith(dir + sep)) && (!best || dir.length > best.length))
        best = dir
    }
    if (best) return best
    const name = basename(path)
    if ((MANIFEST_FILES as readonly string[]).includes(name) || name === 'SKILL.md')
      return dirname(path)
    return undefined
  }

  function startWatching(): void {
    watcher = watch(roots, {
      ignoreInitial: true,
      ignored: (path) => /[\\/](?:node_modules|\.git|\.skillos)(?:[\\/]|$)/.test(path),
    })
    watcher.on('all', (_event, path) => {
      const absolute = resolve(path)
      const dir = folderOf(absolute)
      if (dir) schedule(dir)
      // A whole skill folder removed: every known folder under it goes.
      for (const known of folders.keys())
        if (known.startsWith(absolute + sep) && !existsSync(known)) schedule(known)
    })
    watcherReady = new Promise((done) =>
      watcher?.once('ready', () => {
        // Edits made while the folders were scanned, before the watcher saw anything.
        for (const dir of folders.keys()) void verify(dir)
        done()
      }),
    )
  }

  const loader: SkillLoader = {
    async load() {
      const result = await serial(scan)
      if (options.watch && !watcher && !closed) startWatching()
      return result
    },
    list() {
      return [...catalog.values()].flatMap((versions) => sortVersionsDescending(versions.values()))
    },
    versions(id) {
      return sortVersionsDescending(catalog.get(id)?.values() ?? []).map((s) => s.version)
    },
    get(id, version) {
      return catalog.get(id)?.get(version)
    },
    resolve(specifier) {
      const { id, range } =
        typeof specifier === 'string'
          ? parseSkillSpecifier(specifier)
          : { id: specifier.id, range: specifier.range ?? '*' }
      const versions = catalog.get(id)
      const skill = versions && pickVersion(versions.values(), parseRange(range))
      if (!skill) {
        const installed = versions
          ? sortVersionsDescending(versions.values()).map((s) => s.version)
          : []
        const failure = [...folders.values()].find(
          (s) => (s.declared ?? s.skill)?.id === id && failureOf(s),
        )
        throw new SkillOSError({
          code: 'SKILL_NOT_FOUND',
          message: installed.length
            ? `No version of "${id}" matches ${range}; installed: ${installed.join(', ')}`
            : failure
              ? `Skill "${id}" failed to load: ${failureOf(failure)?.problems.map(formatProblem).join('; ')}`
              : `Skill "${id}" is not installed`,
          details: { id, range, installed },
        })
      }
      return skill.deprecated ? { skill, deprecation: skill.deprecated } : { skill }
    },
    failures() {
      return [...folders.values()].flatMap((state) => failureOf(state) ?? [])
    },
    reload(dir) {
      return serial(() => (dir ? reloadFolder(resolve(dir)) : scan()))
    },
    on(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    ready() {
      return watcherReady
    },
    async close() {
      closed = true
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
      await watcher?.close()
      await queue
    },
  }
  return loader
}

function sameDependencies(a: Readonly<Record<string, string>>, b: Record<string, string>): boolean {
  const keys = Object.keys(b)
  return keys.length === Object.keys(a).length && keys.every((k) => a[k] === b[k])
}

/** The routing-relevant part of a skill, for `@skillos/recommender`. */
export function toSkillDocument(skill: LoadedSkill): SkillDocumentInput {
  const { manifest } = skill
  return {
    id: manifest.id,
    name: manifest.name,
    description: manifest.description,
    tags: manifest.tags,
    examples: manifest.examples,
  }
}

function isSkillFolder(dir: string): boolean {
  return (
    MANIFEST_FILES.some((file) => existsSync(join(dir, file))) || existsSync(join(dir, 'SKILL.md'))
  )
}

/**
 * Skill folders under `root`: any folder holding `skill.yaml` or `SKILL.md`. A skill folder's own
 * subfolders are not searched; `node_modules`, `fixtures`, `dist` and dot-folders are skipped.
 */
export async function discoverSkillFolders(root: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch (error) {
      if (depth === 0)
        throw new SkillOSError({
          code: 'NOT_FOUND',
          message: `Skill root ${dir} cannot be read: ${(error as Error).message}`,
          cause: error,
        })
      return
    }
    const names = new Set(entries.map((e) => e.name))
    if (MANIFEST_FILES.some((f) => names.has(f)) || names.has('SKILL.md')) {
      found.push(dir)
      return
    }
    if (depth >= MAX_DEPTH) return
    const subdirs = entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIP_DIRS.has(e.name))
      .map((e) => join(dir, e.name))
      .sort()
    for (const sub of subdirs) await walk(sub, depth + 1)
  }
  await walk(resolve(root), 0)
  return found
}

/**
 * Load one skill folder: validate the manifest, compile and import the handler, check that its
 * schemas agree with the manifest. A folder with only `SKILL.md` loads as an instruction skill.
 *
 * @throws SkillLoadError with every problem placed (file, line, field, reason).
 */
export async function loadSkillFolder(dir: string): Promise<LoadedSkill> {
  return (await readSkillFolder(resolve(dir), [dirname(resolve(dir))], new Map())).skill
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}

/** Compiles one handler entry; `hashes` receives the sha1 of every source text it read. */
type Compile = (entry: string, hashes: Map<string, string>) => Promise<CompiledHandler>

/**
 * Many folders load at once; each either asks for its handler to be compiled or leaves without.
 * Once every folder has done one or the other, all requested handlers compile in one esbuild run.
 */
function createBatchCompiler(count: number): {
  arrive(): { compile: Compile; leave(): void }
} {
  const requests = new Map<
    string,
    { hashes: Map<string, string>[]; resolve: (r: CompiledHandler | CompileError) => void }[]
  >()
  let arrived = 0
  const flush = async () => {
    if (requests.size === 0) return
    const texts = new Map<string, string>()
    let results: Map<string, CompiledHandler | CompileError>
    try {
      results = await compileHandlers([...requests.keys()], {
        onRead: (path, text) => texts.set(path, sha1(text)),
      })
    } catch (error) {
      results = new Map([...requests.keys()].map((e) => [e, new CompileError(e, [], error)]))
    }
    for (const [entry, waiting] of requests) {
      const result = results.get(entry) ?? new CompileError(entry, [], 'no output')
      for (const { hashes, resolve: done } of waiting) {
        const inputs = result instanceof CompileError ? [...texts.keys()] : result.inputs
        for (const hashTarget of hashes)
          for (const input of inputs) {
            const hash = texts.get(input)
            if (hash && (result instanceof CompileError ? input === entry : true))
              hashTarget.set(input, hash)
          }
        done(result)
      }
    }
  }
  const arriveOnce = () => {
    arrived++
    if (arrived === count) void flush()
  }
  return {
    arrive() {
      let here = false
      return {
        compile(entry, hashes) {
          const key = resolve(entry)
          const promise = new Promise<CompiledHandler | CompileError>((done) => {
            const list = requests.get(key) ?? []
            list.push({ hashes: [hashes], resolve: done })
            requests.set(key, list)
          })
          if (!here) {
            here = true
            arriveOnce()
          }
          return promise.then((result) => {
            if (result instanceof CompileError) throw result
            return result
          })
        },
        leave() {
          if (!here) {
            here = true
            arriveOnce()
          }
        },
      }
    },
  }
}

async function readSkillFolder(
  dir: string,
  roots: readonly string[],
  hashes: Map<string, string>,
  compile: Compile = (entry, into) =>
    compileHandler(entry, { onRead: (path, text) => into.set(path, sha1(text)) }),
): Promise<{ skill: LoadedSkill; locate?: YamlSource['locate'] }> {
  const manifestName = MANIFEST_FILES.find((file) => existsSync(join(dir, file)))
  if (!manifestName) return { skill: await readInstructionFolder(dir, roots, hashes) }
  const manifestFile = join(dir, manifestName)
  const text = readFileSync(manifestFile, 'utf8')
  hashes.set(manifestFile, sha1(text))
  const { manifest, locate } = parseManifestSource(text, manifestFile)
  try {
    return await readHandlerSkill(dir, manifestFile, manifest, locate, hashes, compile)
  } catch (error) {
    if (error instanceof SkillLoadError && !error.skill) {
      throw new SkillLoadError(error.message.split(':\n')[0] ?? error.message, error.problems, {
        cause: error.cause,
        skill: { id: manifest.id, version: manifest.version },
      })
    }
    throw error
  }
}

async function readHandlerSkill(
  dir: string,
  manifestFile: string,
  manifest: SkillManifest,
  locate: YamlSource['locate'],
  hashes: Map<string, string>,
  compile: Compile,
): Promise<{ skill: LoadedSkill; locate: YamlSource['locate'] }> {
  const entryFile = join(dir, manifest.entry)
  const skillMd = join(dir, 'SKILL.md')
  if (manifest.steps) {
    if (existsSync(entryFile))
      throw new SkillLoadError(`Cannot load skill ${manifest.id}`, [
        {
          code: 'COMPOSITE_WITH_HANDLER',
          file: manifestFile,
          field: 'steps',
          ...locate(['steps']),
          message: `a composite skill runs its steps and has no handler: remove ${manifest.entry} or steps`,
        },
      ])
    return {
      skill: freezeSkill({
        manifest,
        kind: 'composite',
        dir,
        manifestFile,
        ...(existsSync(skillMd)
          ? { instructions: await readInstructionsBody(skillMd, hashes) }
          : {}),
        warnings: [],
        files: [manifestFile],
      }),
      locate,
    }
  }
  const instructions = existsSync(skillMd) ? await readInstructionsBody(skillMd, hashes) : undefined
  if (!existsSync(entryFile)) {
    if (instructions !== undefined) {
      return {
        skill: freezeSkill({
          manifest,
          kind: 'instructions',
          dir,
          manifestFile,
          instructions,
          warnings: [],
          files: [manifestFile, skillMd],
        }),
        locate,
      }
    }
    throw new SkillLoadError(`Cannot load skill ${manifest.id}`, [
      {
        code: 'HANDLER_MISSING',
        file: manifestFile,
        field: 'entry',
        ...locate(['entry']),
        message: `the handler file ${manifest.entry} does not exist (add it, or a SKILL.md for an instruction skill)`,
      },
    ])
  }
  const { definition, files } = await importHandler(entryFile, hashes, compile)
  const problems: SkillProblem[] = []
  const warnings: SkillProblem[] = []
  const schemasAreZod = [definition.input, definition.output].every(
    (schema) => schema === undefined || (typeof schema === 'object' && '_zod' in schema),
  )
  if (!schemasAreZod) {
    warnings.push({
      code: 'HANDLER_SCHEMA_UNCHECKED',
      file: entryFile,
      message:
        'input/output are not zod schemas, so their agreement with skill.yaml is not checked',
    })
  } else {
    for (const mismatch of checkSchemaAgreement(manifest, definition)) {
      const problem: SkillProblem = {
        code: 'HANDLER_SCHEMA_MISMATCH',
        file: manifestFile,
        field: mismatch.field,
        ...locate(mismatch.field.split('.')),
        message: mismatch.message,
      }
      ;(mismatch.severity === 'error' ? problems : warnings).push(problem)
    }
  }
  if (problems.length > 0) {
    throw new SkillLoadError(
      `The handler of ${manifest.id} does not agree with its manifest`,
      problems,
    )
  }
  return {
    skill: freezeSkill({
      manifest,
      kind: 'handler',
      dir,
      manifestFile,
      definition,
      ...(instructions !== undefined ? { instructions } : {}),
      warnings,
      files: [manifestFile, ...files],
    }),
    locate,
  }
}

async function readInstructionFolder(
  dir: string,
  roots: readonly string[],
  hashes: Map<string, string>,
): Promise<LoadedSkill> {
  // Hashed before the import reads it: a change in between costs one more reload, never a missed one.
  const file = join(dir, 'SKILL.md')
  hashes.set(file, sha1(await readFile(file, 'utf8').catch(() => '')))
  const parent = basename(dirname(dir))
  const underRoot = roots.some((root) => dirname(dir) !== root && dir.startsWith(root + sep))
  const imported = await readAgentSkill(
    dir,
    SEGMENT.test(parent) && underRoot ? { domain: parent } : {},
  )
  return freezeSkill({
    manifest: imported.manifest,
    kind: 'instructions',
    dir,
    manifestFile: join(dir, 'SKILL.md'),
    instructions: imported.instructions,
    warnings: imported.warnings,
    files: [join(dir, 'SKILL.md')],
  })
}

/** The Markdown body of a SKILL.md beside a skill.yaml (frontmatter dropped). */
async function readInstructionsBody(file: string, hashes: Map<string, string>): Promise<string> {
  const raw = await readFile(file, 'utf8')
  hashes.set(file, sha1(raw))
  const text = raw.replace(/^\uFEFF/, '')
  const match = /^---\r?\n[\s\S]*?\r?\n---\r?\n?/.exec(text)
  return (match ? text.slice(match[0].length) : text).trim()
}

async function importHandler(
  entryFile: string,
  hashes: Map<string, string>,
  compile: Compile,
): Promise<{ definition: SkillDefinition; files: string[] }> {
  let compiled
  try {
    compiled = await compile(entryFile, hashes)
  } catch (error) {
    const messages = error instanceof CompileError ? error.errors : []
    const problems: SkillProblem[] = messages.map((m) => ({
      code: 'HANDLER_COMPILE_FAILED',
      file: m.location ? resolve('/', m.location.file) : entryFile,
      ...(m.location ? { line: m.location.line, column: m.location.column + 1 } : {}),
      message: m.text,
    }))
    throw new SkillLoadError(
      `Cannot compile ${entryFile}`,
      problems.length > 0
        ? problems
        : [{ code: 'HANDLER_COMPILE_FAILED', file: entryFile, message: (error as Error).message }],
      { cause: error },
    )
  }
  let module: Record<string, unknown>
  try {
    module = await importCompiled(compiled.code)
  } catch (error) {
    throw new SkillLoadError(
      `Cannot import ${entryFile}`,
      [
        {
          code: 'HANDLER_IMPORT_FAILED',
          file: entryFile,
          message: `the module threw while loading: ${(error as Error).message}`,
        },
      ],
      { cause: error },
    )
  }
  const definition = module.default
  if (!isSkillDefinition(definition)) {
    throw new SkillLoadError(`Invalid handler ${entryFile}`, [
      {
        code: 'HANDLER_INVALID',
        file: entryFile,
        message:
          'must `export default defineSkill({ input, output, handler })` (an object with a handler function)',
      },
    ])
  }
  return { definition, files: compiled.inputs }
}

function freezeSkill(parts: {
  manifest: SkillManifest
  kind: SkillKind
  dir: string
  manifestFile: string
  definition?: SkillDefinition
  instructions?: string
  warnings: SkillProblem[]
  files: string[]
}): LoadedSkill {
  const { manifest } = parts
  return Object.freeze({
    id: manifest.id,
    version: manifest.version,
    ...parts,
    dependencies: Object.freeze({}),
    ...(manifest.deprecated ? { deprecated: manifest.deprecated } : {}),
    warnings: Object.freeze([...parts.warnings]),
    files: Object.freeze([...parts.files]),
    loadedAt: new Date(),
  })
}

function toProblems(error: unknown, dir: string): SkillProblem[] {
  if (error instanceof SkillLoadError) return error.problems
  if (SkillOSError.is(error)) {
    const problems = (error.details?.problems ?? undefined) as SkillProblem[] | undefined
    if (Array.isArray(problems)) return problems
    return [{ code: error.code, file: dir, message: error.message }]
  }
  return [{ code: 'LOAD_FAILED', file: dir, message: (error as Error)?.message ?? String(error) }]
}
