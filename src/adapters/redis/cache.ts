import type { Cluster, Redis, RedisOptions } from 'ioredis'
import type { BackendStats, CacheNamespaceOptions, CachePort, IncrResult } from '../../ports/cache.js'
import { withHitStats } from '../shared/hit-stats.js'
import { CacheError } from '../../domain/errors.js'
import { decodeValue, encodeValue } from '../shared/codec.js'
import { zlibCompression } from '../shared/zlib-compression.js'
import { keyNamespace } from '../shared/keys.js'
import { ttlToMs } from '../shared/ttl.js'
import { createRedisClient, describeConnectionError, type RedisTarget } from './connection.js'
import { INCR, NOT_INTEGER, PERSIST, runScript } from './scripts.js'

export interface RedisCacheOptions extends CacheNamespaceOptions {
  /**
   * A `redis://`/`rediss://` URL (`?cluster=true` for a Redis Cluster seed node), a URL with Sentinels and
   * TLS material (`RedisTarget`), or ioredis options: the adapter creates the client, owns it and closes it. An existing `Redis`/`Cluster` is used as is and
   * left open by `close()`; its own timeouts and queueing apply.
   */
  client: string | RedisTarget | RedisOptions | Redis | Cluster
  /** A command with no answer after this many ms fails with `CACHE.UNAVAILABLE`. Default 1000. */
  commandTimeoutMs?: number
  /** Connection attempt bound, ms. Default 2000. */
  connectTimeoutMs?: number
  /** Batch concurrent commands into one write (ioredis auto-pipelining). Default true. */
  enableAutoPipelining?: boolean
}

const NAME = 'redis'
const SCAN_COUNT = 1000

type AnyClient = Redis | Cluster

function isClient(c: RedisCacheOptions['client']): c is AnyClient {
  return typeof c === 'object' && c !== null && typeof (c as Redis).sendCommand === 'function'
}

/** `*?[]\` are glob syntax in SCAN MATCH; the prefix must match literally. */
function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&')
}

/** Error replies of a server that is up but will not serve the command; the token is counted in stats. */
const REFUSALS = /^(?:ERR Error running script[^:]*: )?(?:@user_script:\S+ )?(OOM|READONLY|NOPERM|MASTERDOWN|LOADING|BUSY|MISCONF|NOREPLICAS|TRYAGAIN)\b/

function toCacheError(err: unknown, connectionError: string | undefined): CacheError {
  if (err instanceof CacheError) return err
  const message = err instanceof Error ? err.message : String(err)
  if (message.includes(NOT_INTEGER)) {
    return new CacheError('CACHE.NOT_INTEGER', NAME, 'incr on a key that does not hold an integer', err)
  }
  if (message.startsWith('WRONGTYPE')) {
    return new CacheError('CACHE.CORRUPT', NAME, 'key holds a Redis type this cache never writes', err)
  }
  // A server that answers but refuses (full, a replica after a failover, ACL, loading, busy script…) is a
  // failing backend for that command: unavailable, so failover moves traffic, and counted as a refusal.
  const refusal = REFUSALS.exec(message)?.[1]
  if (refusal !== undefined) return new CacheError('CACHE.UNAVAILABLE', NAME, `Redis refuses the command (${message})`, err, refusal)
  // Timeouts, refused or dropped connections, CLUSTERDOWN…: the backend cannot serve.
  // While disconnected, ioredis only says "max retries" or "stream isn't writeable": name the real cause.
  const why = connectionError === undefined ? message : `cannot reach Redis (${connectionError})`
  return new CacheError('CACHE.UNAVAILABLE', NAME, why, err)
}

const noop = (): void => {}

function incrResult([value, pttl]: [number, number]): IncrResult {
  return { value, ttl: pttl < 0 ? null : pttl / 1000 }
}

/** QUIT lets in-flight replies arrive; a dead or silent server gets a hard disconnect after a second. */
async function quit(client: AnyClient): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 1000)
  })
  await Promise.race([client.quit().catch(() => undefined), bound])
  clearTimeout(timer)
  client.disconnect()
}

/**
 * Redis cache over ioredis. Values use the shared wire format (`shared/codec.ts`) and keys the shared
 * namespace, so all adapters agree byte for byte. Every command is single-key on a Cluster (auto-pipelined
 * per node), and multi-key (MGET, DEL, pipelines) on a single server.
 */
export function createRedisCache(options: RedisCacheOptions): CachePort {
  const owned = !isClient(options.client)
  const client: AnyClient = isClient(options.client)
    ? options.client
    : createRedisClient(options.client, {
        commandTimeoutMs: options.commandTimeoutMs ?? 1000,
        connectTimeoutMs: options.connectTimeoutMs ?? 2000,
        enableAutoPipelining: options.enableAutoPipelining ?? true,
      })
  // Commands have identical signatures on both; the union type is not callable, so one view is used.
  const r = client as Redis
  const cluster = client.isCluster
  // Connection errors surface through rejected commands (with the last one named, for start-up logs);
  // listening also stops ioredis printing "Unhandled error event" on every reconnect attempt.
  // A caller's own client keeps its own listeners.
  let connectionError: string | undefined
  if (owned) {
    client.on('error', (err: Error) => {
      const next = describeConnectionError(err.message)
      // A refused TLS handshake is followed by the reset of its socket: keep the reason, not the echo.
      if (connectionError?.includes('certificate') && /ECONNRESET|EPIPE|socket hang up/.test(next)) return
      connectionError = next
    })
    client.on('ready', () => {
      connectionError = undefined
    })
  }
  const ns = keyNamespace(options.prefix, options.version)
  const defaultTtl = options.defaultTtl === undefined ? 300 : options.defaultTtl
  const threshold = options.compressThreshold ?? 4096
  let errors = 0
  let closing: Promise<void> | undefined

  const refusals: Record<string, number> = {}
  const fail = (err: unknown): never => {
    const error = toCacheError(err, connectionError)
    if (error.code !== 'CACHE.NOT_INTEGER') errors++
    if (error.refusal !== undefined) refusals[error.refusal] = (refusals[error.refusal] ?? 0) + 1
    throw error
  }
  const decode = <T>(raw: string | null): T | undefined => {
    if (raw === null) return undefined
    return decodeValue<T>(raw, NAME, zlibCompression)
  }
  const exists = (k: string): Promise<boolean> => r.exists(k).then((n) => n > 0, fail)

  /** SET with the port's TTL rules: `ms` null = no expiry, <= 0 = delete. */
  function write(k: string, v: string, ms: number | null): Promise<unknown> {
    if (ms === null) return r.set(k, v)
    return ms > 0 ? r.set(k, v, 'PX', ms) : r.del(k)
  }

  async function unlinkAll(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0
    if (!cluster) return r.unlink(...keys)
    const counts = await Promise.all(keys.map((k) => r.unlink(k)))
    return counts.reduce((a, b) => a + b, 0)
  }

  return withHitStats({
    name: NAME,
    get<T>(key: string): Promise<T | undefined> {
      return r.get(ns.key(key)).then(decode as (raw: string | null) => T | undefined, fail)
    },
    // set, get and incr are the hot path: no async wrapper, one promise layer over ioredis's.
    set(key, value, ttl) {
      let v: string
      let ms: number | null
      try {
        v = encodeValue(value, NAME, threshold, zlibCompression)
        ms = ttlToMs(ttl, defaultTtl)
      } catch (err) {
        return Promise.reject(err)
      }
      return write(ns.key(key), v, ms).then(noop, fail)
    },
    async add(key, value, ttl) {
      const v = encodeValue(value, NAME, threshold, zlibCompression)
      const ms = ttlToMs(ttl, defaultTtl)
      const k = ns.key(key)
      if (ms !== null && ms <= 0) return !(await exists(k))
      const reply = await (ms === null ? r.set(k, v, 'NX') : r.set(k, v, 'PX', ms, 'NX')).catch(fail)
      return reply === 'OK'
    },
    async getMany<T>(keys: readonly string[]) {
      if (keys.length === 0) return []
      const full = keys.map((k) => ns.key(k))
      const raws = await (cluster ? Promise.all(full.map((k) => r.get(k))) : r.mget(full)).catch(fail)
      return raws.map((raw) => decode<T>(raw))
    },
    async setMany(entries, ttl) {
      const encoded = [...entries].map(([k, value]) => [ns.key(k), encodeValue(value, NAME, threshold, zlibCompression)] as const)
      const ms = ttlToMs(ttl, defaultTtl)
      if (encoded.length === 0) return
      if (cluster) {
        await Promise.all(encoded.map(([k, v]) => write(k, v, ms))).catch(fail)
        return
      }
      const pipe = r.pipeline()
      for (const [k, v] of encoded) {
        if (ms === null) pipe.set(k, v)
        else if (ms > 0) pipe.set(k, v, 'PX', ms)
        else pipe.del(k)
      }
      const results = await pipe.exec().catch(fail)
      const failed = results?.find(([err]) => err)
      if (failed) fail(failed[0])
    },
    delete(key) {
      return r.del(ns.key(key)).then((n) => n > 0, fail)
    },
    async deleteMany(keys) {
      return unlinkAll([...new Set(keys.map((k) => ns.key(k)))]).catch(fail)
    },
    has(key) {
      return exists(ns.key(key))
    },
    incr(key, delta = 1, ttl): Promise<IncrResult> {
      let ms: number | null
      try {
        if (!Number.isSafeInteger(delta)) throw new TypeError('incr delta must be a safe integer')
        ms = ttlToMs(ttl, defaultTtl)
      } catch (err) {
        return Promise.reject(err)
      }
      const px = ms === null ? -1 : Math.max(ms, 0)
      return runScript<[number, number]>(r, INCR, ns.key(key), [delta, px]).then(incrResult, fail)
    },
    async touch(key, ttl) {
      const ms = ttlToMs(ttl, defaultTtl)
      const k = ns.key(key)
      // PEXPIRE with ms <= 0 deletes the key, which is the port's meaning of a non-positive TTL.
      const n = await (ms === null ? runScript<number>(r, PERSIST, k, []) : r.pexpire(k, ms)).catch(fail)
      return n === 1
    },
    async ttl(key) {
      const pttl = await r.pttl(ns.key(key)).catch(fail)
      if (pttl === -2) return undefined
      return pttl === -1 ? null : pttl / 1000
    },
    async clear() {
      const match = escapeGlob(ns.base) + '*'
      const nodes = cluster ? (client as Cluster).nodes('master') : [r]
      try {
        for (const node of nodes) {
          let cursor = '0'
          do {
            const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT)
            cursor = next
            await unlinkAll(keys)
          } while (cursor !== '0')
        }
      } catch (err) {
        fail(err)
      }
    },
    async ping() {
      const start = performance.now()
      await r.ping().catch(fail)
      return performance.now() - start
    },
    async stats(): Promise<BackendStats> {
      return { backend: NAME, active: NAME, degraded: false, errors, failovers: 0, refusals: { ...refusals }, status: client.status }
    },
    close() {
      closing ??= owned ? quit(client) : Promise.resolve()
      return closing
    },
  })
}
