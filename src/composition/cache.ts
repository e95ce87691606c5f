import { ConfigError, REDIS_TLS_VARIABLES, redactUrl, type Config } from '../config.js'
import type { CacheNamespaceOptions, CachePort } from '../ports/cache.js'
import type { Logger } from '../ports/logger.js'
import { createMemoryCache } from '../adapters/memory/cache.js'
import { zlibCompression } from '../adapters/shared/zlib-compression.js'
import type { RedisTarget } from '../adapters/redis/connection.js'
import { readRedisTlsFiles, TlsFileError } from '../adapters/redis/tls-files.js'
import { createFailoverCache } from '../adapters/resilience/failover-cache.js'
import { chainFor, SHAPES, startState, type Remote, type Shape } from './cache-chain.js'

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
 * `REDIS_URL` with the Sentinels and the TLS files' contents, read here once at start: a file that cannot be
 * used is a configuration error naming its variable (start-up stops), never a Redis that "does not answer".
 */
export function redisTargetFrom(config: Config): RedisTarget | undefined {
  if (config.redisUrl === undefined) return undefined
  let tls
  try {
    tls = readRedisTlsFiles(config.redisTlsFiles)
  } catch (err) {
    if (!(err instanceof TlsFileError)) throw err
    const variable = REDIS_TLS_VARIABLES.find(([, role]) => role === err.role)![0]
    throw new ConfigError(variable, err.message)
  }
  return { url: config.redisUrl, sentinels: config.redisSentinels, sentinelName: config.redisSentinelName, tls }
}

/** Where Redis was looked for, for logs: the URL without its password, or the Sentinels and the master's name. */
function redisWhere(config: Config): string {
  const sentinels = config.redisSentinels?.map((s) => `${s.host}:${s.port}`).join(',')
  return sentinels ? `master "${config.redisSentinelName}" via Sentinels ${sentinels}` : redactUrl(config.redisUrl!)
}

/** Node's verification failures of the server's certificate (untrusted chain, self-signed, wrong name, expired). */
const UNTRUSTED = /certificate|self[- ]signed|altnames|Hostname\/IP does not match/i

/**
 * Which variable to check when Redis over TLS failed at start. In TLS 1.3 the client's side of the
 * handshake ends before the server checks the client certificate, so a server that demands one may show
 * only as a reset connection, its alert unread.
 */
function tlsHint(message: string, config: Config): string {
  if (/client certificate/.test(message)) return '; REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE give one'
  if (UNTRUSTED.test(message)) return "; is REDIS_TLS_CA_FILE the CA that signed the server's certificate?"
  const tls = config.redisUrl?.startsWith('rediss:') && config.redisTlsFiles.cert === undefined
  return tls && /ECONNRESET|socket hang up/.test(message) ? '; if the server demands a client certificate, REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE give one' : ''
}

/**
 * The Redis cache factory (with its near tier), its modules imported only when Redis is configured: ioredis
 * takes 100–200 ms to load, which a start without Redis (the embedded default, PostgreSQL alone) would
 * otherwise pay before its first answer (`npm run build` splits them into a chunk of their own).
 */
async function loadRedis(config: Config, logger: Logger, target: RedisTarget, ns: CacheNamespaceOptions) {
  const [{ createRedisCache }, { nearTiers }] = await Promise.all([import('../adapters/redis/cache.js'), import('./near.js')])
  const near = nearTiers(config, logger)
  return { near, open: () => near.aroundRedis(createRedisCache({ client: target, ...ns, commandTimeoutMs: REDIS_TIMEOUT_MS }), target) }
}

/**
 * Chooses and builds the cache from `CACHE_BACKEND` and the URLs: the chain of `chainFor(config)`, each
 * remote tried at start in order, then the shape `SHAPES[startState(...)]` for what answered (see
 * `cache-chain.ts` and docs/cache-redis-failover.md). A failure at start is one WARN line saying why —
 * or, with `CACHE_STRICT` and an explicit backend, a start-up error.
 */
export async function createCacheFromConfig(
  config: Config,
  logger: Logger,
  hooks: { onActivate?: (cache: CachePort) => Promise<unknown> } = {},
): Promise<CachePort> {
  const ns: CacheNamespaceOptions = {
    prefix: config.cache.keyPrefix,
    version: config.cache.version,
    defaultTtl: config.cache.timeout,
  }
  const memory = () => createMemoryCache({ ...ns, maxEntries: config.cache.maxEntries, compression: zlibCompression })
  // ioredis messages name host and port, not the password; scrubbing is a second line of defence.
  const secrets = passwordsOf(config.redisUrl)
  const scrub = (s: string) => secrets.reduce((out, secret) => out.replaceAll(secret, '***'), s)
  const target = redisTargetFrom(config)
  const withRedis = target ? await loadRedis(config, logger, target, ns) : undefined
  const redis = () => withRedis!.open()
  const row = chainFor(config)
  const dbNear = config.cache.near.enabled && row.tries[0] === 'db' ? (await import('./near-db.js')).nearDbTier(config, logger) : undefined
  // deferSetup: the table is created by the first call that reaches PostgreSQL (a db down at start).
  const sqlCache = async (deferSetup: boolean) => {
    const { createSqlCache } = await import('../adapters/sql/cache.js')
    const db = await createSqlCache({ url: config.databaseUrl!, ...ns, maxEntries: config.cache.maxEntries, timeoutMs: DB_TIMEOUT_MS, deferSetup, prepare: config.databasePrepare })
    return dbNear ? dbNear.around(db) : db
  }

  /** Opens a remote at start; the reachability check is a PING (Redis) or creating the cache table (db). */
  async function open(remote: Remote): Promise<CachePort> {
    if (remote === 'db') return sqlCache(false)
    const cache = redis()
    try {
      await cache.ping()
    } catch (err) {
      await cache.close()
      throw err
    }
    return cache
  }

  const requested = config.cache.backend
  const head = row.missing ? requested : (row.tries[0] ?? 'memory')
  const strictError = (why: string) =>
    new Error(`CACHE_BACKEND=${requested} cannot be reached (${why}) and CACHE_STRICT=true forbids falling back`)

  // --- try each remote of the chain at start, in order ---
  const failures: string[] = [] // before the first that answered: the "unreachable at start" WARN
  if (row.missing) {
    const why = `${requested}: ${row.missing} is not set`
    if (config.cache.strict) throw strictError(why)
    failures.push(why)
  }
  const opened = new Map<Remote, CachePort>()
  for (const remote of row.tries) {
    try {
      opened.set(remote, await open(remote))
    } catch (err) {
      if (opened.size > 0) {
        logger.warn(`cache fallback ${remote} unreachable at start; memory stands in for it until it answers`, {
          reason: (err as Error).message,
        })
        continue
      }
      const where = remote === 'redis' ? ` at ${redisWhere(config)}` : ''
      const why = `${remote}${where}: ${scrub((err as Error).message)}${remote === 'redis' ? tlsHint((err as Error).message, config) : ''}`
      if (config.cache.strict && remote === requested) throw strictError(why)
      failures.push(why)
    }
  }
  if (failures.length > 0) {
    const using = [...opened.keys()][0] ?? 'memory'
    logger.warn(`cache backend ${head} unreachable at start; using ${using}`, { reasons: failures })
  }

  // --- build the shape for what answered ---
  const shape = SHAPES[startState(row, new Set(opened.keys()))]!
  async function build(s: Shape): Promise<CachePort> {
    if (s === 'memory') return memory()
    if (!('primary' in s)) return s.up ? opened.get(s.remote)! : s.remote === 'redis' ? redis() : sqlCache(true)
    return createFailoverCache({
      primary: await build(s.primary),
      fallback: await build(s.fallback),
      logger,
      commandTimeoutMs: (s.primary.remote === 'redis' ? REDIS_TIMEOUT_MS : DB_TIMEOUT_MS) + 250,
      probeIntervalMs: PROBE_INTERVAL_MS,
      // A remote down at start is still the primary: serve from the fallback and move to it once it answers.
      startDegraded: !s.primary.up,
      onActivate: dbNear ? dbNear.onActivate(hooks.onActivate) : withRedis ? withRedis.near.onActivate(hooks.onActivate) : hooks.onActivate,
    })
  }
  return build(shape)
}
