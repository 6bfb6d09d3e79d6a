import { lookup as dnsLookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

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
  }),
]

function blocked(kind: string, add: (list: BlockList) => void): { kind: string; list: BlockList } {
  const list = new BlockList()
  add(list)
  return { kind, list }
}

/** The kind of internal address `address` is (`private`, `loopback`, …), or undefined. */
export function internalAddressKind(address: string): string | undefined {
  const family = isIP(address)
  if (family === 0) return undefined
  const type = family === 6 ? 'ipv6' : 'ipv4'
  return BLOCKED.find(({ list }) => list.check(address, type))?.kind
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
