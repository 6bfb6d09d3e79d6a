import type { JsonSchemaSubset } from '@skillos/contracts'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { checkSchemaAgreement } from './schema-agreement.js'

const manifest = (input: JsonSchemaSubset, output?: JsonSchemaSubset) => ({
  input,
  ...(output ? { output } : {}),
})

describe('checkSchemaAgreement', () => {
  const input: JsonSchemaSubset = {
    type: 'object',
    properties: {
      amount: { type: 'number' },
      currency: { type: 'string', enum: ['EUR', 'USD'] },
      count: { type: 'integer' },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['amount', 'currency'],
  }

  it('accepts a handler that takes every value the manifest allows', () => {
    const handler = z.object({
      amount: z.number(),
      currency: z.enum(['EUR', 'USD', 'RUB']),
      count: z.number().optional(),
      tags: z.array(z.string()).default([]),
    })
    expect(checkSchemaAgreement(manifest(input), { input: handler })).toEqual([])
  })

  it('names each disagreement: type, enum, array items, missing and required fields', () => {
    const handler = z.object({
      amount: z.string(),
      currency: z.enum(['EUR']),
      count: z.number().int(),
      tags: z.array(z.number()),
      when: z.string(),
    })
    const mismatches = checkSchemaAgreement(manifest(input), { input: handler })
    expect(mismatches).toEqual([
      {
        severity: 'error',
        field: 'input.properties.amount.type',
        message: 'skill.yaml allows number but the handler accepts only string',
      },
      {
        severity: 'error',
        field: 'input.properties.currency.enum',
        message: 'skill.yaml allows "USD", which the handler rejects',
      },
      {
        severity: 'error',
        field: 'input.properties.tags.items.type',
        message: 'skill.yaml allows string but the handler accepts only number',
      },
      {
        severity: 'error',
        field: 'input.properties.when',
        message: 'the handler requires "when" but skill.yaml does not declare it',
      },
      {
        severity: 'error',
        field: 'input.required',
        message: 'the handler requires "count" but in skill.yaml it is optional',
      },
      {
        severity: 'error',
        field: 'input.required',
        message: 'the handler requires "tags" but in skill.yaml it is optional',
      },
    ])
  })

  it('treats integer as a kind of number, not the other way round', () => {
    const narrow = manifest({ type: 'object', properties: { n: { type: 'number' } } })
    expect(
      checkSchemaAgreement(narrow, { input: z.object({ n: z.number().int().optional() }) })[0]
        ?.field,
    ).toBe('input.properties.n.type')
    const wide = manifest({ type: 'object', properties: { n: { type: 'integer' } } })
    expect(checkSchemaAgreement(wide, { input: z.object({ n: z.number().optional() }) })).toEqual(
      [],
    )
  })

  it('checks output the other way: what the handler returns must fit the manifest', () => {
    const declared = manifest(
      { type: 'object' },
      { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] },
    )
    expect(checkSchemaAgreement(declared, { output: z.object({ total: z.number() }) })).toEqual([])
    const mismatches = checkSchemaAgreement(declared, {
      output: z.object({ total: z.number().optional(), extra: z.string() }),
    })
    expect(mismatches.map((m) => [m.field, m.message])).toEqual([
      ['output.properties.extra', 'declared in the handler but skill.yaml has no such field'],
      ['output.required', 'skill.yaml requires "total" but in the handler it is optional'],
    ])
  })

  it('accepts nullable and union handler fields that include the declared type', () => {
    const m = manifest({ type: 'object', properties: { note: { type: 'string' } } })
    expect(
      checkSchemaAgreement(m, { input: z.object({ note: z.string().nullable().optional() }) }),
    ).toEqual([])
    expect(
      checkSchemaAgreement(m, {
        input: z.object({ note: z.union([z.string(), z.number()]).optional() }),
      }),
    ).toEqual([])
  })
})
