import type { JsonSchemaSubset } from '@skillos/contracts'
import type { PropertyKind, Role } from './roles.js'

/** Why a required parameter is missing. */
export type MissingReason = 'not_found' | 'ambiguous' | 'invalid'

export interface QuestionInput {
  field: string
  schema: JsonSchemaSubset
  kind: PropertyKind
  role: Role | undefined
  language: 'en' | 'ru'
  reason: MissingReason
  /** What was found but not used (as written in the request). */
  candidates?: string[]
  /** Other properties the one mention fits equally well. */
  alsoFits?: string[]
}

const EN_LABELS: Partial<Record<PropertyKind, [string, string, string]>> = {
  // [no role, start, end]
  city: ['city', 'origin city', 'destination city'],
  currency: ['currency', 'source currency', 'target currency'],
  country: ['country', 'origin country', 'destination country'],
  date: ['date', 'start date', 'end date'],
  datetime: ['date and time', 'start date and time', 'end date and time'],
  amount: ['amount', 'minimum amount', 'maximum amount'],
  number: ['number', 'minimum', 'maximum'],
}
const RU_LABELS: Record<PropertyKind, [string, string, string]> = {
  city: ['город', 'город отправления', 'город назначения'],
  currency: ['валюту', 'исходную валюту', 'целевую валюту'],
  country: ['страну', 'страну отправления', 'страну назначения'],
  region: ['регион', 'регион', 'регион'],
  date: ['дату', 'дату начала', 'дату окончания'],
  datetime: ['дату и время', 'дату и время начала', 'дату и время окончания'],
  time: ['время', 'время начала', 'время окончания'],
  amount: ['сумму', 'минимальную сумму', 'максимальную сумму'],
  quantity: ['количество', 'минимальное количество', 'максимальное количество'],
  count: ['количество', 'минимальное количество', 'максимальное количество'],
  percent: ['процент', 'минимальный процент', 'максимальный процент'],
  number: ['число', 'минимальное значение', 'максимальное значение'],
  unit: ['единицу измерения', 'единицу измерения', 'единицу измерения'],
  email: ['адрес электронной почты', 'адрес электронной почты', 'адрес электронной почты'],
  phone: ['номер телефона', 'номер телефона', 'номер телефона'],
  uri: ['ссылку', 'ссылку', 'ссылку'],
  uuid: ['идентификатор', 'идентификатор', 'идентификатор'],
  enum: ['значение', 'значение', 'значение'],
  boolean: ['да или нет', 'да или нет', 'да или нет'],
  text: ['значение', 'значение', 'значение'],
}

function roleIndex(role: Role | undefined): 0 | 1 | 2 {
  return role === 'start' ? 1 : role === 'end' ? 2 : 0
}

/** "Destination city, IATA code or name." → "destination city" */
function shortLabel(text: string): string {
  const first = text.split(/[.;:(\n]|,\s/)[0]?.trim() ?? ''
  return /^\p{Lu}\p{Ll}/u.test(first) ? first[0]?.toLowerCase() + first.slice(1) : first
}

function humanize(field: string): string {
  return field
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
}

function rangeHint(schema: JsonSchemaSubset, language: 'en' | 'ru'): string {
  const ru = language === 'ru'
  const low =
    schema.minimum !== undefined
      ? `${ru ? 'не меньше' : 'at least'} ${schema.minimum}`
      : schema.exclusiveMinimum !== undefined
        ? `${ru ? 'больше' : 'more than'} ${schema.exclusiveMinimum}`
        : undefined
  const high =
    schema.maximum !== undefined
      ? `${ru ? 'не больше' : 'at most'} ${schema.maximum}`
      : schema.exclusiveMaximum !== undefined
        ? `${ru ? 'меньше' : 'less than'} ${schema.exclusiveMaximum}`
        : undefined
  if (schema.minimum !== undefined && schema.maximum !== undefined) {
    return ru
      ? ` (от ${schema.minimum} до ${schema.maximum})`
      : ` (from ${schema.minimum} to ${schema.maximum})`
  }
  const parts = [low, high].filter(Boolean)
  return parts.length > 0 ? ` (${parts.join(ru ? ' и ' : ' and ')})` : ''
}

function optionsHint(schema: JsonSchemaSubset, language: 'en' | 'ru'): string {
  const values = schema.enum ?? schema.items?.enum
  if (!values) return ''
  const list = values.map(String).join(', ')
  return language === 'ru' ? ` Варианты: ${list}.` : ` Options: ${list}.`
}

/**
 * A question a person can answer, in the request's language, built from the property's title or
 * description (or, failing those, its kind and role) plus its name, allowed values and range, and
 * what was found but could not be used:
 * "What is the destination city (to)?" / "Укажите город назначения (to)."
 */
export function questionFor(input: QuestionInput): string {
  const { field, schema, kind, role, language, reason, candidates = [], alsoFits = [] } = input
  const described = schema.title ?? schema.description
  const found = candidates.map((c) => (language === 'ru' ? `«${c}»` : `"${c}"`)).join(', ')
  let question: string
  if (language === 'ru') {
    const label =
      described && /\p{Script=Cyrillic}/u.test(described)
        ? shortLabel(described)
        : RU_LABELS[kind][roleIndex(role)]
    question = `Укажите ${label} (${field})${rangeHint(schema, 'ru')}.${optionsHint(schema, 'ru')}`
    if (reason === 'ambiguous' && alsoFits.length > 0) {
      question = `Непонятно, ${found} — это ${[field, ...alsoFits].join(' или ')}. ${question}`
    } else if (reason === 'ambiguous' && found) {
      question = `Нашлось несколько подходящих значений (${found}), непонятно, какое из них ${field}. ${question}`
    } else if (reason === 'invalid' && found) {
      question = `${found} не подходит для ${field}. ${question}`
    }
    return question
  }
  const label =
    described && !/\p{Script=Cyrillic}/u.test(described)
      ? shortLabel(described)
      : (EN_LABELS[kind]?.[roleIndex(role)] ??
        (kind === 'count' ? `number of ${humanize(field)}` : humanize(field)))
  const named = label === humanize(field) ? '' : ` (${field})`
  question = `What is the ${label}${named}${rangeHint(schema, 'en')}?${optionsHint(schema, 'en')}`
  if (reason === 'ambiguous' && alsoFits.length > 0) {
    question = `I cannot tell whether ${found} is the ${[field, ...alsoFits].join(' or the ')}. ${question}`
  } else if (reason === 'ambiguous' && found) {
    question = `I found more than one possible ${field} (${found}) and cannot tell which is meant. ${question}`
  } else if (reason === 'invalid' && found) {
    question = `${found} does not fit ${field}. ${question}`
  }
  return question
}
