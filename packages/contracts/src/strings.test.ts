import { serialize } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { compactStrings } from './strings.js'

/** V8's serializer tags a one-byte string `"` and a two-byte one `c` (after optional padding). */
function isOneByte(text: string): boolean {
  const bytes = serialize(text)
  let at = 2
  while (bytes[at] === 0) at++
  return bytes[at] === 0x22
}

/** `bench/echo` sliced out of a source holding Cyrillic: two-byte, as a YAML parser hands it out. */
function twoByte(text: string): string {
  const source = `${text}ж`
  return source.slice(0, text.length)
}

describe('compactStrings', () => {
  it('stores Latin-1 text one-byte, in values, keys, nested objects and arrays', () => {
    const id = twoByte('bench/echo')
    const key = twoByte('n')
    expect(isOneByte(id)).toBe(false)
    const input = { id, input: { properties: { [key]: { type: twoByte('number') } } }, tags: [id] }

    const out = compactStrings(input)

    expect(out).toEqual(input)
    expect(isOneByte(out.id)).toBe(true)
    expect(isOneByte(out.tags[0]!)).toBe(true)
    const [property] = Object.keys(out.input.properties)
    expect(isOneByte(property!)).toBe(true)
    expect(isOneByte(out.input.properties.n!.type)).toBe(true)
    expect(isOneByte(JSON.stringify(out))).toBe(true)
    expect(isOneByte(JSON.stringify(input))).toBe(false)
  })

  it('keeps text beyond Latin-1, other values, and objects that are not plain as they are', () => {
    const when = new Date(0)
    const map = new Map([['a', 1]])
    const out = compactStrings({ ru: 'удвой число', n: 1, no: null, yes: true, when, map })
    expect(out).toEqual({ ru: 'удвой число', n: 1, no: null, yes: true, when, map })
    expect(out.when).toBe(when)
    expect(out.map).toBe(map)
  })

  it('keeps a `__proto__` key as an own property, never as the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": "x"}') as Record<
      string,
      unknown
    >
    const out = compactStrings(parsed)
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(Object.keys(out)).toEqual(['__proto__', 'a'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((out as { polluted?: unknown }).polluted).toBeUndefined()
  })

  it('keeps shared and cyclic parts (YAML aliases) shared and cyclic instead of expanding them', () => {
    const shared = { name: twoByte('shared') }
    const cyclic: unknown[] = [twoByte('x')]
    cyclic.push(cyclic)
    const out = compactStrings({ a: shared, b: shared, cyclic })
    expect(out.a).toBe(out.b)
    expect(isOneByte(out.a.name)).toBe(true)
    expect(out.cyclic[1]).toBe(out.cyclic)
    expect(out.cyclic).not.toBe(cyclic)
  })
})
