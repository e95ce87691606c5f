/** @module Client identity: who is on the other end of the connection, proxies taken into account. */
import type { Context, MiddlewareHandler } from 'hono'
import { formatIp, inCidr, normaliseIp, parseCidr, parseIp, PRIVATE_RANGES, type Cidr, type Ip } from '../../../domain/ip.js'
import type { AppEnv } from '../../types.js'

/**
 * The runtime's peer address for a request. Runtime-specific, so the entry points pass it in
 * (`@hono/node-server/conninfo` on Node, `server.requestIP()` on Bun). `undefined` when unknown.
 */
export type PeerAddressResolver = (c: Context) => string | undefined

/** `c.var.clientIp` when the runtime reports no peer (`app.request()` in tests): every such client shares it. */
export const UNKNOWN_CLIENT = 'unknown'

export interface ClientIpOptions {
  getPeerAddress?: PeerAddressResolver
  /** `TRUST_PROXY`: only then is `X-Forwarded-For` read at all. */
  trustProxy: boolean
  /** CIDR ranges of proxies whose `X-Forwarded-For` hops are believed. Default: loopback and private ranges. */
  trustedProxies?: readonly string[]
}

/**
 * Sets `c.var.clientIp` (canonical text, see `normaliseIp`) on every request.
 *
 * Without `trustProxy` it is the peer address, and `X-Forwarded-For` is ignored: anyone can send one.
 * With it, the chain `X-Forwarded-For` hops + peer is walked from the right, skipping trusted proxies; the
 * first untrusted address is the client. Hops to its left were written by the client and are never used
 * (the left-most value is the forgeable one). A malformed hop ends the walk at the last trusted proxy.
 *
 * @example
 * app.use(clientIp({ trustProxy: config.trustProxy, getPeerAddress }))
 */
export function clientIp(options: ClientIpOptions): MiddlewareHandler<AppEnv> {
  const ranges: Cidr[] = (options.trustedProxies ?? PRIVATE_RANGES).map(parseCidr)
  const getPeer = options.getPeerAddress ?? (() => undefined)
  const trusted = (ip: Ip) => ranges.some((r) => inCidr(ip, r))

  function rawPeer(c: Context): string | undefined {
    try {
      return getPeer(c)
    } catch {
      return undefined // a runtime without connection info (app.request in tests)
    }
  }

  function resolve(c: Context): string {
    const raw = rawPeer(c)
    if (!options.trustProxy) return (raw !== undefined && normaliseIp(raw)) || UNKNOWN_CLIENT
    const peer = raw === undefined ? undefined : parseIp(raw)
    // The operator said a proxy is in front: an unreported peer is taken to be that proxy.
    if (peer && !trusted(peer)) return formatIp(peer)
    const header = c.req.header('x-forwarded-for')
    let client: Ip | undefined = peer
    if (header) {
      const hops = header.split(',')
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = parseIp(hops[i]!)
        if (!hop) break
        client = hop
        if (!trusted(hop)) break
      }
    }
    return client ? formatIp(client) : UNKNOWN_CLIENT
  }

  return function clientIp(c, next) {
    c.set('clientIp', resolve(c))
    return next()
  }
}
