import { TextDecoder } from 'node:util'
import { SkillOSError } from '@skillos/contracts'
import { XMLParser, XMLValidator } from 'fast-xml-parser'

/** A parsed XML element: attributes (no prefix) and child elements by name, text under `#text`. */
export type XmlNode = { [name: string]: XmlValue }
export type XmlValue = string | XmlNode | XmlValue[]

function encodingOf(bytes: Uint8Array, contentType: string | undefined): string {
  const fromHeader = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1]
  if (fromHeader) return fromHeader
  // The XML declaration is ASCII in every encoding a bank uses.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200))
  return /^\uFEFF?<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ?? 'utf-8'
}

/**
 * The text of an XML document as served: the charset of the `Content-Type` header, else the
 * `encoding` of the XML declaration (the Bank of Russia sends `windows-1251`), else UTF-8.
 *
 * @example
 * ```ts
 * decodeXml(await response.bytes(), response.headers.get('content-type') ?? undefined)
 * ```
 */
export function decodeXml(bytes: Uint8Array, contentType?: string): string {
  const encoding = encodingOf(bytes, contentType)
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(encoding)
  } catch {
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `document: unsupported character encoding "${encoding}"`,
    })
  }
  return decoder.decode(bytes)
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'Valute' || name === 'Cube',
})

/**
 * Parses well-formed XML into plain objects (namespace prefixes dropped, attributes as properties,
 * `Valute` and `Cube` always arrays). Anything else — an HTML error page, a truncated body — is a
 * `VALIDATION_FAILED` naming `what` and the line of the problem.
 */
export function parseXml(text: string, what: string): XmlNode {
  if (text.trim() === '') {
    throw new SkillOSError({ code: 'VALIDATION_FAILED', message: `document: ${what} is empty` })
  }
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    throw new SkillOSError({
      code: 'VALIDATION_FAILED',
      message: `document: ${what} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`,
    })
  }
  return parser.parse(text) as XmlNode
}

/** `value` as an element, or `undefined` for text and lists. */
export function asNode(value: XmlValue | undefined): XmlNode | undefined {
  return typeof value === 'object' && !Array.isArray(value) ? value : undefined
}

/** `value` as a list of elements (a single element counts as a list of one). */
export function asNodes(value: XmlValue | undefined): XmlNode[] {
  if (value === undefined) return []
  const list = Array.isArray(value) ? value : [value]
  return list.flatMap((v) => {
    const node = asNode(v)
    return node ? [node] : []
  })
}

/** The text of an attribute or a text-only element, trimmed; `undefined` when absent. */
export function textOf(value: XmlValue | undefined): string | undefined {
  if (typeof value === 'string') return value.trim()
  const node = asNode(value)
  const text = node?.['#text']
  return typeof text === 'string' ? text.trim() : undefined
}
