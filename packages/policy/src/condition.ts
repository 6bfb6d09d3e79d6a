import {
  riskLevels,
  sideEffectClasses,
  type PolicyContext,
  type PolicyPrincipal,
  type PolicyResource,
} from '@skillos/contracts'
import {
  attributeRoots,
  attributeType,
  closestName,
  knownAttributes,
  type AttributeRoot,
  type AttributeType,
  type AttributeVocabulary,
} from './attributes.js'
import {
  inIpRanges,
  parseIpAddress,
  parseIpRange,
  type IpAddress,
  type IpRange,
} from './ip-address.js'
import {
  canonicalTimeZone,
  createLocalClock,
  inTimeWindow,
  looksLikeDays,
  parseDays,
  parseTimeRange,
  type LocalTime,
  type TimeWindow,
} from './time-window.js'

/** One request as conditions see it; derived values are computed once, on first use. */
export interface RequestView {
  readonly principal: PolicyPrincipal
  readonly resource: PolicyResource
  readonly context: PolicyContext
  /** The principal's roles plus every role they inherit. */
  effectiveRoles(): readonly string[]
  /** `context.time` (or now) in epoch milliseconds; NaN when it is not a time. */
  timeMs(): number
  /** `context.ip`, parsed; null when absent or not an IP address. */
  ipAddress(): IpAddress | null
}

/** A compiled condition: true when it holds for the request. */
export type Condition = (request: RequestView) => boolean

/** A condition that does not parse or names something unknown; `offset` is where, in its text. */
export class ConditionError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
    this.name = 'ConditionError'
  }
}

export interface ConditionCompiler {
  /** Parse and type-check one condition; throws `ConditionError`. */
  compile(text: string): Condition
}

type TokenKind = 'word' | 'string' | 'number' | 'punct' | 'op' | 'keyword' | 'end'

interface Token {
  kind: TokenKind
  text: string
  offset: number
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'within', 'cidr', 'true', 'false'])
const OPERATORS = ['==', '!=', '<=', '>=', '<', '>'] as const
const NUMBER = /^-?\d+(?:\.\d+)?$/
const STOP = new Set([' ', '\t', '\n', '\r', '[', ']', '(', ')', ',', '"', "'", '=', '!', '<', '>'])

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const char = text[i]!
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      i += 1
      continue
    }
    if ('[](),'.includes(char)) {
      tokens.push({ kind: 'punct', text: char, offset: i })
      i += 1
      continue
    }
    const operator = OPERATORS.find((op) => text.startsWith(op, i))
    if (operator) {
      tokens.push({ kind: 'op', text: operator, offset: i })
      i += operator.length
      continue
    }
    if (char === '=' || char === '!') {
      throw new ConditionError(
        `unexpected "${char}"; comparisons are ==, !=, <, <=, >, >= (negate with "not")`,
        i,
      )
    }
    if (char === '"' || char === "'") {
      let value = ''
      let j = i + 1
      while (j < text.length && text[j] !== char) {
        if (text[j] === '\\' && j + 1 < text.length) j += 1
        value += text[j]
        j += 1
      }
      if (j >= text.length)
        throw new ConditionError(`unterminated string: add the closing ${char}`, i)
      tokens.push({ kind: 'string', text: value, offset: i })
      i = j + 1
      continue
    }
    let j = i
    while (j < text.length && !STOP.has(text[j]!)) j += 1
    const word = text.slice(i, j)
    const kind: TokenKind = KEYWORDS.has(word) ? 'keyword' : NUMBER.test(word) ? 'number' : 'word'
    tokens.push({ kind, text: word, offset: i })
    i = j
  }
  tokens.push({ kind: 'end', text: '', offset: text.length })
  return tokens
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the condition'
  if (token.kind === 'string') return `"${token.text}" (a quoted string)`
  return `"${token.text}"`
}

interface AttributeOperand {
  kind: 'attribute'
  ref: string
  root: AttributeRoot
  name: string
  type: AttributeType
  get: (request: RequestView) => unknown
  token: Token
}

interface LiteralOperand {
  kind: 'literal'
  value: string | number | boolean
  token: Token
}

type Operand = AttributeOperand | LiteralOperand

const isPresent = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'

const RISK_RANK: ReadonlyMap<string, number> = new Map(riskLevels.map((level, i) => [level, i]))
const ENUM_VALUES: Partial<Record<AttributeType, readonly string[]>> = {
  risk: riskLevels,
  'side-effects': sideEffectClasses,
}

const LIST_HINTS: Partial<Record<AttributeType, string>> = {
  'text-list': 'it is a list: test it with "contains" (or "in [...]" for any of several values)',
  time: 'it is a time: test it with "within 09:00-18:00 Mon-Fri Europe/Moscow"',
  ip: 'it is an IP address: test it with "in cidr [10.0.0.0/8]"',
}

function getterFor(root: AttributeRoot, name: string, builtIn: boolean): AttributeOperand['get'] {
  if (root === 'principal') {
    if (!builtIn) return (r) => r.principal.attributes?.[name]
    if (name === 'roles') return (r) => r.effectiveRoles()
    if (name === 'id') return (r) => r.principal.id
    return (r) => r.principal.tenant
  }
  if (root === 'resource') {
    if (!builtIn) return (r) => r.resource.attributes?.[name]
    if (name === 'domain') {
      return (r) => {
        const slash = r.resource.id.indexOf('/')
        return slash === -1 ? undefined : r.resource.id.slice(0, slash)
      }
    }
    if (name === 'name') {
      return (r) => {
        const slash = r.resource.id.indexOf('/')
        return slash === -1 ? undefined : r.resource.id.slice(slash + 1)
      }
    }
    const key = name as 'id' | 'kind' | 'tenant' | 'risk' | 'sideEffects' | 'tags'
    return (r) => r.resource[key]
  }
  if (name === 'time') return (r) => r.timeMs()
  return (r) => r.context[name]
}

/**
 * The compiler of condition expressions for one attribute vocabulary.
 *
 * Grammar (keywords lowercase; values are bare words, numbers, `true`/`false` or quoted strings):
 *
 * ```
 * condition  := or
 * or         := and ("or" and)*
 * and        := unary ("and" unary)*
 * unary      := "not" unary | "(" or ")" | comparison
 * comparison := attribute ("==" | "!=") value
 *             | attribute ("<" | "<=" | ">" | ">=") value
 *             | attribute "in" (list | attribute)
 *             | attribute "in" "cidr" list
 *             | attribute "contains" value
 *             | attribute "within" HH:MM-HH:MM [days ("," days)*] [zone]
 * value      := literal | attribute
 * list       := "[" literal ("," literal)* "]"
 * ```
 *
 * A comparison whose attribute is absent (or of the wrong kind of value) is false; `not` turns that
 * into true, which is how a deny rule is written to fire when an attribute is missing.
 */
export function createConditionCompiler(vocabulary: AttributeVocabulary): ConditionCompiler {
  const clocks = new Map<string, (epochMs: number) => LocalTime>()
  const clockFor = (zone: string) => {
    let clock = clocks.get(zone)
    if (!clock) {
      clock = createLocalClock(zone)
      clocks.set(zone, clock)
    }
    return clock
  }

  return {
    compile(text) {
      return new Parser(tokenize(text), vocabulary, clockFor).parse()
    },
  }
}

class Parser {
  private index = 0

  constructor(
    private readonly tokens: Token[],
    private readonly vocabulary: AttributeVocabulary,
    private readonly clockFor: (zone: string) => (epochMs: number) => LocalTime,
  ) {}

  parse(): Condition {
    const condition = this.or()
    const rest = this.peek()
    if (rest.kind !== 'end') {
      throw new ConditionError(
        `unexpected ${describe(rest)} after a complete comparison; join comparisons with "and" or "or"`,
        rest.offset,
      )
    }
    return condition
  }

  private peek(): Token {
    return this.tokens[this.index]!
  }

  private next(): Token {
    const token = this.tokens[this.index]!
    if (token.kind !== 'end') this.index += 1
    return token
  }

  private isKeyword(token: Token, word: string): boolean {
    return token.kind === 'keyword' && token.text === word
  }

  private or(): Condition {
    const parts = [this.and()]
    while (this.isKeyword(this.peek(), 'or')) {
      this.next()
      parts.push(this.and())
    }
    if (parts.length === 1) return parts[0]!
    return (r) => {
      for (const part of parts) if (part(r)) return true
      return false
    }
  }

  private and(): Condition {
    const parts = [this.unary()]
    while (this.isKeyword(this.peek(), 'and')) {
      this.next()
      parts.push(this.unary())
    }
    if (parts.length === 1) return parts[0]!
    return (r) => {
      for (const part of parts) if (!part(r)) return false
      return true
    }
  }

  private unary(): Condition {
    const token = this.peek()
    if (this.isKeyword(token, 'not')) {
      this.next()
      const inner = this.unary()
      return (r) => !inner(r)
    }
    if (token.kind === 'punct' && token.text === '(') {
      this.next()
      const inner = this.or()
      const close = this.next()
      if (close.kind !== 'punct' || close.text !== ')') {
        throw new ConditionError(`expected ")" but found ${describe(close)}`, close.offset)
      }
      return inner
    }
    return this.comparison()
  }

  private attribute(token: Token): AttributeOperand {
    const dot = token.text.indexOf('.')
    const root = token.text.slice(0, dot) as AttributeRoot
    const name = token.text.slice(dot + 1)
    if (dot === -1 || !attributeRoots.includes(root)) {
      throw new ConditionError(
        `expected an attribute (principal.…, resource.… or context.…) but found ${describe(token)}`,
        token.offset,
      )
    }
    const type = attributeType(this.vocabulary, root, name)
    if (type === undefined) {
      const known = knownAttributes(this.vocabulary, root)
      const guess = closestName(token.text, known)
      throw new ConditionError(
        `unknown attribute "${token.text}"${guess ? ` (did you mean "${guess}"?)` : ''}; known: ${known.join(', ')} — declare custom ones under attributes.${root}`,
        token.offset,
      )
    }
    return {
      kind: 'attribute',
      ref: token.text,
      root,
      name,
      type,
      get: getterFor(root, name, type !== 'any'),
      token,
    }
  }

  private isAttributeToken(token: Token): boolean {
    if (token.kind !== 'word') return false
    const dot = token.text.indexOf('.')
    return dot > 0 && attributeRoots.includes(token.text.slice(0, dot) as AttributeRoot)
  }

  /** A literal or an attribute after an operator. */
  private operand(after: Token): Operand {
    const token = this.next()
    if (this.isAttributeToken(token)) return this.attribute(token)
    if (token.kind === 'word' || token.kind === 'string') {
      return { kind: 'literal', value: token.text, token }
    }
    if (token.kind === 'number') return { kind: 'literal', value: Number(token.text), token }
    if (token.kind === 'keyword' && (token.text === 'true' || token.text === 'false')) {
      return { kind: 'literal', value: token.text === 'true', token }
    }
    throw new ConditionError(
      `expected a value or an attribute after "${after.text}" but found ${describe(token)}`,
      token.offset,
    )
  }

  /** A literal as the attribute compares it: checked against enumerations, text as written. */
  private literalFor(
    attribute: AttributeOperand,
    literal: LiteralOperand,
  ): string | number | boolean {
    const allowed = ENUM_VALUES[attribute.type]
    if (allowed) {
      if (!allowed.includes(literal.token.text)) {
        throw new ConditionError(
          `"${literal.token.text}" is not a value of ${attribute.ref}; allowed: ${allowed.join(', ')}`,
          literal.token.offset,
        )
      }
      return literal.token.text
    }
    // Built-in text attributes compare as text: `principal.id == 42` means the id "42".
    if (attribute.type === 'text' || attribute.type === 'text-list') return literal.token.text
    return literal.value
  }

  private rejectType(attribute: AttributeOperand, operator: Token, types: AttributeType[]): void {
    if (types.includes(attribute.type)) {
      const hint = LIST_HINTS[attribute.type] ?? 'it cannot be compared this way'
      throw new ConditionError(
        `${attribute.ref} cannot be used with "${operator.text}": ${hint}`,
        operator.offset,
      )
    }
  }

  private comparison(): Condition {
    const first = this.next()
    if (!this.isAttributeToken(first)) {
      if (first.kind === 'word' && first.text.includes('.')) this.attribute(first)
      throw new ConditionError(
        `expected an attribute such as resource.risk, principal.roles or context.time but found ${describe(first)}`,
        first.offset,
      )
    }
    const attribute = this.attribute(first)
    const operator = this.next()
    if (operator.kind === 'op') {
      if (operator.text === '==' || operator.text === '!=')
        return this.equality(attribute, operator)
      return this.ordering(attribute, operator)
    }
    if (this.isKeyword(operator, 'in')) {
      if (this.isKeyword(this.peek(), 'cidr')) {
        this.next()
        return this.cidr(attribute, operator)
      }
      return this.membership(attribute, operator)
    }
    if (this.isKeyword(operator, 'contains')) return this.contains(attribute, operator)
    if (this.isKeyword(operator, 'within')) return this.within(attribute, operator)
    if (this.isKeyword(operator, 'not')) {
      throw new ConditionError(
        `put "not" before the comparison: not ${attribute.ref} ${this.peek().text || 'in'} …`,
        operator.offset,
      )
    }
    throw new ConditionError(
      `expected an operator (==, !=, <, <=, >, >=, in, contains, within) after ${attribute.ref} but found ${describe(operator)}`,
      operator.offset,
    )
  }

  private equality(attribute: AttributeOperand, operator: Token): Condition {
    this.rejectType(attribute, operator, ['text-list', 'time', 'ip'])
    const right = this.operand(operator)
    const negate = operator.text === '!='
    const get = attribute.get
    if (right.kind === 'attribute') {
      this.rejectType(right, operator, ['text-list', 'time', 'ip'])
      const other = right.get
      return negate
        ? (r) => {
            const a = get(r)
            const b = other(r)
            return isPresent(a) && isPresent(b) && a !== b
          }
        : (r) => {
            const a = get(r)
            return isPresent(a) && a === other(r)
          }
    }
    const value = this.literalFor(attribute, right)
    return negate
      ? (r) => {
          const a = get(r)
          return isPresent(a) && a !== value
        }
      : (r) => get(r) === value
  }

  private ordering(attribute: AttributeOperand, operator: Token): Condition {
    const compare = comparator(operator.text)
    const get = attribute.get
    const right = this.operand(operator)
    if (attribute.type === 'risk') {
      if (right.kind !== 'literal') {
        throw new ConditionError(
          `${attribute.ref} ${operator.text} needs a risk level (${riskLevels.join(', ')})`,
          right.token.offset,
        )
      }
      const rank = RISK_RANK.get(this.literalFor(attribute, right) as string)!
      return (r) => {
        const own = RISK_RANK.get(get(r) as string)
        return own !== undefined && compare(own, rank)
      }
    }
    if (attribute.type !== 'any') {
      throw new ConditionError(
        `${attribute.ref} cannot be used with "${operator.text}": it is not a number (only custom attributes and resource.risk are ordered)`,
        operator.offset,
      )
    }
    if (right.kind === 'attribute') {
      if (right.type !== 'any') {
        throw new ConditionError(
          `${right.ref} cannot be used with "${operator.text}": it is not a number`,
          right.token.offset,
        )
      }
      const other = right.get
      return (r) => {
        const a = get(r)
        const b = other(r)
        return typeof a === 'number' && typeof b === 'number' && compare(a, b)
      }
    }
    if (typeof right.value !== 'number') {
      throw new ConditionError(
        `expected a number after "${operator.text}" but found ${describe(right.token)}`,
        right.token.offset,
      )
    }
    const bound = right.value
    return (r) => {
      const a = get(r)
      return typeof a === 'number' && compare(a, bound)
    }
  }

  private list(): LiteralOperand[] {
    const open = this.next()
    if (open.kind !== 'punct' || open.text !== '[') {
      throw new ConditionError(
        `expected a list such as [high, critical] but found ${describe(open)}`,
        open.offset,
      )
    }
    const items: LiteralOperand[] = []
    for (;;) {
      const token = this.next()
      if (token.kind === 'word' || token.kind === 'string') {
        items.push({ kind: 'literal', value: token.text, token })
      } else if (token.kind === 'number') {
        items.push({ kind: 'literal', value: Number(token.text), token })
      } else if (token.kind === 'keyword' && (token.text === 'true' || token.text === 'false')) {
        items.push({ kind: 'literal', value: token.text === 'true', token })
      } else if (token.kind === 'punct' && token.text === ']' && items.length === 0) {
        throw new ConditionError(
          'an empty list never matches; name at least one value',
          token.offset,
        )
      } else {
        throw new ConditionError(
          `expected a value in the list but found ${describe(token)}${token.kind === 'keyword' ? ' (quote keywords used as values)' : ''}`,
          token.offset,
        )
      }
      const separator = this.next()
      if (separator.kind === 'punct' && separator.text === ']') return items
      if (separator.kind !== 'punct' || separator.text !== ',') {
        throw new ConditionError(
          `expected "," or "]" in the list but found ${describe(separator)}`,
          separator.offset,
        )
      }
    }
  }

  private membership(attribute: AttributeOperand, operator: Token): Condition {
    this.rejectType(attribute, operator, ['time', 'ip'])
    const get = attribute.get
    const next = this.peek()
    if (this.isAttributeToken(next)) {
      const right = this.attribute(this.next())
      if (right.type !== 'text-list' && right.type !== 'any') {
        throw new ConditionError(
          `${right.ref} is not a list; "in" needs a list such as [a, b] or a list attribute`,
          right.token.offset,
        )
      }
      const other = right.get
      return (r) => {
        const list = other(r)
        if (!Array.isArray(list)) return false
        const value = get(r)
        if (Array.isArray(value))
          return value.some((item) => isPresent(item) && list.includes(item))
        return isPresent(value) && list.includes(value)
      }
    }
    const values = new Set(this.list().map((item) => this.literalFor(attribute, item)))
    return (r) => {
      const value = get(r)
      if (Array.isArray(value)) {
        for (const item of value) if (values.has(item)) return true
        return false
      }
      return values.has(value as string)
    }
  }

  private contains(attribute: AttributeOperand, operator: Token): Condition {
    if (attribute.type !== 'text-list' && attribute.type !== 'any') {
      throw new ConditionError(
        `${attribute.ref} is not a list; "contains" tests a list such as principal.roles or resource.tags`,
        operator.offset,
      )
    }
    const get = attribute.get
    const right = this.operand(operator)
    if (right.kind === 'attribute') {
      this.rejectType(right, operator, ['text-list', 'time', 'ip'])
      const other = right.get
      return (r) => {
        const list = get(r)
        const value = other(r)
        return Array.isArray(list) && isPresent(value) && list.includes(value)
      }
    }
    const value = this.literalFor(attribute, right)
    return (r) => {
      const list = get(r)
      return Array.isArray(list) && list.includes(value)
    }
  }

  private cidr(attribute: AttributeOperand, operator: Token): Condition {
    if (attribute.type !== 'ip' && attribute.type !== 'any') {
      throw new ConditionError(
        `${attribute.ref} is not an IP address; "in cidr" tests context.ip or a custom attribute`,
        operator.offset,
      )
    }
    const ranges: IpRange[] = this.list().map((item) => {
      const range = parseIpRange(item.token.text)
      if (typeof range === 'string') throw new ConditionError(range, item.token.offset)
      return range
    })
    if (attribute.type === 'ip') {
      return (r) => {
        const address = r.ipAddress()
        return address !== null && inIpRanges(address, ranges)
      }
    }
    const get = attribute.get
    return (r) => {
      const address = parseIpAddress(get(r))
      return address !== null && inIpRanges(address, ranges)
    }
  }

  private within(attribute: AttributeOperand, operator: Token): Condition {
    if (attribute.type !== 'time') {
      throw new ConditionError(
        `${attribute.ref} is not a time; "within" tests context.time`,
        operator.offset,
      )
    }
    const rangeToken = this.next()
    const range = parseTimeRange(rangeToken.kind === 'end' ? '' : rangeToken.text)
    if (typeof range === 'string' || rangeToken.kind !== 'word') {
      throw new ConditionError(
        typeof range === 'string'
          ? range
          : `expected a time range such as 09:00-18:00 but found ${describe(rangeToken)}`,
        rangeToken.offset,
      )
    }
    let days: Set<number> | null = null
    let zone = 'UTC'
    let token = this.peek()
    let afterComma = false
    while (token.kind === 'word' && looksLikeDays(token.text)) {
      const parsed = parseDays(token.text)
      if (typeof parsed === 'string') {
        // Three letters that are no weekday may be a zone ("UTC", "EST"), but not right after a comma.
        if (!afterComma && canonicalTimeZone(token.text) !== undefined) break
        throw new ConditionError(parsed, token.offset)
      }
      days ??= new Set()
      for (const day of parsed) days.add(day)
      this.next()
      token = this.peek()
      afterComma = token.kind === 'punct' && token.text === ','
      if (afterComma) {
        this.next()
        token = this.peek()
        if (token.kind !== 'word' || !looksLikeDays(token.text)) {
          throw new ConditionError(
            `expected a weekday after "," but found ${describe(token)}`,
            token.offset,
          )
        }
      }
    }
    if (token.kind === 'word') {
      const canonical = canonicalTimeZone(token.text)
      if (canonical === undefined) {
        throw new ConditionError(
          `unknown time zone "${token.text}"; use an IANA name such as Europe/Moscow or UTC`,
          token.offset,
        )
      }
      zone = canonical
      this.next()
    }
    const window: TimeWindow = { start: range.start, end: range.end, days, zone }
    const clock = this.clockFor(zone)
    return (r) => {
      const time = r.timeMs()
      return Number.isFinite(time) && inTimeWindow(window, clock(time))
    }
  }
}

function comparator(operator: string): (a: number, b: number) => boolean {
  switch (operator) {
    case '<':
      return (a, b) => a < b
    case '<=':
      return (a, b) => a <= b
    case '>':
      return (a, b) => a > b
    default:
      return (a, b) => a >= b
  }
}
