/**
 * IP address parsing for client identity: strict parsing (a malformed hop is never mistaken for an
 * address), RFC 5952 canonical text so one host always maps to one key, IPv4-mapped IPv6 folded to IPv4,
 * CIDR matching for trusted proxies, and /64 grouping of IPv6 clients (one subscriber usually owns a
 * whole /64 and can rotate through it at will).
 */

export type Ip = { v: 4; parts: readonly number[] } | { v: 6; parts: readonly number[] }

export interface Cidr {
  ip: Ip
  bits: number
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/
/** IPv4 already in canonical form (no leading zeros, each part ≤ 255): the common case, kept cheap. */
const V4_CANONICAL = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/
const HEX = /^[0-9a-f]{1,4}$/i

function parseV4(s: string): number[] | undefined {
  const m = V4.exec(s)
  if (!m) return undefined
  const parts = m.slice(1, 5).map((p) => (p.length > 1 && p.startsWith('0') ? NaN : Number(p)))
  return parts.every((n) => n >= 0 && n <= 255) ? parts : undefined
}

function parseV6(s: string): number[] | undefined {
  const pct = s.indexOf('%')
  if (pct >= 0) s = s.slice(0, pct) // zone id (fe80::1%eth0) says nothing about the host
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const words = (half: string): number[] | undefined => {
    if (half === '') return []
    const out: number[] = []
    const groups = half.split(':')
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseV4(g)
        if (!v4) return undefined
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!)
      } else if (HEX.test(g)) out.push(parseInt(g, 16))
      else return undefined
    }
    return out
  }
  const head = words(halves[0]!)
  const tail = halves.length === 2 ? words(halves[1]!) : []
  if (!head || !tail) return undefined
  if (halves.length === 1) return head.length === 8 ? head : undefined
  if (head.length + tail.length > 7) return undefined
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail]
}

/**
 * Parses an address as found in a socket or an `X-Forwarded-For` hop: `1.2.3.4`, `1.2.3.4:5678`,
 * `2001:db8::1`, `[2001:db8::1]:443`, `fe80::1%eth0`. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes IPv4.
 * Anything else is `undefined`.
 */
export function parseIp(input: string): Ip | undefined {
  let s = input.trim()
  if (s.length === 0 || s.length > 64) return undefined
  if (s.startsWith('[')) {
    const end = s.indexOf(']')
    if (end < 0) return undefined
    const rest = s.slice(end + 1)
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined
    s = s.slice(1, end)
  } else if (/^[\d.]+:\d{1,5}$/.test(s)) {
    s = s.slice(0, s.indexOf(':'))
  }
  if (!s.includes(':')) {
    const v4 = parseV4(s)
    return v4 ? { v: 4, parts: v4 } : undefined
  }
  const w = parseV6(s)
  if (!w) return undefined
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
    return { v: 4, parts: [w[6]! >> 8, w[6]! & 255, w[7]! >> 8, w[7]! & 255] }
  }
  return { v: 6, parts: w }
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run of two or more zero words as `::`. */
export function formatIp(ip: Ip): string {
  if (ip.v === 4) return ip.parts.join('.')
  let bestStart = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    if (ip.parts[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && ip.parts[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = ip.parts.map((n) => n.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`
}

/** Canonical text of an address, or `undefined` when it is not one. */
export function normaliseIp(input: string): string | undefined {
  if (V4_CANONICAL.test(input)) return input
  const ip = parseIp(input)
  return ip && formatIp(ip)
}

/**
 * The rate-limit identity of an address: IPv4 as is, IPv6 as its /64 (`2001:db8:1:2::/64`). Strings
 * that are not addresses (`unknown`) are returned unchanged.
 */
export function ipGroup(address: string): string {
  if (V4_CANONICAL.test(address)) return address
  const ip = parseIp(address)
  if (!ip) return address
  if (ip.v === 4) return formatIp(ip)
  return `${formatIp({ v: 6, parts: [...ip.parts.slice(0, 4), 0, 0, 0, 0] })}/64`
}

/** `10.0.0.0/8`, `fc00::/7`, or a single address (full length). Throws on anything else. */
export function parseCidr(text: string): Cidr {
  const [addr, len, extra] = text.trim().split('/')
  const ip = addr === undefined ? undefined : parseIp(addr)
  const max = ip?.v === 4 ? 32 : 128
  const bits = len === undefined ? max : /^\d{1,3}$/.test(len) ? Number(len) : NaN
  if (!ip || extra !== undefined || !(bits >= 0 && bits <= max)) throw new TypeError(`not a CIDR range: "${text}"`)
  return { ip, bits }
}

/** True when `ip` lies inside `range` (an IPv4 address never matches an IPv6 range and vice versa). */
export function inCidr(ip: Ip, range: Cidr): boolean {
  if (ip.v !== range.ip.v) return false
  const width = ip.v === 4 ? 8 : 16
  let left = range.bits
  for (let i = 0; left > 0; i++, left -= width) {
    const take = Math.min(width, left)
    const mask = ((1 << take) - 1) << (width - take)
    if ((ip.parts[i]! & mask) !== (range.ip.parts[i]! & mask)) return false
  }
  return true
}

/** Loopback, private (RFC 1918), link-local and unique-local ranges: where a reverse proxy normally sits. */
export const PRIVATE_RANGES: readonly string[] = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
]
