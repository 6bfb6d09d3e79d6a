import { lookup as dnsLookup } from 'node:dns/promises'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/** Resolves a host name to all its addresses (`dns.promises.lookup` with `all: true`). */
export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>

export const resolveHost: ResolveHost = (hostname) => dnsLookup(hostname, { all: true })

/**
 * Where a webhook is never sent unless private networks are allowed: the server's own machine,
 * its networks, and the cloud metadata service. Checked in this order; the first match names the
 * kind in the refusal. IPv4 rules also match IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`).
 */
const BLOCKED: readonly { kind: string; list: BlockList }[] = [
  blocked('cloud metadata', (l) => {
    l.addAddress('169.254.169.254', 'ipv4')
    l.addAddress('fd00:ec2::254', 'ipv6')
  }),
  blocked('loopback', (l) => {
    l.addSubnet('127.0.0.0', 8, 'ipv4')
    l.addAddress('::1', 'ipv6')
  }),
  blocked('unspecified', (l) => {
    l.addSubnet('0.0.0.0', 8, 'ipv4')
    l.addAddress('::', 'ipv6')
  }),
  blocked('private', (l) => {
    l.addSubnet('10.0.0.0', 8, 'ipv4')
    l.addSubnet('172.16.0.0', 12, 'ipv4')
    l.addSubnet('192.168.0.0', 16, 'ipv4')
    l.addSubnet('100.64.0.0', 10, 'ipv4') // shared address space (carrier-grade NAT)
  }),
  blocked('link-local', (l) => {
    l.addSubnet('169.254.0.0', 16, 'ipv4')
    l.addSubnet('fe80::', 10, 'ipv6')
  }),
  blocked('unique-local', (l) => l.addSubnet('fc00::', 7, 'ipv6')),
  blocked('multicast', (l) => {
    l.addSubnet('224.0.0.0', 4, 'ipv4')
    l.addSubnet('ff00::', 8, 'ipv6')
  }),
  blocked('reserved', (l) => {
    l.addSubnet('192.0.0.0', 24, 'ipv4')
    l.addSubnet('198.18.0.0', 15, 'ipv4')
    l.addSubnet('240.0.0.0', 4, 'ipv4') // and 255.255.255.255
    l.addSubnet('::', 96, 'ipv6') // IPv4-compatible (deprecated)
    l.addSubnet('fec0::', 10, 'ipv6') // site-local (deprecated)
    l.addSubnet('2001::', 32, 'ipv6') // Teredo: tunnels to an IPv4 address it hides
  }),
]

function blocked(kind: string, add: (list: BlockList) => void): { kind: string; list: BlockList } {
  const list = new BlockList()
  add(list)
  return { kind, list }
}

/**
 * The kind of internal address `address` is (`private`, `loopback`, …), or undefined. An IPv6
 * address that carries an IPv4 one — NAT64 (`64:ff9b::10.0.0.1`), 6to4 (`2002:0a00:0001::`) or
 * IPv4-translated (`::ffff:0:10.0.0.1`) — is judged by the IPv4 address it reaches; Teredo
 * (`2001::/32`) hides its IPv4 address and is refused whole; the local-use NAT64 prefix (`64:ff9b:1::/48`, RFC 8215)
 * translates into a network of the operator's, so it is refused as a whole.
 */
export function internalAddressKind(address: string): string | undefined {
  const family = isIP(address)
  if (family === 0) return undefined
  const type = family === 6 ? 'ipv6' : 'ipv4'
  const kind = BLOCKED.find(({ list }) => list.check(address, type))?.kind
  if (kind || family === 4) return kind
  const embedded = embeddedIpv4(address)
  if (embedded === 'local-nat64') return 'local NAT64'
  return embedded ? internalAddressKind(embedded) : undefined
}

/** The IPv4 address inside a NAT64 or 6to4 IPv6 address; `local-nat64` for RFC 8215's prefix. */
function embeddedIpv4(address: string): string | 'local-nat64' | undefined {
  const words = ipv6Words(address)
  if (!words) return undefined
  const quad = (high: number, low: number) =>
    [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.')
  if (words[0] === 0x64 && words[1] === 0xff9b) {
    if (words[2] === 1) return 'local-nat64'
    // The well-known prefix 64:ff9b::/96: the last 32 bits are the IPv4 address.
    if (words.slice(2, 6).every((word) => word === 0)) return quad(words[6]!, words[7]!)
  }
  // 6to4, 2002::/16: bits 16–47 are the IPv4 address of the relay's destination.
  if (words[0] === 0x2002) return quad(words[1]!, words[2]!)
  // IPv4-translated, ::ffff:0:0/96 (RFC 2765): the last 32 bits.
  if (words.slice(0, 4).every((word) => word === 0) && words[4] === 0xffff && words[5] === 0)
    return quad(words[6]!, words[7]!)
  return undefined
}

/** An IPv6 address as its eight 16-bit words (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Words(address: string): number[] | undefined {
  let text = address.toLowerCase().split('%')[0]!
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::') as [string, string | undefined]
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((w) => parseInt(w, 16)))
  const left = parse(head)
  const right = tail === undefined ? [] : parse(tail)
  const missing = 8 - left.length - right.length
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined
  const words = [...left, ...new Array<number>(missing).fill(0), ...right]
  return words.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffff)
    ? words
    : undefined
}

/** The host of a URL without IPv6 brackets or a trailing dot. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
}

/**
 * Why a webhook URL points at an internal address on its face (an IP literal in a blocked range, or
 * `localhost`), or undefined. Host names are resolved only at delivery (`refusedDestination`):
 * their addresses can change after a subscription was made.
 */
export function internalUrlReason(url: URL): string | undefined {
  const host = hostOf(url).toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is a loopback name`
  const kind = internalAddressKind(host)
  return kind ? `${host} is a ${kind} address` : undefined
}

/** A delivery not sent: its host is (or resolves to) an internal address. */
export class RefusedDestination extends Error {
  constructor(reason: string) {
    super(`not sent: ${reason} (webhooks to internal networks are off: allowPrivateNetworks)`)
  }
}

/**
 * A `lookup` for the connection itself: it resolves the host with `resolve`, refuses it when any
 * address is internal (unless `allowPrivate`), and hands the socket exactly the addresses it
 * checked. A name that answers a public address to the check and an internal one a moment later
 * (DNS rebinding) cannot slip between the two: there is only one answer.
 */
export function guardedLookup(resolve: ResolveHost, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((found) => {
        if (!allowPrivate) {
          for (const { address } of found) {
            const kind = internalAddressKind(address)
            if (kind) {
              throw new RefusedDestination(`${hostname} resolves to ${address}, a ${kind} address`)
            }
          }
        }
        const usable = options.family ? found.filter((a) => a.family === options.family) : found
        const [first] = usable
        if (!first) {
          throw Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' })
        }
        if (options.all) callback(null, usable)
        else callback(null, first.address, first.family)
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0))
  }
}

/**
 * POST a delivery and answer its status code. The socket connects through `lookup` (see
 * `guardedLookup`), redirects are not followed, and the answer's body is drained and ignored.
 */
export function postWebhook(
  url: string,
  init: {
    headers: Record<string, string>
    body: string
    timeoutMs: number
    lookup: LookupFunction
  },
): Promise<number> {
  const target = new URL(url)
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
        lookup: init.lookup,
        signal: AbortSignal.timeout(init.timeoutMs),
      },
      (response) => {
        response.resume()
        response.on('error', () => undefined)
        resolve(response.statusCode ?? 0)
      },
    )
    request.on('error', reject)
    request.end(init.body)
  })
}

/**
 * Why a delivery to `url` must not be sent, after resolving its host: an IP literal or any address
 * of the host in a blocked range. Undefined when every address is public.
 */
export async function refusedDestination(
  url: URL,
  resolve: ResolveHost = resolveHost,
): Promise<string | undefined> {
  const literal = internalUrlReason(url)
  if (literal) return literal
  const host = hostOf(url)
  if (isIP(host) !== 0) return undefined
  for (const { address } of await resolve(host)) {
    const kind = internalAddressKind(address)
    if (kind) return `${host} resolves to ${address}, a ${kind} address`
  }
  return undefined
}
