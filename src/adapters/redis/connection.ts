import { isIP } from 'node:net'
import { Cluster, Redis, type RedisOptions } from 'ioredis'

/** What a `REDIS_URL` describes: one server, or the seed node of a Redis Cluster (`?cluster=true`). */
export interface ParsedRedisUrl {
  options: RedisOptions
  cluster: boolean
}

/**
 * `redis://[[user]:password@]host[:port][/db][?cluster=true]`, or `rediss://` for TLS. Parsed here rather
 * than by ioredis so the outcome is explicit and tested; the password is URL-decoded and never logged.
 */
export function parseRedisUrl(raw: string): ParsedRedisUrl {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new TypeError('Redis URL does not parse') // never echo it: it may hold a password
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new TypeError(`Redis URL must use redis: or rediss:, got ${url.protocol}`)
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1'
  const options: RedisOptions = { host, port: url.port ? Number(url.port) : 6379 }
  if (url.username) options.username = decodeURIComponent(url.username)
  if (url.password) options.password = decodeURIComponent(url.password)
  const path = url.pathname.replace(/^\//, '')
  if (path !== '') {
    if (!/^\d+$/.test(path)) throw new TypeError(`Redis URL database must be a number, got "${path}"`)
    options.db = Number(path)
  }
  // SNI needs a host name; TLS to a bare IP address verifies against the certificate's IP SANs instead.
  if (url.protocol === 'rediss:') options.tls = isIP(host) ? {} : { servername: host }
  const clusterParam = url.searchParams.get('cluster')
  const cluster = clusterParam === 'true' || clusterParam === '1'
  if (cluster && options.db) throw new TypeError('Redis Cluster has only database 0')
  return { options, cluster }
}

/** A Sentinel's address (`REDIS_SENTINELS`). */
export interface SentinelAddress {
  host: string
  port: number
}

/** PEM text (not paths: the caller reads the files once, at start). */
export interface RedisTlsMaterial {
  /** A private CA the server's certificate must chain to; replaces the system's CAs. */
  ca?: string
  /** A client certificate and its key, for servers that demand one (`tls-auth-clients yes`). */
  cert?: string
  key?: string
}

/** A `REDIS_URL` with what it cannot say: Sentinels to find the master through, and TLS files' contents. */
export interface RedisTarget {
  url: string
  /** With Sentinels, the URL's host and port are not used: password, user, db and TLS still come from it. */
  sentinels?: readonly SentinelAddress[]
  /** The master's name in the Sentinels' configuration. Default `mymaster`. */
  sentinelName?: string
  /** Applies to a `rediss://` URL only. */
  tls?: RedisTlsMaterial
}

/** A demoted master answers writes with READONLY until Sentinel's reconfiguration drops our connection. */
const READONLY = /^READONLY\b/

/**
 * ioredis options for a target: the URL's, plus the TLS material; with Sentinels, a master found through
 * them, followed on `+switch-master` (`failoverDetector`), and a reconnection (so a new master lookup) on
 * READONLY. TLS then applies to the master and to the Sentinels alike, checked against the addresses the
 * Sentinels report (no SNI: the URL's host names no server).
 */
export function targetOptions(target: RedisTarget): ParsedRedisUrl {
  const parsed = parseRedisUrl(target.url)
  const { options } = parsed
  if (options.tls && target.tls) options.tls = { ...options.tls, ...target.tls }
  if (!target.sentinels?.length) return parsed
  if (parsed.cluster) throw new TypeError('Redis Sentinel and Redis Cluster do not mix')
  const { host: _host, port: _port, tls, ...rest } = options
  const sentinelOptions: RedisOptions = {
    ...rest,
    sentinels: target.sentinels.map(({ host, port }) => ({ host, port })),
    name: target.sentinelName ?? 'mymaster',
    failoverDetector: true,
    reconnectOnError: (err) => READONLY.test(err.message),
  }
  if (tls) {
    const { servername: _servername, ...noSni } = tls
    Object.assign(sentinelOptions, { tls: noSni, sentinelTLS: noSni, enableTLSForSentinelMode: true })
  }
  return { options: sentinelOptions, cluster: false }
}

/**
 * A connection error as one readable line. OpenSSL's alerts arrive as multi-line library dumps; the ones a
 * server sends about our client certificate are named for what they mean.
 */
export function describeConnectionError(message: string): string {
  const alert = /alert (certificate required|bad certificate|unknown ca|certificate unknown|certificate expired|certificate revoked)/i.exec(message)?.[1]
  if (alert?.toLowerCase() === 'certificate required') return 'the server demands a client certificate (TLS alert "certificate required")'
  if (alert !== undefined) return `the server rejected the client certificate (TLS alert "${alert}")`
  return message.split('\n')[0]!.trim()
}

export interface ClientTimeouts {
  commandTimeoutMs: number
  connectTimeoutMs: number
  enableAutoPipelining: boolean
}

/** Reconnect forever with a capped backoff: the failover wrapper serves meanwhile and probes for recovery. */
function retryStrategy(times: number): number {
  return Math.min(50 * 2 ** Math.min(times, 6), 2000)
}

/**
 * An ioredis client (or Cluster) that fails fast instead of queueing: commands time out after
 * `commandTimeoutMs`; in-flight commands fail when the connection drops (`maxRetriesPerRequest: 0`,
 * no resend); once connected, the offline queue is switched off, so calls made while reconnecting
 * fail at once rather than piling up in memory. Before the first connection, commands wait (bounded
 * by the command timeout), so a cache used right after creation works.
 */
export function createRedisClient(
  target: string | RedisTarget | RedisOptions,
  t: ClientTimeouts,
): Redis | Cluster {
  const parsed =
    typeof target === 'string'
      ? parseRedisUrl(target)
      : 'url' in target && typeof target.url === 'string'
        ? targetOptions(target as RedisTarget)
        : { options: target as RedisOptions, cluster: false }
  const base: RedisOptions = {
    commandTimeout: t.commandTimeoutMs,
    connectTimeout: t.connectTimeoutMs,
    sentinelCommandTimeout: t.connectTimeoutMs,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    enableOfflineQueue: true,
    retryStrategy,
    ...parsed.options,
  }
  if (parsed.cluster) {
    const { host, port, ...redisOptions } = base
    const cluster = new Cluster([{ host, port }], {
      redisOptions,
      enableAutoPipelining: t.enableAutoPipelining,
      enableOfflineQueue: true,
      clusterRetryStrategy: retryStrategy,
      slotsRefreshTimeout: t.connectTimeoutMs,
      // TLS certificates name hosts, not the IPs CLUSTER SLOTS reports: keep the seed's name.
      dnsLookup: (address, callback) => callback(null, address),
    })
    cluster.once('ready', () => {
      cluster.options.enableOfflineQueue = false
    })
    return cluster
  }
  const client = new Redis({ ...base, enableAutoPipelining: t.enableAutoPipelining })
  client.once('ready', () => {
    client.options.enableOfflineQueue = false
  })
  return client
}
