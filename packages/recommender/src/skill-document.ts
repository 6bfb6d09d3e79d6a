import { createHash } from 'node:crypto'
import { parseOrThrow } from '@skillos/contracts'
import { z } from 'zod'

/**
 * What the index knows about a skill: the routing-relevant part of its manifest. `examples` are
 * requests the skill should answer (any language) — the strongest routing signal an author has.
 */
export const skillDocumentSchema = z.strictObject({
  id: z.string().trim().min(1).max(128),
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().min(1).max(1024),
  tags: z.array(z.string().min(1).max(64)).max(32).default([]),
  examples: z.array(z.string().trim().min(1).max(500)).max(200).default([]),
  /** The tenant that owns the skill; absent for a skill every tenant sees. */
  tenant: z.string().min(1).max(128).optional(),
})

export type SkillDocumentInput = z.input<typeof skillDocumentSchema>
export type SkillDocument = z.output<typeof skillDocumentSchema>

export function parseSkillDocuments(skills: unknown): SkillDocument[] {
  return parseOrThrow(z.array(skillDocumentSchema).max(100_000), skills, {
    what: 'skills',
    pathPrefix: 'skills',
  })
}

/** Words of an id such as `finance/convert-currency`. */
function idWords(id: string): string {
  return id.replace(/[/_.-]+/g, ' ')
}

/** The text BM25 indexes: every field a request might echo. */
export function lexicalText(skill: SkillDocument): string {
  return [
    idWords(skill.id),
    skill.name,
    skill.description,
    skill.tags.join(' '),
    ...skill.examples,
  ].join('\n')
}

/** The texts embedded for a skill: the document, then each example on its own. */
export function embeddingTexts(skill: SkillDocument): string[] {
  const head = `${skill.name}. ${skill.description}${skill.tags.length > 0 ? ` (${skill.tags.join(', ')})` : ''}`
  return [head, ...skill.examples]
}

/** sha256 of the embedded texts: equal hash and embedder → equal vectors, no need to embed again. */
export function textHash(texts: readonly string[]): string {
  const hash = createHash('sha256')
  for (const text of texts) hash.update(text).update('\u0000')
  return hash.digest('hex')
}
