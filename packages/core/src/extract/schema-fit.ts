import type { JsonSchemaSubset } from '@skillos/contracts'

type TypeName =
  NonNullable<JsonSchemaSubset['type']> extends infer T ? (T extends unknown[] ? never : T) : never

/** The declared types of a schema as a list (`undefined` when any type is allowed). */
export function typesOf(schema: JsonSchemaSubset): TypeName[] | undefined {
  if (schema.type === undefined) return undefined
  return Array.isArray(schema.type) ? schema.type : [schema.type]
}

function hasType(value: unknown, type: TypeName): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'null':
      return value === null
    case 'array':
      return Array.isArray(value)
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
  }
}

const FORMATS: Record<NonNullable<JsonSchemaSubset['format']>, (s: string) => boolean> = {
  date: (s) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
    if (!m) return false
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
    return d.toISOString().slice(0, 10) === s
  },
  'date-time': (s) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/.test(s) &&
    !Number.isNaN(Date.parse(s)),
  time: (s) => /^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:Z|[+-]\d{2}:\d{2})?$/.test(s),
  email: (s) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s),
  uri: (s) => {
    try {
      return /^[a-z][a-z\d+.-]*:/i.test(s) && Boolean(new URL(s))
    } catch {
      return false
    }
  },
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  currency: (s) => /^[A-Z]{3}$/.test(s),
  country: (s) => /^[A-Z]{2}$/.test(s),
  phone: (s) => /^\+?\d[\d\s().-]{6,}\d$/.test(s),
}

/**
 * Whether `value` satisfies `schema`: type, const, enum, numeric bounds, multipleOf, string length,
 * pattern and format, array items, object properties and required, anyOf. Extracted values that do
 * not fit are never used.
 */
export function fitsSchema(value: unknown, schema: JsonSchemaSubset): boolean {
  const types = typesOf(schema)
  if (types && !types.some((t) => hasType(value, t))) return false
  if (schema.const !== undefined && value !== schema.const) return false
  if (schema.enum && !schema.enum.some((e) => e === value)) return false
  if (schema.anyOf && !schema.anyOf.some((s) => fitsSchema(value, s))) return false
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return false
    if (schema.maximum !== undefined && value > schema.maximum) return false
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return false
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return false
    if (schema.multipleOf !== undefined) {
      const ratio = value / schema.multipleOf
      if (Math.abs(ratio - Math.round(ratio)) > 1e-9) return false
    }
  }
  if (typeof value === 'string') {
    const length = [...value].length
    if (schema.minLength !== undefined && length < schema.minLength) return false
    if (schema.maxLength !== undefined && length > schema.maxLength) return false
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return false
    if (schema.format && !FORMATS[schema.format](value)) return false
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return false
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return false
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
      return false
    const items = schema.items
    if (items && !value.every((v) => fitsSchema(v, items))) return false
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>
    if (schema.required?.some((key) => !(key in record))) return false
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      if (key in record && !fitsSchema(record[key], sub)) return false
    }
  }
  return true
}
