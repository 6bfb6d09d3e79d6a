import ipaddr from 'ipaddr.js'

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6
export type IpRange = [IpAddress, number]

/**
 * An IPv4 address in dotted four-part decimal or an IPv6 address; IPv4-mapped IPv6
 * (`::ffff:10.0.0.1`) becomes its IPv4 address, so `10.0.0.0/8` matches it. Anything else is null:
 * ipaddr.js alone would also accept forms such as `10.1` or `0x0a.0.0.1`, which no client sends.
 */
export function parseIpAddress(value: unknown): IpAddress | null {
  if (typeof value !== 'string') return null
  if (!ipaddr.IPv4.isValidFourPartDecimal(value) && !ipaddr.IPv6.isValid(value)) return null
  return ipaddr.process(value)
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a single address (`/32`, `/128`); an error message otherwise. */
export function parseIpRange(text: string): IpRange | string {
  const slash = text.indexOf('/')
  const address = parseIpAddress(slash === -1 ? text : text.slice(0, slash))
  if (address === null) return `"${text}" is not an IP address or CIDR range such as 10.0.0.0/8`
  const maxBits = address.kind() === 'ipv4' ? 32 : 128
  if (slash === -1) return [address, maxBits]
  const bitsText = text.slice(slash + 1)
  const bits = Number(bitsText)
  if (!/^\d{1,3}$/.test(bitsText) || bits > maxBits) {
    return `"${text}" has an impossible prefix length (0–${maxBits} for ${address.kind()})`
  }
  return [address, bits]
}

/** Whether the address falls in one of the ranges (an IPv4 address never matches an IPv6 range). */
export function inIpRanges(address: IpAddress, ranges: readonly IpRange[]): boolean {
  const kind = address.kind()
  for (const range of ranges) {
    if (range[0].kind() === kind && address.match(range)) return true
  }
  return false
}
