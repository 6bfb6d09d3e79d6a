import type { JsonSchemaSubset } from '@skillos/contracts'
import { Blocks, blocksView, type ExtractionBlocks } from './blocks.js'
import { toDateTime } from './dates.js'
import { spansOverlap } from './match.js'
import { questionFor, type MissingReason } from './questions.js'
import { unitOf } from './quantities.js'
import {
  cueBefore,
  cueFamilyOf,
  isPairConnector,
  kindOf,
  labelAffinity,
  labelTerms,
  labelWords,
  roleOfProperty,
  type PropertyKind,
  type Role,
} from './roles.js'
import { fitsSchema, typesOf } from './schema-fit.js'
import { detectLanguage, tokenizeWords } from './words.js'

export interface FillOptions {
  /** The caller's structured input: always wins, and is kept as given. */
  params?: Record<string, unknown>
  /** For relative dates (default: the current time). */
  now?: Date
  /** The requester's offset from UTC in minutes (default 0). */
  timeZoneOffsetMinutes?: number
  /**
   * A skill's own extractor. Runs after `params`; its values win over the generic ones, but are
   * used only when they fit the property's schema.
   */
  extract?: (text: string, blocks: ExtractionBlocks) => Record<string, unknown> | undefined
  /** Other words for enum values, per property: `{ law: { '44-FZ': ['госзакупки'] } }`. */
  synonyms?: Record<string, Record<string, string[]>>
  /**
   * Values from earlier pipeline steps (see the manifest's `bindings`): used for what neither the
   * caller nor the text filled, before defaults, and only where they fit the property's schema.
   */
  upstream?: Record<string, unknown>
}

export interface FilledParameter {
  value: unknown
  /** `answer`: from a person's answer to a `needs_input` question (see `answerParameters`). */
  source: 'params' | 'skill' | 'text' | 'upstream' | 'default' | 'answer'
  /** The characters the value was read from. */
  text?: string
  /** Where, in the text the value was read from (the request, or the answer). */
  span?: [number, number]
}

export interface MissingParameter {
  field: string
  /** A question a person can answer, in the request's language. */
  question: string
  reason?: MissingReason
  /** What was found but not used, as written. */
  candidates?: string[]
}

export interface FillResult {
  values: Record<string, unknown>
  filled: Record<string, FilledParameter>
  missing: MissingParameter[]
  language: 'en' | 'ru'
}

interface Candidate {
  /** Value representations, most preferred first; the first one that fits the schema is used. */
  alternatives: unknown[]
  text: string
  /** What using this candidate claims. */
  span: [number, number]
  /** Where role cues and label words are looked for. */
  context: [number, number]
  /** What the mention is (money, plain number, quantity…): drives the preference per kind. */
  tag: Tag
  role?: Role
  weakRole?: Role
}

type Tag = 'money' | 'plain' | 'quantity' | 'percent' | 'label' | 'strong'

interface Property {
  name: string
  schema: JsonSchemaSubset
  kind: PropertyKind
  role: Role | undefined
  required: boolean
  multi: boolean
  terms: string[]
  /** It takes a code (`IATA`, `ISO`, a short or patterned string) rather than a name. */
  code: boolean
  /** Mentions that would have fitted but for the schema; `near`: the property's label is next to it. */
  rejected: { text: string; near: boolean }[]
  /** Several mentions fit equally. */
  ambiguous?: string[]
  /** One mention fits this and other properties equally. */
  sharedWith?: { mention: string; properties: string[] }
}

interface Pair {
  property: Property
  candidate: Candidate
  value: unknown
  score: number
}

// Filled in this order, so the most specific mentions are claimed first ("44-ФЗ" before 44).
const KIND_ORDER: PropertyKind[] = [
  'email',
  'uri',
  'phone',
  'uuid',
  'enum',
  'unit',
  'datetime',
  'date',
  'time',
  'currency',
  'country',
  'city',
  'region',
  'percent',
  'amount',
  'quantity',
  'count',
  'number',
  'boolean',
  'text',
]

// How much a kind of property wants each kind of number mention; absent = never.
const NUMBER_TAGS: Partial<Record<PropertyKind, Partial<Record<Tag, number>>>> = {
  amount: { money: 3, plain: 2 },
  quantity: { quantity: 3, plain: 2 },
  count: { plain: 3, quantity: 1 },
  percent: { percent: 3, plain: 1 },
  number: { label: 3, plain: 2, money: 1, quantity: 1, percent: 1 },
}

const RESERVED_KEYS = ['dates', 'times', 'phones', 'emails', 'urls', 'uuids'] as const

interface Scene {
  text: string
  blocks: Blocks
  language: 'en' | 'ru'
  offsetMinutes: number
  synonyms: Record<string, Record<string, string[]>>
  claimed: [number, number][]
  booleanCount: number
  /** `nearWords` per mention (a mention is scored once per property that could take it). */
  near: Map<string, NearWords>
  /** Where dates, times, phones, emails, URLs and UUIDs are: no number is read inside them. */
  reserved?: [number, number][]
}

function isClaimed(scene: Scene, span: [number, number]): boolean {
  return scene.claimed.some((c) => spansOverlap(c, span))
}

// "№ 42", "#42", "no. 42", "N 42": a number named by its label.
const NUMBER_SIGN = /(?:№|#|(?<![\p{L}])no\.?|(?<![\p{L}])n)\s*$/iu

function numberCandidates(scene: Scene, property: Property): Candidate[] {
  const { blocks, text } = scene
  const wants = NUMBER_TAGS[property.kind] ?? {}
  const out: Candidate[] = []
  if (blocks.numbers.length === 0) return out
  const reserved = (scene.reserved ??= RESERVED_KEYS.flatMap((key) =>
    blocks[key].map((m) => m.span),
  ))
  for (const number of blocks.numbers) {
    if (reserved.some((span) => spansOverlap(span, number.span))) continue
    const money = blocks.money.find((m) => m.number.span[0] === number.span[0])
    const percent = blocks.percentages.find((p) => p.numberSpan[0] === number.span[0])
    const quantity = blocks.quantities.find((q) => q.numberSpan?.[0] === number.span[0])
    const labelled = NUMBER_SIGN.test(text.slice(Math.max(0, number.span[0] - 4), number.span[0]))
    const tag: Tag = money
      ? 'money'
      : percent
        ? 'percent'
        : quantity
          ? 'quantity'
          : labelled
            ? 'label'
            : 'plain'
    if (!wants[tag]) continue
    let alternatives: unknown[] = [number.value]
    if (
      property.kind === 'percent' &&
      property.schema.maximum !== undefined &&
      property.schema.maximum <= 1
    ) {
      alternatives = [Math.round((number.value / 100) * 1e9) / 1e9]
    }
    out.push({
      alternatives,
      text: (money ?? percent ?? quantity ?? number).text,
      span: number.span,
      context: (money ?? percent ?? quantity ?? number).span,
      tag,
    })
  }
  return out
}

function wantsCode(property: Pick<Property, 'name' | 'schema'>): boolean {
  const words = [
    ...labelWords(property.name, property.schema).name,
    ...labelWords('', property.schema).text,
  ]
  const { maxLength, pattern } = property.schema
  return (
    words.some((w) => /^(?:iata|code|iso|alpha)/.test(w)) ||
    (maxLength !== undefined && maxLength <= 3) ||
    pattern !== undefined
  )
}

function booleanCandidates(scene: Scene, property: Property): Candidate[] {
  const out: Candidate[] = []
  if (scene.booleanCount === 1) {
    for (const m of scene.blocks.booleans) {
      out.push({
        alternatives: [m.value],
        text: m.text,
        span: m.span,
        context: m.span,
        tag: 'strong',
      })
    }
  }
  // "with baggage" / "без багажа": the property's own words, negated or not.
  const terms = property.terms.filter((t) => t.length >= 4)
  const tokens = tokenizeWords(scene.text)
  tokens.forEach((token, i) => {
    if (!terms.some((t) => labelAffinity([t], [token.norm]) > 0)) return
    const before = tokens.slice(Math.max(0, i - 2), i).map((t) => t.norm)
    const negated = before.some((w) => /^(?:no|not|without|non|без|не|нет)$/.test(w))
    out.push({
      alternatives: [!negated],
      text: token.word,
      span: [token.start, token.end],
      context: [token.start, token.end],
      tag: 'strong',
    })
  })
  return out
}

function candidatesFor(scene: Scene, property: Property): Candidate[] {
  const { blocks, text } = scene
  const simple = <T>(
    matches: { value: T; text: string; span: [number, number] }[],
    map: (v: T) => unknown[],
  ) =>
    matches.map((m): Candidate => ({
      alternatives: map(m.value),
      text: m.text,
      span: m.span,
      context: m.span,
      tag: 'strong',
    }))
  const schema = property.multi && property.schema.items ? property.schema.items : property.schema
  switch (property.kind) {
    case 'email':
      return simple(blocks.emails, (v) => [v])
    case 'uri':
      return simple(blocks.urls, (v) => [v])
    case 'phone':
      return simple(blocks.phones, (v) => [v])
    case 'uuid':
      return simple(blocks.uuids, (v) => [v])
    case 'enum':
      return simple(
        blocks.matchEnum(schema.enum ?? [], { synonyms: scene.synonyms[property.name] ?? {} }),
        (v) => [v],
      )
    case 'unit':
      return blocks.quantities.map((q) => ({
        alternatives: [
          ...(schema.enum ?? []).filter((e) => typeof e === 'string' && unitOf(e) === q.value.unit),
          q.value.unit,
        ],
        text: text.slice(q.unitSpan[0], q.unitSpan[1]),
        span: q.unitSpan,
        context: q.span,
        tag: 'strong',
      }))
    case 'date':
      return simple(blocks.dates, (v) => [v])
    case 'datetime':
      return blocks.dates.map((d) => {
        const time = blocks.times.find(
          (t) =>
            t.span[0] >= d.span[1] &&
            /^\s*(?:,|at|в|к)?\s*$/iu.test(text.slice(d.span[1], t.span[0])),
        )
        const end = time ? time.span[1] : d.span[1]
        return {
          alternatives: [toDateTime(d.value, time?.value ?? '00:00', scene.offsetMinutes)],
          text: text.slice(d.span[0], end),
          span: [d.span[0], end],
          context: [d.span[0], end],
          tag: 'strong',
        }
      })
    case 'time':
      return simple(blocks.times, (v) => [v, `${v}:00`])
    case 'currency':
      return blocks.currencies.map((c) => {
        const money = blocks.money.find((m) => m.currencyMatch.span[0] === c.span[0])
        return {
          alternatives: [c.value],
          text: c.text,
          span: c.span,
          context: money ? money.span : c.span,
          tag: 'strong',
          // "convert 250 EUR …": the currency of the amount is where the conversion starts.
          ...(money ? { weakRole: 'start' as const } : {}),
        }
      })
    case 'country': {
      const code = property.schema.format === 'country' || property.code
      return simple(blocks.countries, (v) => (code ? [v.code, v.name] : [v.name, v.code]))
    }
    case 'city': {
      const { code } = property
      return simple(blocks.cities, (v) =>
        code ? [v.iata, v.name].filter(Boolean) : [v.name, v.iata].filter(Boolean),
      )
    }
    case 'region':
      return [
        ...simple(blocks.regions, (v) => [v]),
        ...simple(blocks.cities, (v) =>
          scene.language === 'ru' ? [v.nameRu, v.name] : [v.name, v.nameRu],
        ),
      ]
    case 'percent':
    case 'amount':
    case 'quantity':
    case 'count':
    case 'number':
      return numberCandidates(scene, property)
    case 'boolean':
      return booleanCandidates(scene, property)
    case 'text':
      return simple(blocks.quoted, (v) => [v])
  }
}

/** Prepositions, then pairs ("X to Y", "из X в Y", "10–15 марта") decide start and end. */
function markRoles(scene: Scene, kind: PropertyKind, candidates: Candidate[]): void {
  const family = cueFamilyOf(kind)
  const sorted = [...candidates].sort((a, b) => a.context[0] - b.context[0])
  for (const c of sorted) {
    const cue = cueBefore(scene.text, c.context[0], family)
    if (cue) c.role = cue
  }
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]
    const b = sorted[i + 1]
    if (!a || !b || !isPairConnector(scene.text.slice(a.context[1], b.context[0]))) continue
    a.role ??= 'start'
    b.role ??= 'end'
  }
  // "on March 15" with a start and an end date: the lone first date is where the period starts.
  if (family === 'date' && !sorted.some((c) => c.role === 'start')) {
    const first = sorted.find((c) => !c.role)
    if (first) first.weakRole = 'start'
  }
}

interface NearWords {
  before: string[]
  after: string[]
}

const NEAR_WORD = /[\p{L}\p{N}]+|[№#]/gu
const CLAUSE_ENDS = [',', ';', '!', '?', '. ', '\n']

function lowerWords(text: string): string[] {
  return (text.match(NEAR_WORD) ?? []).map((w) => w.toLowerCase())
}

/** The two words before a mention (in its clause) and the word after it, per mention. */
function nearWords(scene: Scene, span: [number, number]): NearWords {
  const key = `${span[0]}:${span[1]}`
  let near = scene.near.get(key)
  if (near) return near
  const { text } = scene
  let before = text.slice(Math.max(0, span[0] - 40), span[0])
  // Stop at the end of the previous clause: "2 passengers, 3 bags".
  let cut = -1
  for (const end of CLAUSE_ENDS) cut = Math.max(cut, before.lastIndexOf(end))
  if (cut >= 0) before = before.slice(cut + 1)
  const afterText = text.slice(span[1], span[1] + 30)
  const afterCut = afterText.search(/[,;!?\n]|\.\s/u)
  near = {
    before: lowerWords(before).slice(-2),
    after: lowerWords(afterCut >= 0 ? afterText.slice(0, afterCut) : afterText).slice(0, 1),
  }
  scene.near.set(key, near)
  return near
}

function scorePair(scene: Scene, property: Property, candidate: Candidate): number {
  const tagScore =
    candidate.tag === 'strong' ? 3 : (NUMBER_TAGS[property.kind]?.[candidate.tag] ?? 0)
  if (tagScore === 0) return 0
  const near = nearWords(scene, candidate.context)
  const affinity =
    2 * labelAffinity(property.terms, near.after) + labelAffinity(property.terms, near.before)
  // A percent property takes a bare number only when its label is next to it ("маржа 15").
  if (property.kind === 'percent' && candidate.tag === 'plain' && affinity === 0) return 0
  let score = tagScore * 100 + affinity * 20
  if (property.role && candidate.role) {
    if (property.role !== candidate.role) return 0
    score += 50
  } else if (property.role && candidate.weakRole) {
    score += property.role === candidate.weakRole ? 10 : -10
  }
  return score
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function assignGroup(scene: Scene, properties: Property[], results: Map<string, Pair>): void {
  const pools = new Map<Property, Candidate[]>()
  for (const property of properties) {
    const candidates = candidatesFor(scene, property).filter((c) => !isClaimed(scene, c.span))
    markRoles(scene, property.kind, candidates)
    pools.set(property, candidates)
  }
  let pairs: Pair[] = []
  for (const property of properties.filter((p) => !p.multi)) {
    for (const candidate of pools.get(property) ?? []) {
      const value = candidate.alternatives.find((v) => fitsSchema(v, property.schema))
      const score = scorePair(scene, property, candidate)
      if (score <= 0) continue
      if (value === undefined) {
        const near = nearWords(scene, candidate.context)
        const labelled = labelAffinity(property.terms, [...near.before, ...near.after]) > 0
        property.rejected.push({ text: candidate.text, near: labelled })
        continue
      }
      pairs.push({ property, candidate, value, score })
    }
  }
  const drop = (test: (p: Pair) => boolean): void => {
    pairs = pairs.filter((p) => !test(p))
  }
  while (pairs.length > 0) {
    const best = Math.max(...pairs.map((p) => p.score))
    const top = pairs
      .filter((p) => p.score === best)
      .sort((a, b) => a.candidate.span[0] - b.candidate.span[0])
    let chosen = top[0]
    if (!chosen) break
    const first = chosen
    const sameCandidate = top.filter((p) => spansOverlap(p.candidate.span, first.candidate.span))
    const contenders = [...new Set(sameCandidate.map((p) => p.property))]
    if (contenders.length > 1) {
      // One mention, several properties equally fit: a required one is the one being asked about.
      const required = sameCandidate.filter((p) => p.property.required)
      const onlyRequired = required.length === 1 ? required[0] : undefined
      if (!onlyRequired) {
        for (const property of contenders) {
          property.sharedWith = {
            mention: first.candidate.text,
            properties: contenders.filter((c) => c !== property).map((c) => c.name),
          }
        }
        drop((p) => contenders.includes(p.property))
        continue
      }
      chosen = onlyRequired
    }
    const pick = chosen
    const rivals = top.filter(
      (p) =>
        p.property === pick.property &&
        !spansOverlap(p.candidate.span, pick.candidate.span) &&
        !sameValue(p.value, pick.value),
    )
    if (rivals.length > 0) {
      pick.property.ambiguous = [pick.candidate.text, ...rivals.map((r) => r.candidate.text)]
      drop((p) => p.property === pick.property)
      continue
    }
    results.set(pick.property.name, pick)
    scene.claimed.push(pick.candidate.span)
    drop((p) => p.property === pick.property || spansOverlap(p.candidate.span, pick.candidate.span))
  }
  for (const property of properties.filter((p) => p.multi)) {
    const items = property.schema.items ?? {}
    const chosen: Pair[] = []
    for (const candidate of pools.get(property) ?? []) {
      if (isClaimed(scene, candidate.span) || scorePair(scene, property, candidate) <= 0) continue
      const value = candidate.alternatives.find((v) => fitsSchema(v, items))
      if (value !== undefined && !chosen.some((c) => sameValue(c.value, value))) {
        chosen.push({ property, candidate, value, score: 1 })
      }
    }
    const values = chosen.map((c) => c.value)
    const first = chosen[0]
    const last = chosen[chosen.length - 1]
    if (!first || !last || !fitsSchema(values, property.schema)) continue
    results.set(property.name, {
      property,
      candidate: {
        ...first.candidate,
        text: chosen.map((c) => c.candidate.text).join(', '),
        span: [first.candidate.span[0], last.candidate.span[1]],
      },
      value: values,
      score: 1,
    })
    for (const c of chosen) scene.claimed.push(c.candidate.span)
  }
}

/** What `describeProperties` works out of a schema, kept per schema object: a skill's never changes. */
const described = new WeakMap<JsonSchemaSubset, readonly Omit<Property, 'rejected'>[]>()

/** The schema's properties for one fill (each with its own list of rejected mentions). */
function describeProperties(schema: JsonSchemaSubset): Property[] {
  let properties = described.get(schema)
  if (!properties) {
    const required = new Set(schema.required ?? [])
    properties = Object.entries(schema.properties ?? {}).map(([name, propertySchema]) => ({
      name,
      schema: propertySchema,
      kind: kindOf(name, propertySchema),
      role: roleOfProperty(name, propertySchema),
      required: required.has(name),
      multi: Boolean(propertySchema.items) && (typesOf(propertySchema)?.includes('array') ?? false),
      terms: labelTerms(name, propertySchema),
      code: wantsCode({ name, schema: propertySchema }),
    }))
    described.set(schema, properties)
  }
  return properties.map((p) => ({
    name: p.name,
    schema: p.schema,
    kind: p.kind,
    role: p.role,
    required: p.required,
    multi: p.multi,
    terms: p.terms,
    code: p.code,
    rejected: [],
  }))
}

/** Claims the mention a caller- or skill-given value came from, so it is not used twice. */
function claimGiven(scene: Scene, property: Property, value: unknown): Candidate | undefined {
  const candidate = candidatesFor(scene, property).find(
    (c) => !isClaimed(scene, c.span) && c.alternatives.some((a) => sameValue(a, value)),
  )
  if (candidate) scene.claimed.push(candidate.span)
  return candidate
}

/**
 * Fills a skill's input parameters from the request text.
 *
 * Order: the caller's `params` (kept as given), then the skill's own `extract` (used where the value
 * fits the schema), then the generic building blocks chosen per property (see `kindOf`), then
 * `upstream` (earlier pipeline steps' outputs), then `default`/`const`. Each mention in the text fills at most one property; two properties of the same
 * kind are told apart by roles (`from`/`to`, `origin`/`destination`, `checkIn`/`checkOut`,
 * `min`/`max`) and the prepositions and order of the text ("from X to Y", "из X в Y", "с 10 по 15
 * марта", "от 1 до 5 млн"). A value that does not fit the property's schema is not used. When two
 * mentions fit one property equally, or one mention fits two properties equally, nothing is
 * guessed: a required property without a value goes to `missing` with a question in the request's
 * language.
 *
 * @example
 * ```ts
 * const schema = {
 *   type: 'object',
 *   properties: {
 *     amount: { type: 'number', exclusiveMinimum: 0 },
 *     from: { type: 'string', format: 'currency', description: 'Source currency' },
 *     to: { type: 'string', format: 'currency', description: 'Target currency' },
 *   },
 *   required: ['amount', 'from', 'to'],
 * } satisfies JsonSchemaSubset
 * fillParameters(schema, 'переведи 250 евро в рубли').values // { amount: 250, from: 'EUR', to: 'RUB' }
 * fillParameters(schema, 'convert 250 EUR').missing[0]?.question // 'What is the target currency (to)?'
 * ```
 */
export function fillParameters(
  schema: JsonSchemaSubset,
  text: string,
  options: FillOptions = {},
): FillResult {
  const language = detectLanguage(text)
  const result = fill(schema, text, options, language, 'text')
  // One mention that fits two fields equally is asked about; when an earlier step already provides
  // one of them, the mention belongs to the other ("себестоимость 1,2 млн" after a notice's НМЦК).
  const upstream = Object.keys(options.upstream ?? {}).filter(
    (name) => result.filled[name]?.source === 'upstream',
  )
  if (upstream.length > 0 && result.missing.some((m) => m.reason === 'ambiguous')) {
    const retry = fill(schema, text, options, language, 'text', new Set(upstream))
    if (retry.missing.length < result.missing.length) return retry
  }
  return result
}

function fill(
  schema: JsonSchemaSubset,
  text: string,
  options: FillOptions,
  language: 'en' | 'ru',
  textSource: 'text' | 'answer',
  /** Fields left to `upstream` (and defaults) rather than read from the text. */
  deferred: ReadonlySet<string> = new Set(),
): FillResult {
  const blocks = new Blocks(text, {
    ...(options.now ? { now: options.now } : {}),
    timeZoneOffsetMinutes: options.timeZoneOffsetMinutes ?? 0,
  })
  const properties = describeProperties(schema)
  const scene: Scene = {
    text,
    blocks,
    language,
    offsetMinutes: options.timeZoneOffsetMinutes ?? 0,
    synonyms: options.synonyms ?? {},
    claimed: [],
    near: new Map(),
    booleanCount: properties.filter((p) => p.kind === 'boolean').length,
  }
  const values: Record<string, unknown> = {}
  const filled: Record<string, FilledParameter> = {}
  const given = (property: Property, value: unknown, source: 'params' | 'skill'): void => {
    values[property.name] = value
    const candidate = claimGiven(scene, property, value)
    filled[property.name] = {
      value,
      source,
      ...(candidate ? { text: candidate.text, span: candidate.span } : {}),
    }
  }

  for (const [name, value] of Object.entries(options.params ?? {})) {
    if (value === undefined) continue
    const property = properties.find((p) => p.name === name)
    if (property) given(property, value, 'params')
    else {
      values[name] = value
      filled[name] = { value, source: 'params' }
    }
  }
  const fromSkill = options.extract?.(text, blocksView(blocks)) ?? {}
  for (const property of properties) {
    const value = fromSkill[property.name]
    if (property.name in values || value === undefined) continue
    if (fitsSchema(value, property.schema)) given(property, value, 'skill')
  }

  const open = properties.filter((p) => !(p.name in values) && !deferred.has(p.name))
  const results = new Map<string, Pair>()
  for (const kind of KIND_ORDER) {
    const group = open.filter((p) => p.kind === kind)
    if (group.length > 0) assignGroup(scene, group, results)
  }
  for (const property of properties.filter((p) => !(p.name in values))) {
    const pair = results.get(property.name)
    if (pair) {
      values[property.name] = pair.value
      filled[property.name] = {
        value: pair.value,
        source: textSource,
        text: pair.candidate.text,
        span: pair.candidate.span,
      }
    } else if (property.rejected.some((r) => r.near)) {
      // "12 passengers" against a maximum of 9: ask, rather than fall back to the default.
      continue
    } else if (
      options.upstream?.[property.name] !== undefined &&
      fitsSchema(options.upstream[property.name], property.schema)
    ) {
      const value = options.upstream[property.name]
      values[property.name] = value
      filled[property.name] = { value, source: 'upstream' }
    } else if (property.schema.default !== undefined || property.schema.const !== undefined) {
      const value =
        property.schema.default !== undefined ? property.schema.default : property.schema.const
      values[property.name] = value
      filled[property.name] = { value, source: 'default' }
    }
  }

  const missing: MissingParameter[] = []
  for (const property of properties) {
    if (property.name in values) continue
    const contested = property.rejected.some((r) => r.near)
    if (!property.required && !contested) continue
    const reason: MissingReason =
      property.ambiguous || property.sharedWith
        ? 'ambiguous'
        : property.rejected.length > 0
          ? 'invalid'
          : 'not_found'
    const candidates =
      property.ambiguous ??
      (property.sharedWith
        ? [property.sharedWith.mention]
        : [...new Set(property.rejected.map((r) => r.text))])
    missing.push({
      field: property.name,
      question: questionFor({
        field: property.name,
        schema: property.schema,
        kind: property.kind,
        role: property.role,
        language,
        reason,
        candidates,
        ...(property.sharedWith ? { alsoFits: property.sharedWith.properties } : {}),
      }),
      reason,
      ...(candidates.length > 0 ? { candidates } : {}),
    })
  }
  return { values, filled, missing, language }
}

/**
 * Continues a `needs_input` run: fills only the fields `previous` reported missing, from a person's
 * answer — structured (`{ to: 'RUB' }`, kept as given) or text ("в рубли", "Dubai", "yes"). When a
 * single text field is missing and nothing more specific is found, the whole answer is its value.
 * Returns a new result; fields still missing get a new question in the original language.
 *
 * @example
 * ```ts
 * const first = fillParameters(schema, 'convert 250 EUR') // missing: to
 * answerParameters(schema, first, 'RUB').values // { amount: 250, from: 'EUR', to: 'RUB' }
 * ```
 */
export function answerParameters(
  schema: JsonSchemaSubset,
  previous: FillResult,
  answer: string | Record<string, unknown>,
  options: Omit<FillOptions, 'params'> = {},
): FillResult {
  const wanted = previous.missing.map((m) => m.field)
  const subset: JsonSchemaSubset = {
    ...schema,
    properties: Object.fromEntries(
      Object.entries(schema.properties ?? {}).filter(([name]) => wanted.includes(name)),
    ),
    required: wanted,
  }
  let next: FillResult
  if (typeof answer === 'string') {
    next = fill(subset, answer, options, previous.language, 'answer')
    const only = next.missing.length === 1 && wanted.length === 1 ? next.missing[0] : undefined
    const property = only ? schema.properties?.[only.field] : undefined
    const whole = answer.trim()
    if (
      only &&
      property &&
      kindOf(only.field, property) === 'text' &&
      fitsSchema(whole, property)
    ) {
      next = {
        ...next,
        values: { ...next.values, [only.field]: whole },
        filled: {
          ...next.filled,
          [only.field]: {
            value: whole,
            source: 'answer',
            text: whole,
            span: [answer.indexOf(whole), answer.indexOf(whole) + whole.length],
          },
        },
        missing: [],
      }
    }
  } else {
    const params = Object.fromEntries(
      Object.entries(answer).filter(([name]) => wanted.includes(name)),
    )
    next = fill(subset, '', { ...options, params }, previous.language, 'answer')
  }
  return {
    values: { ...previous.values, ...next.values },
    filled: { ...previous.filled, ...next.filled },
    missing: next.missing,
    language: previous.language,
  }
}
