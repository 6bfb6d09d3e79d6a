import type { JsonSchemaSubset } from '@skillos/contracts'
import { z } from 'zod'

/** Where a handler's schema and its manifest disagree. Errors stop the load; warnings do not. */
export interface SchemaMismatch {
  severity: 'error' | 'warning'
  /** Dotted path in the manifest: `input.properties.amount.type`. */
  field: string
  message: string
}

type JsonSchema = Record<string, unknown>

/** The JSON Schema a handler's zod schema accepts (`io: 'input'`: defaults make fields optional). */
export function zodToJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema
}

/** The JSON types a schema admits, `integer` counted as its own type; empty when unconstrained. */
function typesOf(schema: JsonSchema): Set<string> {
  const types = new Set<string>()
  const type = schema.type
  if (typeof type === 'string') types.add(type)
  else if (Array.isArray(type)) for (const t of type) types.add(String(t))
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : []
  if (types.size === 0)
    for (const value of values) {
      if (value === null) types.add('null')
      else if (typeof value === 'number') types.add(Number.isInteger(value) ? 'integer' : 'number')
      else types.add(typeof value)
    }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key]
    if (!Array.isArray(branches)) continue
    const branchTypes = branches.map((branch) => typesOf(branch as JsonSchema))
    // An unconstrained branch makes the whole union unconstrained.
    if (branchTypes.some((t) => t.size === 0)) return new Set()
    for (const t of branchTypes) for (const one of t) types.add(one)
  }
  return types
}

function accepts(wide: Set<string>, type: string): boolean {
  return wide.has(type) || (type === 'integer' && wide.has('number'))
}

/** The object branch of a schema (the schema itself, or its one object-typed `anyOf` branch). */
function objectPart(schema: JsonSchema): JsonSchema | undefined {
  if (schema.properties !== undefined || schema.type === 'object') return schema
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined
  return branches?.find((b) => b.properties !== undefined || b.type === 'object')
}

function compare(
  narrow: JsonSchema,
  wide: JsonSchema,
  path: string,
  names: { narrow: string; wide: string },
  out: SchemaMismatch[],
): void {
  const narrowTypes = typesOf(narrow)
  const wideTypes = typesOf(wide)
  if (wideTypes.size > 0) {
    if (narrowTypes.size === 0) {
      out.push({
        severity: 'warning',
        field: `${path}.type`,
        message: `${names.narrow} allows any value but ${names.wide} accepts only ${[...wideTypes].join(' | ')}`,
      })
    } else {
      const rejected = [...narrowTypes].filter((t) => !accepts(wideTypes, t))
      if (rejected.length > 0) {
        out.push({
          severity: 'error',
          field: `${path}.type`,
          message: `${names.narrow} allows ${rejected.join(' | ')} but ${names.wide} accepts only ${[...wideTypes].join(' | ')}`,
        })
        return
      }
    }
  }
  if (Array.isArray(narrow.enum) && Array.isArray(wide.enum)) {
    const allowed = new Set(wide.enum.map((v) => JSON.stringify(v)))
    const missing = narrow.enum.filter((v) => !allowed.has(JSON.stringify(v)))
    if (missing.length > 0)
      out.push({
        severity: 'error',
        field: `${path}.enum`,
        message: `${names.narrow} allows ${missing.map((v) => JSON.stringify(v)).join(', ')}, which ${names.wide} rejects`,
      })
  }
  const narrowObject = objectPart(narrow)
  const wideObject = objectPart(wide)
  if (narrowObject && wideObject) {
    const narrowProps = (narrowObject.properties ?? {}) as Record<string, JsonSchema>
    const wideProps = (wideObject.properties ?? {}) as Record<string, JsonSchema>
    const narrowRequired = new Set((narrowObject.required ?? []) as string[])
    const wideRequired = new Set((wideObject.required ?? []) as string[])
    const wideOpen =
      wideObject.additionalProperties !== false && Object.keys(wideProps).length === 0
    for (const [key, schema] of Object.entries(narrowProps)) {
      const other = wideProps[key]
      if (other) compare(schema, other, `${path}.properties.${key}`, names, out)
      else if (!wideOpen)
        out.push({
          severity: 'error',
          field: `${path}.properties.${key}`,
          message: `declared in ${names.narrow} but ${names.wide} has no such field`,
        })
    }
    for (const key of Object.keys(wideProps)) {
      if (key in narrowProps) continue
      out.push({
        severity: wideRequired.has(key) ? 'error' : 'warning',
        field: `${path}.properties.${key}`,
        message: `${names.wide} ${wideRequired.has(key) ? 'requires' : 'accepts'} "${key}" but ${names.narrow} does not declare it`,
      })
    }
    for (const key of wideRequired) {
      if (key in narrowProps && !narrowRequired.has(key))
        out.push({
          severity: 'error',
          field: `${path}.required`,
          message: `${names.wide} requires "${key}" but in ${names.narrow} it is optional`,
        })
    }
  }
  if (
    typeof narrow.items === 'object' &&
    narrow.items !== null &&
    typeof wide.items === 'object' &&
    wide.items !== null
  ) {
    compare(narrow.items as JsonSchema, wide.items as JsonSchema, `${path}.items`, names, out)
  }
}

/**
 * Check that a handler's zod schemas agree with its manifest. For input, every value the manifest
 * allows must pass the handler's schema (the orchestrator fills parameters from the manifest); for
 * output, every value the handler returns must fit the manifest (callers rely on it).
 *
 * @example
 * ```ts
 * checkSchemaAgreement(manifest, { input: z.object({ amount: z.number() }) })
 * // [{ severity: 'error', field: 'input.properties.amount.type', message: 'skill.yaml allows string but …' }]
 * ```
 */
export function checkSchemaAgreement(
  manifest: { input: JsonSchemaSubset; output?: JsonSchemaSubset | undefined },
  definition: { input?: z.ZodType | undefined; output?: z.ZodType | undefined },
): SchemaMismatch[] {
  const out: SchemaMismatch[] = []
  const names = { narrow: 'skill.yaml', wide: 'the handler' }
  if (definition.input) {
    const handler = zodToJsonSchema(definition.input, 'input')
    compare(manifest.input as JsonSchema, handler, 'input', names, out)
  }
  if (definition.output && manifest.output) {
    const handler = zodToJsonSchema(definition.output, 'output')
    compare(
      handler,
      manifest.output as JsonSchema,
      'output',
      { narrow: 'the handler', wide: 'skill.yaml' },
      out,
    )
  }
  return out
}
