import type { Config } from '../config.js'
import type { CachePort } from '../ports/cache.js'
import type { Logger } from '../ports/logger.js'
import { createPgInvalidationFeed } from '../adapters/sql/invalidation-feed.js'
import { nearTierSet } from './near-tiers.js'

/**
 * The near tier of `CACHE_NEAR` around the db cache (docs/near-cache-db.md), fed by PostgreSQL
 * LISTEN/NOTIFY on `DATABASE_LISTEN_URL` (else `DATABASE_URL`). Built only when db heads the chain
 * (`CACHE_BACKEND=db`, or `auto` with only `DATABASE_URL`): as Redis' fallback the db cache serves only
 * during an outage, and its feed would cost two connections and a heartbeat commit every
 * CACHE_NEAR_HEARTBEAT_MS. Apart from near.ts so that a start without Redis never loads ioredis.
 */
export function nearDbTier(config: Config, logger: Logger) {
  const near = config.cache.near
  const tiers = nearTierSet(config)
  return {
    around(db: CachePort): CachePort {
      const feed = createPgInvalidationFeed({
        url: config.databaseListenUrl ?? config.databaseUrl!,
        prefix: config.cache.keyPrefix,
        version: config.cache.version,
        heartbeatMs: near.heartbeatMs,
        onError: (reason) => logger.warn('near cache: PostgreSQL LISTEN channel lost or not confirmed; reads go to PostgreSQL meanwhile', { reason }),
      })
      return tiers.wrap(db, feed)
    },
    onActivate: tiers.onActivate,
  }
}
