/**
 * `value` with every string (values and keys, in plain objects and arrays) stored in V8's compact
 * one-byte form where its text allows it. Other objects (a `Date`, a `Map`) are kept as they are.
 *
 * Why it matters: a parser slicing a source that holds a single character beyond Latin-1 — a
 * `skill.yaml` with a Russian example, a policy with a Russian comment — hands out two-byte strings,
 * even for `bench/echo` or `1.0.0`. Those travel into every run: one two-byte id makes the
 * `JSON.stringify` of the whole row and trace two-byte, twice the bytes to join, copy to the
 * database thread and encode. Configuration is read once; its strings are read on every run.
 *
 * @example
 * ```ts
 * const manifest = compactStrings(parseDocument(text).toJS())
 * ```
 */
export function compactStrings<T>(value: T): T {
  return compact(value, new Map()) as T
}

/** `copies`: each object already met and its copy, so shared and cyclic parts (YAML aliases) stay so. */
function compact(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value === 'string') return compactString(value)
  if (value === null || typeof value !== 'object') return value
  const known = copies.get(value)
  if (known !== undefined) return known
  if (Array.isArray(value)) {
    const copy: unknown[] = []
    copies.set(value, copy)
    for (const item of value) copy.push(compact(item, copies))
    return copy
  }
  const prototype: unknown = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return value
  // Own data properties as the parser set them (`__proto__` included, as a plain key).
  const copy: Record<string, unknown> = prototype === null ? Object.create(null) : {}
  copies.set(value, copy)
  for (const [key, member] of Object.entries(value)) {
    Object.defineProperty(copy, compactString(key), {
      value: compact(member, copies),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return copy
}

/** JSON.parse builds its strings one-byte whenever their characters fit, whatever its source was. */
function compactString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string
}
