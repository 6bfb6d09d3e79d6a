import { ValidationError } from '@skillos/contracts'
import { packSkill, type PackedFile } from '../pack/pack.js'
import type { SigningKeyInput, SkillSignature } from '../pack/signature.js'
import type { RegistryClient } from './registry-client.js'

export interface PublishSkillOptions {
  client: RegistryClient
  /** Ed25519 private key: the upload carries a signature over the tarball's integrity. */
  signingKey?: SigningKeyInput
  /** Dist-tag to point at the new version. Default `latest`. */
  tag?: string
}

/** What was published. */
export interface PublishedSkill {
  id: string
  version: string
  integrity: string
  signature?: SkillSignature
  distTags: Record<string, string>
  files: PackedFile[]
  unpackedSize: number
  /** Size of the uploaded tarball in bytes. */
  size: number
}

/**
 * Pack a skill folder (deterministically), sign it when a key is given, and upload it.
 *
 * @throws the errors of `packSkill` (invalid skill.yaml, unsafe files, over the size limit);
 *   ValidationError for a folder without skill.yaml (the registry needs its id and version);
 *   the registry's errors (`CONFLICT` when the version was ever published, `UNAUTHENTICATED`, …).
 * @example
 * ```ts
 * const published = await publishSkill('skills/acme/convert-currency', { client, signingKey: pem })
 * console.log(`${published.id}@${published.version} ${published.integrity}`)
 * ```
 */
export async function publishSkill(
  dir: string,
  options: PublishSkillOptions,
): Promise<PublishedSkill> {
  const packed = await packSkill(dir, {
    ...(options.signingKey === undefined ? {} : { signingKey: options.signingKey }),
  })
  if (!packed.manifest) {
    throw new ValidationError(
      `Cannot publish ${dir}: it has no skill.yaml, and the registry reads the id and version from it; add one (skillos add-skill shows the shape)`,
      [{ path: 'skill.yaml', message: 'missing' }],
    )
  }
  const { id, version } = packed.manifest
  const result = await options.client.publish({
    id,
    version,
    tarball: packed.tarball,
    integrity: packed.integrity,
    ...(packed.signature ? { signature: packed.signature } : {}),
    ...(options.tag ? { tag: options.tag } : {}),
  })
  return {
    id,
    version,
    integrity: result.integrity,
    ...(packed.signature ? { signature: packed.signature } : {}),
    distTags: result.distTags,
    files: packed.files,
    unpackedSize: packed.unpackedSize,
    size: packed.tarball.length,
  }
}
