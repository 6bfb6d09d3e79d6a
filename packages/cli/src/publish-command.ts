import { resolve } from 'node:path'
import { SkillOSError } from '@skillos/contracts'
import { packSkill, publishSkill, type PublishedSkill } from '@skillos/registry'
import { InvalidArgumentError, type Command } from 'commander'
import type { CommandContext } from './cli-io.js'
import { displayPath } from './local-system.js'
import {
  loggedInClient,
  openRegistryContext,
  parseRegistryOption,
  readSigningKey,
  withNextStep,
} from './registry-context.js'

/** `--tag` / a dist-tag argument: a word, never something that reads as a version or range. */
export function parseTag(value: string): string {
  if (!/^[a-z][a-z0-9._-]*$/i.test(value) || /^v?\d/.test(value)) {
    throw new InvalidArgumentError(
      'a dist-tag is a word such as beta or next (not a version: that would read as a range)',
    )
  }
  return value
}

/** What `skillos publish --json` prints. */
export interface PublishJson {
  id: string
  version: string
  registry: string
  integrity: string
  signedBy: string | null
  distTags: Record<string, string>
  size: number
  files: number
}

export function toPublishJson(published: PublishedSkill, registry: string): PublishJson {
  return {
    id: published.id,
    version: published.version,
    registry,
    integrity: published.integrity,
    signedBy: published.signature?.keyId ?? null,
    distTags: published.distTags,
    size: published.size,
    files: published.files.length,
  }
}

export function registerPublishCommand(program: Command, context: CommandContext): void {
  program
    .command('publish')
    .description(
      'pack a skill folder, sign it when registry.signingKey is set, and upload it to the registry',
    )
    .argument('[path]', 'the skill folder (holding skill.yaml)', '.')
    .option('--tag <tag>', 'the dist-tag to point at this version', parseTag, 'latest')
    .option(
      '--registry <url>',
      'the registry (default: registry.scopes[scope], then registry.url, SKILLOS_REGISTRY_URL)',
      parseRegistryOption,
    )
    .option('--json', 'print {"id", "version", "registry", "integrity", "signedBy", …} only')
    .addHelpText(
      'after',
      `
Examples:
  $ skillos publish skills/acme/convert-currency
  published acme/convert-currency@1.2.0 to http://127.0.0.1:4880 (latest)
    integrity sha512-9f1T…==
  $ skillos publish skills/acme/convert-currency --tag beta
  $ SKILLOS_REGISTRY_SIGNING_KEY=keys/publisher.pem skillos publish skills/acme/convert-currency

Published versions are immutable: bump "version" in skill.yaml to publish again.
Log in first with skillos login --registry URL (or set SKILLOS_REGISTRY_TOKEN).`,
    )
    .action(async (path: string, options: { tag: string; registry?: string; json?: boolean }) => {
      const { io } = context
      const { config } = await context.loadConfig()
      const dir = resolve(io.cwd, path)
      const registry = await openRegistryContext(io, config, options.registry)
      // Pack once up front to learn the id (the registry may depend on its scope).
      const { manifest } = await packSkill(dir)
      if (!manifest) {
        throw new SkillOSError({
          code: 'VALIDATION_FAILED',
          message: `Cannot publish ${displayPath(dir, io.cwd)}: it has no skill.yaml, and the registry reads the id and version from it`,
          details: { dir },
        })
      }
      const url = registry.registryFor(manifest.id)
      const client = await loggedInClient(registry, url)
      const signingKey = await readSigningKey(config, io.cwd)
      let published: PublishedSkill
      try {
        published = await publishSkill(dir, {
          client,
          tag: options.tag,
          ...(signingKey === undefined ? {} : { signingKey }),
        })
      } catch (error) {
        throw withNextStep(error, url)
      }
      if (options.json) {
        io.stdout(JSON.stringify(toPublishJson(published, url), null, 2))
        return
      }
      io.stdout(
        [
          `published ${published.id}@${published.version} to ${url} (${options.tag})`,
          `  integrity ${published.integrity}`,
          ...(published.signature ? [`  signed by ${published.signature.keyId}`] : []),
          `  ${published.files.length} files, ${published.size} bytes packed`,
        ].join('\n'),
      )
    })
}
