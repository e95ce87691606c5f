import type { Config } from '../config.js'
import type { CachePort } from '../ports/cache.js'
import type { Logger } from '../ports/logger.js'
import { parseRedisUrl, type RedisTarget } from '../adapters/redis/connection.js'
import { createRedisTrackingFeed } from '../adapters/redis/tracking-feed.js'
import { keyNamespace } from '../adapters/shared/keys.js'
import { nearTierSet } from './near-tiers.js'

/** A URL the Redis adapter will refuse is left for it to report, with its own message. */
function isCluster(url: string): boolean {
  try {
    return parseRedisUrl(url).cluster
  } catch {
    return false
  }
}

/**
 * The near tier of `CACHE_NEAR` (docs/near-cache.md) around a Redis cache, inside the failover chain: while
 * the fallback serves, the tier is not consulted, and every switch of backend flushes it (`flushAll`).
 * On a Redis Cluster it is not built: tracking would need a subscriber and a tracking connection per
 * master, re-made on every slot move; the cache works as before, one round trip per read.
 */
export function nearTiers(config: Config, logger: Logger) {
  const tiers = nearTierSet(config)
  const near = config.cache.near
  const ns = keyNamespace(config.cache.keyPrefix, config.cache.version)
  const cluster = near.enabled && config.redisUrl !== undefined && isCluster(config.redisUrl)
  if (near.enabled && cluster) logger.warn('CACHE_NEAR is ignored on a Redis Cluster: reads go to Redis', {})

  return {
    /** `redis` wrapped in a near tier when `CACHE_NEAR` is on (and not a Cluster). */
    aroundRedis(redis: CachePort, target: RedisTarget): CachePort {
      if (!near.enabled || cluster) return redis
      const feed = createRedisTrackingFeed({
        client: target,
        // Hashed keys (`<base>#<sha>`: long or odd keys) cannot be told apart by class, so all are tracked.
        prefixes: [...near.prefixes.map((p) => ns.base + p), ns.base + '#'],
        heartbeatPrefix: `${ns.base}__near_heartbeat__:`,
        heartbeatMs: near.heartbeatMs,
        onError: (err) => logger.warn('near cache: setting up Redis client tracking failed; retrying (reads go to Redis meanwhile)', { err: err.message }),
      })
      return tiers.wrap(redis, feed)
    },
    /** The failover's `onActivate`, flushing every tier on each backend switch; unchanged when the near tier is off. */
    onActivate(next?: (cache: CachePort) => Promise<unknown>): ((cache: CachePort) => Promise<unknown>) | undefined {
      return !near.enabled || cluster ? next : tiers.onActivate(next)
    },
  }
}
