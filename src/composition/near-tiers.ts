import type { Config } from '../config.js'
import type { CachePort } from '../ports/cache.js'
import { createNearCache, type NearCache } from '../adapters/near/near-cache.js'
import type { InvalidationFeed } from '../ports/invalidation.js'

/**
 * What the Redis and db near tiers share (near.ts, near-db.ts): the tier built from `CACHE_NEAR_*`, and the
 * failover's `onActivate` flushing every tier on each backend switch, since copies taken before it may miss
 * what changed while the other backend served. Loads no driver.
 */
export function nearTierSet(config: Config) {
  const near = config.cache.near
  const tiers: NearCache[] = []
  return {
    wrap(remote: CachePort, feed: InvalidationFeed): NearCache {
      const tier = createNearCache(remote, feed, {
        prefix: config.cache.keyPrefix,
        version: config.cache.version,
        prefixes: near.prefixes,
        maxEntries: near.maxEntries,
        maxBytes: near.maxBytes,
        leaseMs: near.leaseMs,
      })
      tiers.push(tier)
      return tier
    },
    onActivate(next?: (cache: CachePort) => Promise<unknown>): (cache: CachePort) => Promise<unknown> {
      return async (cache) => {
        for (const t of tiers) t.flush()
        return next?.(cache)
      }
    },
  }
}
