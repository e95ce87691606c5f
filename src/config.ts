/**
 * The only module that reads the environment. `loadConfig(env)` parses and validates every variable of
 * the spec once; a malformed value throws `ConfigError` whose message is one line naming the variable.
 */
export type CacheBackendName = 'auto' | 'memory' | 'redis' | 'db'
/** `APP_ENV`: which environment this process runs in (not Hono's `AppEnv`, the request variables type in http/types.ts). */
export type EnvironmentName = 'development' | 'production' | 'test'
export type LogLevelName = 'debug' | 'info' | 'warn' | 'error'

export interface RatePolicy {
  /** Requests allowed per window. */
  limit: number
  /** Window length, seconds. */
  windowSeconds: number
}

export interface Config {
  port: number
  host: string
  appEnv: EnvironmentName
  cache: {
    backend: CacheBackendName
    strict: boolean
    timeout: number
    keyPrefix: string
    version: string
    maxEntries: number
    /** `CACHE_NEAR*`: the in-process near tier in front of Redis or the db backend (docs/near-cache.md). */
    near: NearConfig
  }
  redisUrl?: string
  /** `REDIS_SENTINELS`: the master is found through these Sentinels; `REDIS_URL` then gives password, db and TLS. */
  redisSentinels?: RedisSentinel[]
  /** `REDIS_SENTINEL_NAME`: the master's name in the Sentinels' configuration. */
  redisSentinelName: string
  /** `REDIS_TLS_*_FILE`: paths of PEM files for a `rediss://` URL, read once at start by the composition root. */
  redisTlsFiles: RedisTlsFiles
  databaseUrl?: string
  /**
   * `DATABASE_LISTEN_URL`: a direct connection (not through PgBouncer in transaction mode) for the db
   * backend's near-cache invalidations (LISTEN); `DATABASE_URL` when unset.
   */
  databaseListenUrl?: string
  /** `DATABASE_PREPARE`: named prepared statements; false behind PgBouncer in transaction mode without them. */
  databasePrepare: boolean
  session: { ttl: number; idleTtl: number }
  trustProxy: boolean
  rateLimit: { api: RatePolicy; login: RatePolicy; import: RatePolicy }
  fts: { cacheResults: boolean; cacheTtl: number; minQueryLength: number }
  /** `CATALOG_SEED`: seed an empty PostgreSQL catalog with the shipped SNI 2025 reference at start. */
  catalogSeed: boolean
  /** `PRICE_OVERHEAD_PERCENT` (default 10) and `PRICE_TAX_PERCENT` (PPN, default 11), exact decimal text 0–100. */
  pricing: { overheadPercent: string; taxPercent: string }
  admin?: { username: string; password: string }
  logLevel: LogLevelName
  /** Port for a separate metrics listener; 0 = serve `/metrics` on the main port (admin only). */
  metricsPort: number
  /** Bound on draining in-flight requests at SIGTERM/SIGINT before connections are cut, ms. */
  shutdownTimeoutMs: number
  /** Bound on every request body except uploads (imports have their own, 10 MB), bytes (`BODY_LIMIT`). */
  bodyLimit: number
}

export interface NearConfig {
  /** `CACHE_NEAR` (default false). */
  enabled: boolean
  /** `CACHE_NEAR_PREFIXES`: caller key prefixes kept near (default `session:,catalog:,prices:`). */
  prefixes: string[]
  /** `CACHE_NEAR_MAX_ENTRIES` (10000) and `CACHE_NEAR_MAX_SIZE` (16mb). */
  maxEntries: number
  maxBytes: number
  /** `CACHE_NEAR_LEASE_MS` (50): the staleness bound when the invalidation channel breaks silently. */
  leaseMs: number
  /** `CACHE_NEAR_HEARTBEAT_MS` (10): how often the channel is confirmed; must be below the lease. */
  heartbeatMs: number
}

export interface RedisSentinel {
  host: string
  port: number
}

/** Paths of PEM files. */
export interface RedisTlsFiles {
  /** `REDIS_TLS_CA_FILE`: a private CA the server's certificate is checked against (instead of the system's). */
  ca?: string
  /** `REDIS_TLS_CERT_FILE` and `REDIS_TLS_KEY_FILE`: a client certificate for mutual TLS (both or neither). */
  cert?: string
  key?: string
}

/** Each `REDIS_TLS_*` variable and the `RedisTlsFiles` field it sets, in the order they are checked. */
export const REDIS_TLS_VARIABLES = [
  ['REDIS_TLS_CA_FILE', 'ca'],
  ['REDIS_TLS_CERT_FILE', 'cert'],
  ['REDIS_TLS_KEY_FILE', 'key'],
] as const satisfies readonly (readonly [string, keyof RedisTlsFiles])[]

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid ${variable}: ${problem}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

function read(env: Env, name: string): string | undefined {
  const v = env[name]
  return v === undefined || v.trim() === '' ? undefined : v.trim()
}

function int(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = read(env, name)
  if (v === undefined) return fallback
  if (!/^-?\d+$/.test(v)) throw new ConfigError(name, `expected an integer, got "${v}"`)
  const n = Number(v)
  if (n < min || n > max) throw new ConfigError(name, `expected an integer between ${min} and ${max}, got ${n}`)
  return n
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const v = read(env, name)?.toLowerCase()
  if (v === undefined) return fallback
  if (['true', '1', 'yes', 'on'].includes(v)) return true
  if (['false', '0', 'no', 'off'].includes(v)) return false
  throw new ConfigError(name, `expected true or false, got "${v}"`)
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const v = read(env, name)?.toLowerCase()
  if (v === undefined) return fallback
  if (!(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${v}"`)
  }
  return v as T
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const v = read(env, name)
  if (v === undefined) return undefined
  let parsed: URL
  try {
    parsed = new URL(v)
  } catch {
    // Never echo the value: it may hold a password.
    throw new ConfigError(name, 'not a valid URL')
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got protocol "${parsed.protocol}"`)
  }
  return v
}

const MAX_SENTINELS = 16

/** `host:port,host:port` (port 26379 when left out; `[::1]:26379` for IPv6). */
export function parseSentinels(name: string, value: string): RedisSentinel[] {
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '')
  if (entries.length === 0 || entries.length > MAX_SENTINELS) {
    throw new ConfigError(name, `expected 1–${MAX_SENTINELS} host:port entries separated by commas`)
  }
  return entries.map((entry) => {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([\w.-]+))(?::(\d{1,5}))?$/.exec(entry)
    const port = Number(m?.[3] ?? 26379)
    if (!m || port < 1 || port > 65535) throw new ConfigError(name, `expected host:port such as 10.0.0.5:26379, got "${entry}"`)
    return { host: m[1] ?? m[2]!, port }
  })
}

/** The Redis variables beyond `REDIS_URL`, checked against it: each combination that cannot work is refused. */
function redisExtras(env: Env, redisUrl: string | undefined): Pick<Config, 'redisSentinels' | 'redisSentinelName' | 'redisTlsFiles'> {
  const sentinelsText = read(env, 'REDIS_SENTINELS')
  const sentinels = sentinelsText === undefined ? undefined : parseSentinels('REDIS_SENTINELS', sentinelsText)
  const sentinelName = read(env, 'REDIS_SENTINEL_NAME') ?? 'mymaster'
  if (!/^[\w.:-]{1,100}$/.test(sentinelName)) {
    throw new ConfigError('REDIS_SENTINEL_NAME', 'expected 1–100 letters, digits, "_", ".", ":" or "-"')
  }
  const parsed = redisUrl === undefined ? undefined : new URL(redisUrl)
  if (sentinels && !parsed) {
    throw new ConfigError('REDIS_SENTINELS', 'needs REDIS_URL too, for the password and db (its host is not used: the Sentinels name the master)')
  }
  if (sentinels && ['true', '1'].includes(parsed!.searchParams.get('cluster') ?? '')) {
    throw new ConfigError('REDIS_SENTINELS', 'cannot be used with a Redis Cluster (REDIS_URL has ?cluster=true)')
  }
  const tls: RedisTlsFiles = {}
  for (const [variable, field] of REDIS_TLS_VARIABLES) {
    const path = read(env, variable)
    if (path === undefined) continue
    if (parsed?.protocol !== 'rediss:') throw new ConfigError(variable, 'applies only to a rediss:// REDIS_URL')
    tls[field] = path
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    const [set, missing] = tls.cert === undefined ? ['REDIS_TLS_KEY_FILE', 'REDIS_TLS_CERT_FILE'] : ['REDIS_TLS_CERT_FILE', 'REDIS_TLS_KEY_FILE']
    throw new ConfigError(set, `needs ${missing} too (a client certificate and its key go together)`)
  }
  return { redisSentinels: sentinels, redisSentinelName: sentinelName, redisTlsFiles: tls }
}

/** `count/seconds`, e.g. `100/60`. */
export function parseRatePolicy(name: string, value: string): RatePolicy {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value)
  if (!m) throw new ConfigError(name, `expected "count/seconds" such as 100/60, got "${value}"`)
  const limit = Number(m[1])
  const windowSeconds = Number(m[2])
  if (limit < 1 || windowSeconds < 1) throw new ConfigError(name, 'count and seconds must both be at least 1')
  return { limit, windowSeconds }
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }

/** A size such as `1048576`, `512kb`, `1mb`, `1.5MB` (units of 1024, as the `bytes` package) → bytes. */
export function parseSize(name: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value)
  if (!m) throw new ConfigError(name, `expected a size such as 1048576, 512kb or 1mb, got "${value}"`)
  const bytes = Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? '').toLowerCase()]!)
  if (bytes < 1 || bytes > SIZE_UNITS.gb!) throw new ConfigError(name, `expected between 1 byte and 1gb, got "${value}"`)
  return bytes
}

function percentText(env: Env, name: string, fallback: string): string {
  const v = read(env, name)
  if (v === undefined) return fallback
  const m = /^(\d{1,3})(?:\.(\d{1,6}))?$/.exec(v)
  if (!m || Number(v) > 100) throw new ConfigError(name, `expected a percentage from 0 to 100 such as 10 or 12.5, got "${v}"`)
  const frac = (m[2] ?? '').replace(/0+$/, '')
  return `${Number(m[1])}${frac ? `.${frac}` : ''}`
}

/** Rate-limit counters (`rl:`) must always count on the server: a prefix covering them is refused. */
function nearConfig(env: Env): NearConfig {
  const prefixes = (read(env, 'CACHE_NEAR_PREFIXES') ?? 'session:,catalog:,prices:').split(',').map((p) => p.trim()).filter((p) => p !== '')
  const covers = prefixes.find((p) => 'rl:'.startsWith(p) || p.startsWith('rl:'))
  if (prefixes.length === 0 || covers !== undefined) {
    throw new ConfigError('CACHE_NEAR_PREFIXES', `expected key prefixes such as session:,catalog: that never cover rate-limit counters (rl:)${covers ? `, got "${covers}"` : ''}`)
  }
  const leaseMs = int(env, 'CACHE_NEAR_LEASE_MS', 50, 1, 60_000)
  const heartbeatMs = int(env, 'CACHE_NEAR_HEARTBEAT_MS', 10, 1, 60_000)
  if (heartbeatMs >= leaseMs) throw new ConfigError('CACHE_NEAR_HEARTBEAT_MS', `must be below CACHE_NEAR_LEASE_MS (${leaseMs})`)
  const size = read(env, 'CACHE_NEAR_MAX_SIZE')
  return {
    enabled: bool(env, 'CACHE_NEAR', false),
    prefixes,
    maxEntries: int(env, 'CACHE_NEAR_MAX_ENTRIES', 10_000, 1),
    maxBytes: size === undefined ? 16 * 1024 ** 2 : parseSize('CACHE_NEAR_MAX_SIZE', size),
    leaseMs,
    heartbeatMs,
  }
}

function rate(env: Env, name: string, fallback: string): RatePolicy {
  return parseRatePolicy(name, read(env, name) ?? fallback)
}

export function loadConfig(env: Env): Config {
  const adminUser = read(env, 'ADMIN_USERNAME')
  const adminPass = env.ADMIN_PASSWORD
  const prefix = read(env, 'CACHE_KEY_PREFIX') ?? 'ahsp'
  if (!/^[\w.-]{1,64}$/.test(prefix)) {
    throw new ConfigError('CACHE_KEY_PREFIX', 'expected 1–64 letters, digits, "_", "." or "-"')
  }
  const version = read(env, 'CACHE_VERSION') ?? '1'
  if (!/^[\w.-]{1,32}$/.test(version)) throw new ConfigError('CACHE_VERSION', 'expected 1–32 letters or digits')
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:'])
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: read(env, 'HOST') ?? '127.0.0.1',
    appEnv: oneOf(env, 'APP_ENV', ['development', 'production', 'test'] as const, 'development'),
    cache: {
      backend: oneOf(env, 'CACHE_BACKEND', ['auto', 'memory', 'redis', 'db'] as const, 'auto'),
      strict: bool(env, 'CACHE_STRICT', false),
      timeout: int(env, 'CACHE_TIMEOUT', 300, 0),
      keyPrefix: prefix,
      version,
      maxEntries: int(env, 'CACHE_MAX_ENTRIES', 10_000, 1),
      near: nearConfig(env),
    },
    redisUrl,
    ...redisExtras(env, redisUrl),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databaseListenUrl: url(env, 'DATABASE_LISTEN_URL', ['postgres:', 'postgresql:']),
    databasePrepare: bool(env, 'DATABASE_PREPARE', true),
    session: {
      ttl: int(env, 'SESSION_TTL', 1_209_600, 1),
      idleTtl: int(env, 'SESSION_IDLE_TTL', 0, 0),
    },
    trustProxy: bool(env, 'TRUST_PROXY', false),
    rateLimit: {
      api: rate(env, 'RATE_LIMIT_API', '100/60'),
      login: rate(env, 'RATE_LIMIT_LOGIN', '5/300'),
      import: rate(env, 'RATE_LIMIT_IMPORT', '10/3600'),
    },
    fts: {
      cacheResults: bool(env, 'FTS_CACHE_RESULTS', true),
      cacheTtl: int(env, 'FTS_CACHE_TTL', 300, 0),
      minQueryLength: int(env, 'FTS_MIN_QUERY_LENGTH', 2, 1, 100),
    },
    catalogSeed: bool(env, 'CATALOG_SEED', true),
    pricing: {
      overheadPercent: percentText(env, 'PRICE_OVERHEAD_PERCENT', '10'),
      taxPercent: percentText(env, 'PRICE_TAX_PERCENT', '11'),
    },
    admin:
      adminUser !== undefined && adminPass !== undefined && adminPass !== ''
        ? { username: adminUser, password: adminPass }
        : undefined,
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    metricsPort: int(env, 'METRICS_PORT', 0, 0, 65535),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    bodyLimit: parseSize('BODY_LIMIT', read(env, 'BODY_LIMIT') ?? '1mb'),
  }
}

/** `REDIS_URL`/`DATABASE_URL` with the password replaced, for logs. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '<unparseable url>'
  }
}
