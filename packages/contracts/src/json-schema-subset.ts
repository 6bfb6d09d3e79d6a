import { z } from 'zod'

const primitiveTypes = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'null',
] as const
const formats = [
  'date',
  'date-time',
  'time',
  'email',
  'uri',
  'uuid',
  'currency',
  'country',
  'phone',
] as const

/**
 * The JSON Schema keywords a skill's `input` / `output` may use: enough to describe business
 * parameters and to drive parameter extraction, small enough that every keyword is honoured
 * everywhere. An unknown keyword is an error (a typo such as `requird` must not pass silently).
 */
export interface JsonSchemaSubset {
  type?: (typeof primitiveTypes)[number] | (typeof primitiveTypes)[number][]
  title?: string
  description?: string
  default?: unknown
  examples?: unknown[]
  enum?: (string | number | boolean | null)[]
  const?: string | number | boolean | null
  format?: (typeof formats)[number]
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  multipleOf?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  items?: JsonSchemaSubset
  minItems?: number
  maxItems?: number
  uniqueItems?: boolean
  properties?: Record<string, JsonSchemaSubset>
  required?: string[]
  additionalProperties?: boolean | JsonSchemaSubset
  anyOf?: JsonSchemaSubset[]
}

const nonNegativeInt = z.number().int().min(0)
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()])

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source, 'u')
    return true
  } catch {
    return false
  }
}

export const jsonSchemaSubsetSchema: z.ZodType<JsonSchemaSubset> = z
  .strictObject({
    type: z.union([z.enum(primitiveTypes), z.array(z.enum(primitiveTypes)).min(1)]).optional(),
    title: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    default: z.unknown().optional(),
    examples: z.array(z.unknown()).optional(),
    enum: z.array(scalar).min(1).optional(),
    const: scalar.optional(),
    format: z.enum(formats).optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    exclusiveMinimum: z.number().optional(),
    exclusiveMaximum: z.number().optional(),
    multipleOf: z.number().positive().optional(),
    minLength: nonNegativeInt.optional(),
    maxLength: nonNegativeInt.optional(),
    pattern: z.string().refine(isValidRegex, 'must be a valid regular expression').optional(),
    get items() {
      return jsonSchemaSubsetSchema.optional()
    },
    minItems: nonNegativeInt.optional(),
    maxItems: nonNegativeInt.optional(),
    uniqueItems: z.boolean().optional(),
    get properties() {
      return z.record(z.string().min(1), jsonSchemaSubsetSchema).optional()
    },
    required: z.array(z.string().min(1)).optional(),
    get additionalProperties() {
      return z.union([z.boolean(), jsonSchemaSubsetSchema]).optional()
    },
    get anyOf() {
      return z.array(jsonSchemaSubsetSchema).min(1).optional()
    },
  })
  .superRefine((schema, ctx) => {
    for (const name of schema.required ?? []) {
      if (!schema.properties || !(name in schema.properties)) {
        ctx.addIssue({
          code: 'custom',
          path: ['required'],
          message: `"${name}" is required but not declared in properties`,
        })
      }
    }
    if (
      schema.minimum !== undefined &&
      schema.maximum !== undefined &&
      schema.minimum > schema.maximum
    ) {
      ctx.addIssue({ code: 'custom', path: ['minimum'], message: 'must not exceed maximum' })
    }
    if (
      schema.minLength !== undefined &&
      schema.maxLength !== undefined &&
      schema.minLength > schema.maxLength
    ) {
      ctx.addIssue({ code: 'custom', path: ['minLength'], message: 'must not exceed maxLength' })
    }
    if (
      schema.minItems !== undefined &&
      schema.maxItems !== undefined &&
      schema.minItems > schema.maxItems
    ) {
      ctx.addIssue({ code: 'custom', path: ['minItems'], message: 'must not exceed maxItems' })
    }
  })
