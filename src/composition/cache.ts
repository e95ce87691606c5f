import type { Config } from '../config.js'
import type { CachePort } from '../ports/cache.js'
import type { Logger } from '../ports/logger.js'
import { createMemoryCache } from '../adapters/memory/cache.js'

/**
 * Chooses and builds the cache from `CACHE_BACKEND` (see the spec): auto → redis → db → memory,
 * with start-up fallback (unless `CACHE_STRICT`) and runtime failover.
 * TODO(issue 2): redis, db and failover.
 */
export async function createCacheFromConfig(config: Config, _logger: Logger): Promise<CachePort> {
  return createMemoryCache({
    prefix: config.cache.keyPrefix,
    version: config.cache.version,
    defaultTtl: config.cache.timeout,
    maxEntries: config.cache.maxEntries,
  })
}
