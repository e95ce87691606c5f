import { redactUrl, type Config } from '../config.js'
import type { CacheNamespaceOptions, CachePort } from '../ports/cache.js'
import type { Logger } from '../ports/logger.js'
import { createMemoryCache } from '../adapters/memory/cache.js'
import { createRedisCache } from '../adapters/redis/cache.js'
import { createSqlCache } from '../adapters/sql/cache.js'
import { createFailoverCache } from '../adapters/resilience/failover-cache.js'

type Backend = 'redis' | 'db' | 'memory'

/** Per-command bounds of the remote adapters (their defaults); the failover guard allows a little more. */
const REDIS_TIMEOUT_MS = 1000
const DB_TIMEOUT_MS = 2000
const PROBE_INTERVAL_MS = 1000

function passwordsOf(url: string | undefined): string[] {
  const raw = url ? new URL(url).password : ''
  if (!raw) return []
  try {
    return [raw, decodeURIComponent(raw)]
  } catch {
    return [raw]
  }
}

/**
 * Chooses and builds the cache from `CACHE_BACKEND` (see the spec):
 * - `auto`: redis if `REDIS_URL` is set and answers, else db if `DATABASE_URL` is set, else memory;
 * - `redis` / `db`: that backend; when it cannot be reached at start, the next one down the chain
 *   (redis → db when `DATABASE_URL` is set → memory) with one WARN line saying why — or, with
 *   `CACHE_STRICT`, a start-up error;
 * - `memory`: the in-process cache, bare.
 * A remote backend is wrapped in the failover cache, its fallback db (for redis, when `DATABASE_URL` is
 * set and answers) or memory, so runtime outages degrade instead of failing requests.
 */
export async function createCacheFromConfig(config: Config, logger: Logger): Promise<CachePort> {
  const ns: CacheNamespaceOptions = {
    prefix: config.cache.keyPrefix,
    version: config.cache.version,
    defaultTtl: config.cache.timeout,
  }
  const memory = () => createMemoryCache({ ...ns, maxEntries: config.cache.maxEntries })
  // ioredis messages name host and port, not the password; scrubbing is a second line of defence.
  const secrets = passwordsOf(config.redisUrl)
  const scrub = (s: string) => secrets.reduce((out, secret) => out.replaceAll(secret, '***'), s)

  const sqlCache = (url: string, deferSetup: boolean) =>
    createSqlCache({ url, ...ns, maxEntries: config.cache.maxEntries, timeoutMs: DB_TIMEOUT_MS, deferSetup })

  async function open(backend: Backend): Promise<CachePort> {
    if (backend === 'memory') return memory()
    if (backend === 'redis') {
      if (!config.redisUrl) throw new Error('REDIS_URL is not set')
      const cache = createRedisCache({ client: config.redisUrl, ...ns, commandTimeoutMs: REDIS_TIMEOUT_MS })
      try {
        await cache.ping()
      } catch (err) {
        await cache.close()
        throw err
      }
      return cache
    }
    if (!config.databaseUrl) throw new Error('DATABASE_URL is not set')
    // Creates the cache table when absent, which is also the reachability check.
    return sqlCache(config.databaseUrl, false)
  }

  const requested = config.cache.backend
  const chain: Backend[] =
    requested === 'memory'
      ? ['memory']
      : requested === 'db'
        ? ['db', 'memory']
        : requested === 'redis'
          ? ['redis', ...(config.databaseUrl ? (['db'] as const) : []), 'memory']
          : [...(config.redisUrl ? (['redis'] as const) : []), ...(config.databaseUrl ? (['db'] as const) : []), 'memory']

  const failures: string[] = []
  let chosen: Backend = 'memory'
  let primary: CachePort | undefined
  for (const backend of chain) {
    try {
      primary = await open(backend)
      chosen = backend
      break
    } catch (err) {
      const where = backend === 'redis' && config.redisUrl ? ` at ${redactUrl(config.redisUrl)}` : ''
      const why = `${backend}${where}: ${scrub((err as Error).message)}`
      if (config.cache.strict && backend === requested) {
        throw new Error(`CACHE_BACKEND=${requested} cannot be reached (${why}) and CACHE_STRICT=true forbids falling back`)
      }
      failures.push(why)
    }
  }
  primary ??= memory()
  if (failures.length > 0) {
    logger.warn(`cache backend ${chain[0]} unreachable at start; using ${chosen}`, { reasons: failures })
  }
  const wrap = (p: CachePort, fallback: CachePort, startDegraded = false) =>
    createFailoverCache({
      primary: p,
      fallback,
      logger,
      commandTimeoutMs: (p.name === 'redis' ? REDIS_TIMEOUT_MS : DB_TIMEOUT_MS) + 250,
      probeIntervalMs: PROBE_INTERVAL_MS,
      startDegraded,
    })

  // A database cache that was down at start, as the primary (explicit `db`, or `auto` with only
  // DATABASE_URL) or as Redis's fallback: `standIn` serves meanwhile, and the db cache creates its table
  // and takes over once PostgreSQL answers.
  const dbOnceReachable = async (standIn: CachePort) => wrap(await sqlCache(config.databaseUrl!, true), standIn, true)
  // A configured Redis that is down at start is still the primary: serve from what answered and move to
  // Redis as soon as it does (its client reconnects in the background; calls fail fast meanwhile).
  if (chain[0] === 'redis' && chosen !== 'redis' && config.redisUrl) {
    const redis = createRedisCache({ client: config.redisUrl, ...ns, commandTimeoutMs: REDIS_TIMEOUT_MS })
    const standIn = chosen === 'db' ? wrap(primary, memory()) : config.databaseUrl ? await dbOnceReachable(primary) : primary
    return wrap(redis, standIn, true)
  }
  // Likewise a database cache as the primary.
  if (chain[0] === 'db' && chosen !== 'db' && config.databaseUrl) return dbOnceReachable(primary)
  if (chosen === 'memory') return primary

  let fallback: CachePort = memory()
  if (chosen === 'redis' && config.databaseUrl) {
    try {
      fallback = await open('db')
    } catch (err) {
      logger.warn('cache fallback db unreachable at start; memory stands in for it until it answers', {
        reason: (err as Error).message,
      })
      fallback = await dbOnceReachable(memory())
    }
  }
  return wrap(primary, fallback)
}
