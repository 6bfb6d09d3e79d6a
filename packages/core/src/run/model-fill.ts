import type { JsonSchemaSubset, SkillModel } from '@skillos/contracts'
import { fitsSchema } from '../extract/schema-fit.js'

/**
 * Ask the model provider for the parameters the deterministic extractor could not find. The model
 * sees the request and only the missing fields' schemas, must answer with one JSON object, and
 * every value it gives is checked against its field's schema; anything else is ignored, so a
 * field the model cannot fill stays missing (the person is asked, never a guess passed on).
 */
export async function fillMissingWithModel(
  model: SkillModel,
  text: string,
  schema: JsonSchemaSubset,
  missing: readonly string[],
): Promise<Record<string, unknown>> {
  const properties = schema.properties ?? {}
  const wanted = Object.fromEntries(
    missing.flatMap((f) => (properties[f] ? [[f, properties[f]]] : [])),
  )
  if (Object.keys(wanted).length === 0) return {}
  const response = await model.generate({
    system:
      'You extract parameters from a request. Answer with one JSON object and nothing else. ' +
      'Use only values stated in the request; leave out any field the request does not state.',
    prompt: `Request: ${JSON.stringify(text)}\nFields (JSON Schema): ${JSON.stringify(wanted)}`,
    maxTokens: 300,
    temperature: 0,
  })
  const json = /\{[\s\S]*\}/.exec(response.text)?.[0]
  if (!json) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return {}
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
  const values: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(parsed as Record<string, unknown>)) {
    const fieldSchema = wanted[field]
    if (fieldSchema && value !== null && value !== '' && fitsSchema(value, fieldSchema))
      values[field] = value
  }
  return values
}
