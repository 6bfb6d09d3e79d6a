import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { SkillOSError } from '@skillos/contracts'
import semver from 'semver'
import type { SkillSignature, TrustedKeys } from '../pack/signature.js'
import { inspectTarball, unpackSkill } from '../pack/unpack.js'
import { readLockfile, writeLockfile, type LockEntry, type Lockfile } from './lockfile.js'
import type { RegistryClient } from './registry-client.js'
import { defaultRange, resolveVersion } from './resolve.js'
import { parseSkillId, parseSkillSpec } from './skill-spec.js'
import type { VersionMetadata } from './wire.js'

/** Where and how to install. */
export interface InstallOptions {
  /** Skills land in `<root>/<scope>/<name>/`. */
  root: string
  /** The `skills-lock.yaml` to read and update. */
  lockfile: string
  /** The registry URL serving a skill id (per-scope registries, else the default). */
  registryFor: (id: string) => string
  /** A client for a registry URL (with the token for it). */
  client: (registryUrl: string) => RegistryClient | Promise<RegistryClient>
  /**
   * Public keys of trusted publishers. When non-empty, every skill installed must carry a valid
   * signature by one of them.
   */
  trustedKeys?: readonly string[]
  /** Replace a skill folder that the lockfile does not know (someone's own skill). Default false. */
  force?: boolean
  /** Also install the skills a manifest lists under `dependencies`. Default true. */
  dependencies?: boolean
}

/** What happened to one skill. */
export interface InstallResult {
  id: string
  version: string
  /** The version that was there before, when it changed. */
  previous?: string
  integrity: string
  directory: string
  /** `unchanged`: the lockfile already had this exact version and its folder exists. */
  status: 'installed' | 'updated' | 'unchanged'
  /** The key id whose signature was verified. */
  signedBy?: string
  deprecated?: string
  /** True for a skill installed because another one depends on it. */
  dependency?: boolean
}

export interface InstallReport {
  installed: InstallResult[]
  lockfile: string
}

/** One skill to put in place, fully decided before anything is downloaded. */
interface PlannedSkill {
  id: string
  range: string
  registry: string
  metadata: VersionMetadata
  dependency: boolean
}

/** One skill downloaded and verified, ready to write. */
interface FetchedSkill {
  id: string
  version: string
  range?: string
  registry: string
  tarballUrl: string
  tarball: Uint8Array
  integrity: string
  signature?: SkillSignature
  verifiedSignature: boolean
  deprecated?: string
  dependency: boolean
}

/** The folder a skill is installed into. */
export function skillDirectory(root: string, id: string): string {
  const { scope, name } = parseSkillId(id)
  return join(root, scope, name)
}

/**
 * Install skills from a registry: resolve each `id[@range]` (and, by default, the dependencies
 * their manifests list) against the packument and dist-tags, download each tarball, verify its
 * integrity and — when `trustedKeys` is set — its signature, check that it holds the skill and
 * version asked for, and only then unpack each into `<root>/<scope>/<name>/` (through a temporary
 * sibling folder renamed into place) and update the lockfile. A failure before the writes installs
 * nothing and leaves every installed version as it was.
 *
 * @throws SkillOSError `NOT_FOUND` (no such skill or no matching version), `INTEGRITY_FAILED`
 *   (tampered tarball, missing or bad signature), `CONFLICT` (a folder the lockfile does not
 *   manage, or two dependency ranges no version meets), the registry's own errors.
 * @example
 * ```ts
 * const report = await installSkills(['acme/convert-currency@^1.2.0'], {
 *   root: 'skills',
 *   lockfile: 'skills-lock.yaml',
 *   registryFor: () => 'http://127.0.0.1:4873',
 *   client: (url) => createRegistryClient({ url }),
 * })
 * report.installed[0] // { id: 'acme/convert-currency', version: '1.4.0', status: 'installed', … }
 * ```
 */
export async function installSkills(
  specs: readonly string[],
  options: InstallOptions,
): Promise<InstallReport> {
  const lockfile = await readLockfile(options.lockfile)
  const requests = specs.map((spec) => parseSkillSpec(spec))
  const plan = await planInstall(
    requests.map((r) => ({ id: r.id, range: r.range, dependency: false })),
    lockfile,
    options,
  )
  return applyPlan(plan, lockfile, options)
}

/**
 * Install exactly what the lockfile records: the same tarball URLs, checked against the recorded
 * integrity (so the same bytes), and the recorded signature key when there is one. Every tarball is
 * downloaded and verified before any folder is written.
 *
 * @example
 * ```ts
 * await installFromLockfile({ root: 'skills', lockfile: 'skills-lock.yaml', registryFor, client })
 * ```
 */
export async function installFromLockfile(options: InstallOptions): Promise<InstallReport> {
  const lockfile = await readLockfile(options.lockfile)
  const fetched: FetchedSkill[] = []
  for (const [id, entry] of Object.entries(lockfile.skills).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    fetched.push(await fetchLocked(id, entry, options))
  }
  return writeFetched(fetched, lockfile, options)
}

/** A skill installed by the lockfile, against what the registry now offers. */
export interface OutdatedSkill {
  id: string
  current: string
  /** The highest version within the recorded range (what `update` moves to). */
  wanted: string
  /** The `latest` dist-tag. */
  latest: string
  range: string
  registry: string
  /** The deprecation message of the current version, if it was deprecated since. */
  deprecated?: string
}

/**
 * Compare the lockfile with the registries: for each installed skill, the version its range now
 * resolves to (`wanted`) and the `latest` dist-tag. Lists only skills where either differs.
 */
export async function findOutdated(
  options: Pick<InstallOptions, 'lockfile' | 'client'>,
): Promise<OutdatedSkill[]> {
  const lockfile = await readLockfile(options.lockfile)
  const outdated: OutdatedSkill[] = []
  for (const [id, entry] of Object.entries(lockfile.skills).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const packument = await (await options.client(entry.registry)).packument(id)
    const range = entry.range ?? defaultRange(entry.version)
    const wanted = resolveVersion(packument, range).metadata.version
    const latest = packument.distTags.latest ?? wanted
    const deprecated = packument.versions[entry.version]?.deprecated ?? undefined
    if (wanted !== entry.version || latest !== entry.version || deprecated) {
      outdated.push({
        id,
        current: entry.version,
        wanted,
        latest,
        range,
        registry: entry.registry,
        ...(deprecated ? { deprecated } : {}),
      })
    }
  }
  return outdated
}

/**
 * Move installed skills (all, or the ids given) to the highest version their recorded range allows,
 * with the same checks and all-or-nothing writes as {@link installSkills}.
 *
 * @throws SkillOSError `NOT_FOUND` for an id the lockfile does not have.
 */
export async function updateSkills(
  ids: readonly string[],
  options: InstallOptions,
): Promise<InstallReport> {
  const lockfile = await readLockfile(options.lockfile)
  const selected = ids.length > 0 ? ids : Object.keys(lockfile.skills).sort()
  const requests = selected.map((id) => {
    parseSkillId(id)
    const entry = lockfile.skills[id]
    if (!entry) {
      throw new SkillOSError({
        code: 'NOT_FOUND',
        message: `${id} is not installed here (not in ${options.lockfile}); install it with skillos install ${id}`,
        details: { id },
      })
    }
    return { id, range: entry.range ?? defaultRange(entry.version), dependency: false }
  })
  const plan = await planInstall(requests, lockfile, options, { registryFromLock: true })
  return applyPlan(plan, lockfile, options)
}

async function planInstall(
  requests: { id: string; range: string | undefined; dependency: boolean }[],
  lockfile: Lockfile,
  options: InstallOptions,
  planOptions: { registryFromLock?: boolean } = {},
): Promise<PlannedSkill[]> {
  const planned = new Map<string, PlannedSkill>()
  const queue = [...requests]
  while (queue.length > 0) {
    const request = queue.shift()!
    const existing = planned.get(request.id)
    if (existing) {
      if (request.range === undefined || satisfiesRequest(existing.metadata, request.range)) {
        continue
      }
      throw new SkillOSError({
        code: 'CONFLICT',
        message: `${request.id}: ${existing.metadata.version} is being installed, but "${request.range}" is also required; one folder holds one version, so align the ranges`,
        details: { id: request.id, version: existing.metadata.version, range: request.range },
      })
    }
    const locked = lockfile.skills[request.id]
    if (request.dependency && locked && satisfiesRequest(locked, request.range)) continue

    const registry =
      planOptions.registryFromLock && locked ? locked.registry : options.registryFor(request.id)
    const packument = await (await options.client(registry)).packument(request.id)
    const resolved = resolveVersion(packument, request.range)
    const range = request.range ?? defaultRange(resolved.metadata.version)
    planned.set(request.id, {
      id: request.id,
      range,
      registry,
      metadata: resolved.metadata,
      dependency: request.dependency,
    })
    if (options.dependencies !== false) {
      const dependencies = resolved.metadata.manifest?.dependencies ?? {}
      for (const [id, dependencyRange] of Object.entries(dependencies).sort()) {
        queue.push({ id, range: dependencyRange, dependency: true })
      }
    }
  }
  return [...planned.values()]
}

function satisfiesRequest(installed: { version: string }, range: string | undefined): boolean {
  if (range === undefined) return true
  return semver.validRange(range) !== null && semver.satisfies(installed.version, range)
}

async function applyPlan(
  plan: readonly PlannedSkill[],
  lockfile: Lockfile,
  options: InstallOptions,
): Promise<InstallReport> {
  // Refuse to replace folders the lockfile does not manage before downloading anything.
  for (const skill of plan) await assertManaged(skill.id, lockfile, options)
  const fetched: FetchedSkill[] = []
  for (const skill of plan) {
    const locked = lockfile.skills[skill.id]
    if (
      locked &&
      locked.version === skill.metadata.version &&
      locked.integrity === skill.metadata.integrity &&
      (await folderExists(skillDirectory(options.root, skill.id)))
    ) {
      continue // already there; `unchanged` below
    }
    fetched.push(await fetchPlanned(skill, options))
  }
  const report = await writeFetched(fetched, lockfile, options)
  const unchanged: InstallResult[] = plan
    .filter((skill) => !fetched.some((f) => f.id === skill.id))
    .map((skill) => {
      const locked = lockfile.skills[skill.id]!
      return {
        id: skill.id,
        version: locked.version,
        integrity: locked.integrity,
        directory: skillDirectory(options.root, skill.id),
        status: 'unchanged' as const,
        ...(locked.signature ? { signedBy: locked.signature.keyId } : {}),
        ...(skill.dependency ? { dependency: true } : {}),
      }
    })
  return { ...report, installed: [...report.installed, ...unchanged] }
}

async function assertManaged(id: string, lockfile: Lockfile, options: InstallOptions) {
  if (options.force || lockfile.skills[id]) return
  const directory = skillDirectory(options.root, id)
  const names = await readdir(directory).catch(() => [])
  if (names.length > 0) {
    throw new SkillOSError({
      code: 'CONFLICT',
      message: `${directory} already holds a skill that ${options.lockfile} does not record (your own?); move it away, or pass --force to replace it`,
      details: { id, directory },
    })
  }
}

async function folderExists(path: string): Promise<boolean> {
  return readdir(path).then(
    () => true,
    () => false,
  )
}

async function fetchPlanned(skill: PlannedSkill, options: InstallOptions): Promise<FetchedSkill> {
  const client = await options.client(skill.registry)
  const { metadata } = skill
  const tarball = await client.downloadTarball(metadata.tarball, {
    integrity: metadata.integrity,
  })
  const signature = metadata.signature ?? undefined
  const verified = await verifyTarball(skill.id, metadata.version, tarball, {
    integrity: metadata.integrity,
    signature,
    trustedKeys: options.trustedKeys,
  })
  return {
    id: skill.id,
    version: metadata.version,
    range: skill.range,
    registry: client.url,
    tarballUrl: metadata.tarball,
    tarball,
    integrity: metadata.integrity,
    ...(signature ? { signature } : {}),
    verifiedSignature: verified,
    ...(metadata.deprecated ? { deprecated: metadata.deprecated } : {}),
    dependency: skill.dependency,
  }
}

async function fetchLocked(
  id: string,
  entry: LockEntry,
  options: InstallOptions,
): Promise<FetchedSkill> {
  const client = await options.client(entry.registry)
  const tarball = await client.downloadTarball(entry.tarball, { integrity: entry.integrity })
  const trusted = options.trustedKeys ?? []
  let signature: SkillSignature | undefined
  if (entry.signature) {
    if (trusted.length === 0) {
      throw new SkillOSError({
        code: 'INTEGRITY_FAILED',
        message: `${id}@${entry.version} was installed signed by key ${entry.signature.keyId}, and no trusted key is configured to check it; add that publisher's public key to registry.trustedKeys (or SKILLOS_REGISTRY_TRUSTED_KEYS)`,
        details: { id, keyId: entry.signature.keyId },
      })
    }
    signature = { keyId: entry.signature.keyId, algorithm: 'ed25519', value: entry.signature.value }
  } else if (trusted.length > 0) {
    signature = (await client.version(id, entry.version)).signature ?? undefined
  }
  const verified = await verifyTarball(id, entry.version, tarball, {
    integrity: entry.integrity,
    signature,
    trustedKeys: options.trustedKeys,
  })
  return {
    id,
    version: entry.version,
    ...(entry.range === undefined ? {} : { range: entry.range }),
    registry: entry.registry,
    tarballUrl: entry.tarball,
    tarball,
    integrity: entry.integrity,
    ...(signature ? { signature } : {}),
    verifiedSignature: verified,
    dependency: false,
  }
}

/**
 * Every check short of writing: integrity, signature (when keys are trusted), the archive rules,
 * and that its skill.yaml names the id and version asked for. Returns whether a signature was
 * verified.
 */
async function verifyTarball(
  id: string,
  version: string,
  tarball: Uint8Array,
  checks: {
    integrity: string
    signature: SkillSignature | undefined
    trustedKeys: readonly string[] | undefined
  },
): Promise<boolean> {
  const trusted =
    checks.trustedKeys && checks.trustedKeys.length > 0 ? checks.trustedKeys : undefined
  let inspected
  try {
    inspected = await inspectTarball(tarball, {
      integrity: checks.integrity,
      ...(checks.signature ? { signature: checks.signature } : {}),
      ...(trusted ? { trustedKeys: trusted as TrustedKeys } : {}),
    })
  } catch (error) {
    if (SkillOSError.is(error)) {
      throw new SkillOSError({
        code: error.code,
        message: `${id}@${version}: ${error.message}; nothing was installed`,
        details: { ...error.details, id, version },
        cause: error,
      })
    }
    throw error
  }
  const manifest = inspected.manifest
  if (manifest && (manifest.id !== id || manifest.version !== version)) {
    throw new SkillOSError({
      code: 'INTEGRITY_FAILED',
      message: `The tarball for ${id}@${version} holds ${manifest.id}@${manifest.version}; the registry served the wrong skill, so nothing was installed`,
      details: { id, version, found: `${manifest.id}@${manifest.version}` },
    })
  }
  return trusted !== undefined
}

async function writeFetched(
  fetched: readonly FetchedSkill[],
  lockfile: Lockfile,
  options: InstallOptions,
): Promise<InstallReport> {
  const installed: InstallResult[] = []
  const next: Lockfile = { ...lockfile, skills: { ...lockfile.skills } }
  try {
    for (const skill of fetched) {
      const directory = skillDirectory(options.root, skill.id)
      const previous = lockfile.skills[skill.id]?.version
      await unpackSkill(skill.tarball, directory, {
        integrity: skill.integrity,
        overwrite: true,
      })
      next.skills[skill.id] = {
        version: skill.version,
        ...(skill.range === undefined ? {} : { range: skill.range }),
        registry: skill.registry,
        tarball: skill.tarballUrl,
        integrity: skill.integrity,
        ...(skill.verifiedSignature && skill.signature
          ? { signature: { keyId: skill.signature.keyId, value: skill.signature.value } }
          : {}),
      }
      installed.push({
        id: skill.id,
        version: skill.version,
        ...(previous !== undefined && previous !== skill.version ? { previous } : {}),
        integrity: skill.integrity,
        directory,
        status: previous !== undefined && previous !== skill.version ? 'updated' : 'installed',
        ...(skill.verifiedSignature && skill.signature ? { signedBy: skill.signature.keyId } : {}),
        ...(skill.deprecated ? { deprecated: skill.deprecated } : {}),
        ...(skill.dependency ? { dependency: true } : {}),
      })
    }
  } finally {
    // Record what did get written, even when a later write failed.
    if (installed.length > 0) await writeLockfile(options.lockfile, next)
  }
  return { installed, lockfile: options.lockfile }
}
