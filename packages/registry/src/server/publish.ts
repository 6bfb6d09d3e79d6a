import { SkillOSError, type SkillManifest } from '@skillos/contracts'
import {
  registryPackages,
  registryScopeMembers,
  registryScopes,
  registryVersions,
  type Transaction,
} from '@skillos/store'
import { inspectTarball } from '../pack/unpack.js'
import type { SkillSignature } from '../pack/signature.js'
import type { Access } from './access.js'
import { blobKeyOf } from './blob-store.js'
import type { Catalog } from './catalog.js'
import { checkId, checkTag, checkVersion, conflict, denied, invalid, notFound } from './checks.js'
import type { ServiceContext, VersionRow } from './context.js'
import type { Principal, PublishInput, PublishResult } from './types.js'

/** One version to write: a local publish, or a version fetched from the upstream of a mirror. */
export interface VersionToWrite {
  /** The publishing user (`upstream` for a mirror). */
  caller: string
  id: string
  scope: string
  manifest: SkillManifest
  integrity: string
  signature: SkillSignature | undefined
  size: number
  files: string[]
  tag: string
  /** The scope did not exist when the caller checked: create it (the caller becomes its owner). */
  createScope: boolean
  mirrored?: boolean
  publishedAt?: Date
  publishedBy?: string
}

/** Publishing: checks, the content-addressed blob, then every row in one transaction. */
export interface Publisher {
  publish(principal: Principal | undefined, input: PublishInput): Promise<PublishResult>
  /**
   * Write a version's rows (scope when new, package, version, dist-tag, event) in `tx`; returns the
   * package's dist-tags. A version number that exists, even unpublished, is a `CONFLICT`.
   */
  writeVersion(tx: Transaction, input: VersionToWrite): Promise<Record<string, string>>
}

/** The `CONFLICT` for a version number that is taken (published versions are immutable). */
function taken(id: string, version: string, row: VersionRow): SkillOSError {
  return conflict(
    row.unpublishedAt
      ? `${id}@${version} was published and unpublished; a version number is never reused — publish a new version`
      : `${id}@${version} is already published; published versions are immutable — publish a new version`,
    { id, version },
  )
}

/** The publisher of `ctx`'s tenant. */
export function createPublisher(ctx: ServiceContext, access: Access, catalog: Catalog): Publisher {
  const { tenant, database, db, blobs, queries, events, now, logger } = ctx
  const { maxTarballBytes } = ctx.limits

  async function publish(
    principal: Principal | undefined,
    input: PublishInput,
  ): Promise<PublishResult> {
    const caller = access.requireWriteRole(principal)
    const { scope: scopeName } = checkId(input.id)
    checkVersion(input.version)
    const tag = input.tag ?? 'latest'
    checkTag(tag)
    if (input.tarball.length > maxTarballBytes) {
      throw new SkillOSError({
        code: 'PAYLOAD_TOO_LARGE',
        message: `The tarball is ${input.tarball.length} bytes, over the limit of ${maxTarballBytes}`,
        details: { limit: maxTarballBytes },
      })
    }
    if (typeof input.integrity !== 'string' || !input.integrity.startsWith('sha512-'))
      throw invalid('integrity', 'a sha512 integrity (Skillos-Integrity header) is required')

    const scope = await access.scopeRow(scopeName)
    if (scope) {
      if (!(await access.canRead(caller, scope))) throw notFound(`Scope ${scopeName}`)
      if (scope.mirrored) throw denied(`Scope ${scopeName} is mirrored and read-only here`)
      if (caller.role !== 'admin')
        await access.requireScopeRole(db, scopeName, caller.user, 'publisher')
    }
    await access.rateLimitWrite(caller)
    const existing = await queries.versionRow(db, input.id, input.version)
    if (existing) throw taken(input.id, input.version, existing)

    const trusted = scope?.trustedKeys ?? []
    if (scope?.requireSignatures && input.signature === undefined) {
      throw new SkillOSError({
        code: 'INTEGRITY_FAILED',
        message: `Scope ${scopeName} requires signed skills: send Skillos-Signature: <keyId> <base64>`,
      })
    }
    const verify = input.signature !== undefined && (scope?.requireSignatures || trusted.length > 0)
    if (scope?.requireSignatures && trusted.length === 0)
      throw denied(`Scope ${scopeName} requires signatures but trusts no key; add trustedKeys`)
    const inspected = await inspectTarball(input.tarball, {
      integrity: input.integrity,
      maxCompressedBytes: maxTarballBytes,
      ...(verify
        ? {
            signature: input.signature,
            trustedKeys: Object.fromEntries(trusted.map((key) => [key.keyId, key.publicKey])),
          }
        : {}),
    })
    const manifest = inspected.manifest
    if (!manifest)
      throw invalid('tarball', 'has no skill/skill.yaml (a registry skill needs a manifest)')
    if (manifest.id !== input.id)
      throw invalid('manifest.id', `the tarball says ${manifest.id}, the URL says ${input.id}`)
    if (manifest.version !== input.version)
      throw invalid(
        'manifest.version',
        `the tarball says ${manifest.version}, the URL says ${input.version}`,
      )

    // 1. The blob, content-addressed: a retry or a crash after this point is harmless.
    await blobs.put(blobKeyOf(inspected.integrity), input.tarball)
    // 2. Everything else in one transaction.
    const distTags = await database.transaction(async (tx) =>
      writeVersion(tx, {
        caller: caller.user,
        id: input.id,
        scope: scopeName,
        manifest,
        integrity: inspected.integrity,
        signature: input.signature,
        size: input.tarball.length,
        files: inspected.files.map((file) => file.path),
        tag,
        createScope: scope === undefined,
      }),
    )
    await catalog.invalidate([input.id], scope === undefined ? [scopeName] : [])
    logger?.info({ id: input.id, version: input.version, user: caller.user }, 'skill published')
    return { id: input.id, version: input.version, integrity: inspected.integrity, distTags }
  }

  async function writeVersion(
    tx: Transaction,
    input: VersionToWrite,
  ): Promise<Record<string, string>> {
    const { id, manifest } = input
    if (input.createScope) {
      const [created] = await tx
        .insert(registryScopes)
        .values({ tenantId: tenant, scope: input.scope, mirrored: input.mirrored ?? false })
        .onConflictDoNothing()
        .returning()
      if (created) {
        if (!input.mirrored)
          await tx
            .insert(registryScopeMembers)
            .values({ tenantId: tenant, scope: input.scope, user: input.caller, role: 'owner' })
        await events.record(tx, 'scope.created', input.caller, input.scope, {
          visibility: 'public',
          ...(input.mirrored ? { mirrored: true } : {}),
        })
      } else if (!input.mirrored) {
        // Someone created the scope between our check and this transaction: check again.
        await access.requireScopeRole(tx, input.scope, input.caller, 'publisher')
      }
    }
    const at = now()
    await tx
      .insert(registryPackages)
      .values({ tenantId: tenant, id, scope: input.scope, createdAt: at, modifiedAt: at })
      .onConflictDoUpdate({
        target: [registryPackages.tenantId, registryPackages.id],
        set: { modifiedAt: at },
      })
    const [inserted] = await tx
      .insert(registryVersions)
      .values({
        tenantId: tenant,
        packageId: id,
        version: manifest.version,
        manifest: manifest as unknown as Record<string, unknown>,
        integrity: input.integrity,
        signature: input.signature ?? null,
        sizeBytes: input.size,
        files: input.files,
        publishedAt: input.publishedAt ?? at,
        publishedBy: input.publishedBy ?? input.caller,
      })
      .onConflictDoNothing()
      .returning({ version: registryVersions.version })
    if (!inserted) {
      const row = await queries.versionRow(tx, id, manifest.version)
      throw taken(id, manifest.version, row!)
    }
    await queries.pointDistTag(tx, id, input.tag, manifest.version)
    await events.record(
      tx,
      input.mirrored ? 'skill.mirrored' : 'skill.published',
      input.caller,
      id,
      {
        version: manifest.version,
        integrity: input.integrity,
        tag: input.tag,
        size: input.size,
      },
    )
    await ctx.beforePublishCommit?.({ id, version: manifest.version })
    return queries.distTagsOf(tx, id)
  }

  return { publish, writeVersion }
}
