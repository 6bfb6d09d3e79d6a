import {
  SEMVER_PATTERN,
  SKILL_ID_PATTERN,
  riskLevels,
  sideEffectClasses,
  skillManifestSchema,
  type RiskLevel,
  type SideEffectClass,
} from '@skillos/contracts'
import type { FrontmatterIssue } from './check-frontmatter.js'
import { inferToolEffects } from './allowed-tools.js'
import {
  ID_SEGMENT_PATTERN,
  MAX_DOMAIN_LENGTH,
  MAX_SLUG_LENGTH,
  toIdSegment,
} from './id-segment.js'
import { AGENT_SKILL_LIMITS } from './spec.js'
import { readTags } from './tags.js'
import { quoteForMessage, truncateAtWord } from './text-limits.js'

/** The domain of an imported skill when neither the caller nor its metadata names one. */
export const DEFAULT_AGENT_SKILL_DOMAIN = 'agent-skills'

/** Manifest limits the spec does not share. */
const MANIFEST_LIMITS = { name: 120, license: 100, author: 200, example: 500, examples: 200 }

/** What the manifest is built from: the frontmatter fields already read as text. */
export interface ManifestSources {
  /** The frontmatter `name` as text, when it has one. */
  name: string | undefined
  folderName: string
  /** The full description, trimmed. */
  description: string
  license: string | undefined
  /** Raw parsed metadata (values not yet text), `{}` when absent or not a mapping. */
  metadata: Record<string, unknown>
  allowedTools: string[]
  /** The caller's domain, if any. */
  domain: string | undefined
}

/** The manifest candidate (valid by construction, still checked by the caller) and how it was made. */
export interface ManifestDraft {
  manifest: Record<string, unknown>
  /** The skill's slug, or undefined when neither name nor folder gives one. */
  slug: string | undefined
  warnings: FrontmatterIssue[]
}

/**
 * Map Agent Skill fields onto a SkillOS manifest (rules in {@link parseAgentSkill}'s docs). Every
 * value that had to be changed or was dropped comes back as a warning naming the field.
 */
export function draftManifest(sources: ManifestSources): ManifestDraft {
  const warnings: FrontmatterIssue[] = []
  const warn = (code: FrontmatterIssue['code'], path: string[], message: string) =>
    warnings.push({ code, path, message })
  const { metadata } = sources
  const text = (key: string): string | undefined => {
    const value = metadata[key]
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
  }

  const slug =
    (sources.name === undefined ? undefined : toIdSegment(sources.name, MAX_SLUG_LENGTH)) ??
    toIdSegment(sources.folderName, MAX_SLUG_LENGTH)
  const domain = resolveDomain(sources.domain, text('skillos-id'), text('domain'), warn)
  const skillosId = text('skillos-id')
  if (skillosId !== undefined && slug !== undefined) {
    if (!SKILL_ID_PATTERN.test(skillosId)) {
      warn(
        'AGENT_SKILL_ID_MISMATCH',
        ['metadata', 'skillos-id'],
        `${quoteForMessage(skillosId)} is not a SkillOS id ("domain/name"); ignored`,
      )
    } else if (skillosId.slice(skillosId.indexOf('/') + 1) !== slug) {
      warn(
        'AGENT_SKILL_ID_MISMATCH',
        ['metadata', 'skillos-id'],
        `"${skillosId}" does not end in the skill's name "${slug}"; the name wins (id "${domain}/${slug}")`,
      )
    }
  }

  const version = resolveVersion(metadata.version)
  if (metadata.version !== undefined && metadata.version !== null && version === undefined) {
    warn(
      'AGENT_SKILL_VERSION_INVALID',
      ['metadata', 'version'],
      `${quoteForMessage(String(metadata.version))} is not a semantic version; the manifest uses 0.0.0`,
    )
  }

  let name = text('title') ?? sources.name?.trim() ?? sources.folderName
  if (name === '') name = slug ?? sources.folderName
  if (name.length > MANIFEST_LIMITS.name) {
    warn(
      'AGENT_SKILL_NAME_TOO_LONG',
      text('title') === undefined ? ['name'] : ['metadata', 'title'],
      `is ${name.length} characters; the manifest name keeps the first ${MANIFEST_LIMITS.name}, cut at a word`,
    )
    name = truncateAtWord(name, MANIFEST_LIMITS.name)
  }

  const tagResult = readTags([metadata.tags, metadata.keywords])
  for (const rejected of tagResult.rejected) {
    warn(
      'AGENT_SKILL_TAG_INVALID',
      ['metadata', metadata.tags === undefined ? 'keywords' : 'tags'],
      `${quoteForMessage(rejected)} cannot be a tag (lowercase letters, digits and hyphens); left out`,
    )
  }
  if (tagResult.dropped > 0) {
    warn(
      'AGENT_SKILL_TOO_MANY_TAGS',
      ['metadata', metadata.tags === undefined ? 'keywords' : 'tags'],
      `has ${tagResult.tags.length + tagResult.dropped} tags; the manifest keeps the first 32`,
    )
  }

  const examples = readExamples(metadata['skillos-examples'], warn)

  let license = sources.license
  if (license !== undefined && license.length > MANIFEST_LIMITS.license) {
    warn(
      'AGENT_SKILL_LICENSE_TOO_LONG',
      ['license'],
      `is ${license.length} characters; the manifest keeps the first ${MANIFEST_LIMITS.license}, cut at a word`,
    )
    license = truncateAtWord(license, MANIFEST_LIMITS.license)
  }

  let author = text('author')
  if (metadata.author !== undefined && author === undefined) {
    warn('AGENT_SKILL_AUTHOR_INVALID', ['metadata', 'author'], 'is not text; no author is set')
  } else if (author !== undefined && author.length > MANIFEST_LIMITS.author) {
    warn(
      'AGENT_SKILL_AUTHOR_INVALID',
      ['metadata', 'author'],
      `is ${author.length} characters; the manifest keeps the first ${MANIFEST_LIMITS.author}`,
    )
    author = truncateAtWord(author, MANIFEST_LIMITS.author)
  }

  const homepage = resolveHomepage(metadata, warn)
  const effects = resolveEffects(sources.allowedTools, metadata)

  return {
    slug,
    warnings,
    manifest: {
      id: `${domain}/${slug ?? 'unnamed'}`,
      version: version ?? '0.0.0',
      name,
      description: truncateAtWord(sources.description, AGENT_SKILL_LIMITS.description),
      tags: tagResult.tags,
      examples,
      risk: effects.risk,
      sideEffects: effects.sideEffects,
      ...(license === undefined ? {} : { license }),
      ...(author === undefined ? {} : { author }),
      ...(homepage === undefined ? {} : { homepage }),
    },
  }
}

type Warn = (code: FrontmatterIssue['code'], path: string[], message: string) => void

function resolveDomain(
  explicit: string | undefined,
  skillosId: string | undefined,
  metadataDomain: string | undefined,
  warn: Warn,
): string {
  if (explicit !== undefined) {
    const domain = asDomain(explicit)
    if (domain !== explicit) {
      warn(
        'AGENT_SKILL_DOMAIN_INVALID',
        [],
        domain === undefined
          ? `the domain ${quoteForMessage(explicit)} has no usable characters; falling back to the skill's metadata or "${DEFAULT_AGENT_SKILL_DOMAIN}"`
          : `the domain ${quoteForMessage(explicit)} is not an id segment; using "${domain}"`,
      )
    }
    if (domain !== undefined) return domain
  }
  if (skillosId !== undefined && SKILL_ID_PATTERN.test(skillosId)) {
    const domain = asDomain(skillosId.slice(0, skillosId.indexOf('/')))
    if (domain !== undefined) return domain
  }
  if (metadataDomain !== undefined) {
    const domain = asDomain(metadataDomain)
    if (domain !== metadataDomain) {
      warn(
        'AGENT_SKILL_DOMAIN_INVALID',
        ['metadata', 'domain'],
        domain === undefined
          ? `${quoteForMessage(metadataDomain)} cannot be a domain; using "${DEFAULT_AGENT_SKILL_DOMAIN}"`
          : `${quoteForMessage(metadataDomain)} is not an id segment; using "${domain}"`,
      )
    }
    if (domain !== undefined) return domain
  }
  return DEFAULT_AGENT_SKILL_DOMAIN
}

function asDomain(text: string): string | undefined {
  if (ID_SEGMENT_PATTERN.test(text) && text.length <= MAX_DOMAIN_LENGTH) return text
  return toIdSegment(text, MAX_DOMAIN_LENGTH)
}

/**
 * A semantic version from `metadata.version`: valid semver as is (a leading `v` dropped), and the
 * short forms real files use (`1`, `1.2`, YAML number `1.2`) padded with `.0`; otherwise undefined.
 */
export function resolveVersion(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  const text = String(value)
    .trim()
    .replace(/^v(?=\d)/i, '')
  if (SEMVER_PATTERN.test(text)) return text
  const short = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text)
  if (!short) return undefined
  const [, major = '0', minor = '0', patch = '0'] = short
  const version = [major, minor, patch].map((part) => String(Number(part))).join('.')
  return SEMVER_PATTERN.test(version) ? version : undefined
}

function readExamples(value: unknown, warn: Warn): string[] {
  if (value === undefined || value === null) return []
  let parsed: unknown
  try {
    parsed = typeof value === 'string' ? JSON.parse(value) : value
  } catch {
    parsed = undefined
  }
  if (!Array.isArray(parsed)) {
    warn(
      'AGENT_SKILL_EXAMPLES_INVALID',
      ['metadata', 'skillos-examples'],
      'must be a JSON list of request strings; ignored',
    )
    return []
  }
  return parsed
    .filter((entry): entry is string => typeof entry === 'string')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && entry.length <= MANIFEST_LIMITS.example)
    .slice(0, MANIFEST_LIMITS.examples)
}

const HOMEPAGE_KEYS = ['homepage', 'source', 'repository', 'documentation'] as const
const homepageSchema = skillManifestSchema.shape.homepage

function resolveHomepage(metadata: Record<string, unknown>, warn: Warn): string | undefined {
  for (const key of HOMEPAGE_KEYS) {
    const value = metadata[key]
    if (typeof value !== 'string') continue
    const url = value.trim()
    if (/^https?:\/\//i.test(url) && homepageSchema.safeParse(url).success) return url
    if (key === 'homepage')
      warn('AGENT_SKILL_HOMEPAGE_INVALID', ['metadata', key], 'is not an http(s) URL; ignored')
  }
  return undefined
}

function resolveEffects(
  allowedTools: readonly string[],
  metadata: Record<string, unknown>,
): { risk: RiskLevel; sideEffects: SideEffectClass } {
  const inferred = inferToolEffects(allowedTools)
  const declaredRisk = riskLevels.find((level) => level === metadata.risk)
  const declaredEffects = sideEffectClasses.find((kind) => kind === metadata['side-effects'])
  // A file may raise its own risk but not lower it below what its tools imply.
  const sideEffects = higher(sideEffectClasses, inferred.sideEffects, declaredEffects)
  let risk = higher(riskLevels, inferred.risk, declaredRisk)
  if (sideEffects === 'payment' && risk === 'low') risk = 'medium'
  return { risk, sideEffects }
}

function higher<T extends string>(order: readonly T[], base: T, other: T | undefined): T {
  if (other === undefined) return base
  return order.indexOf(other) > order.indexOf(base) ? other : base
}
