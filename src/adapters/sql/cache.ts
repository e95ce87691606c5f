import type { BackendStats, CacheNamespaceOptions, CachePort, IncrResult, Ttl } from '../../ports/cache.js'
import { withHitStats } from '../shared/hit-stats.js'
import { CacheError } from '../../domain/errors.js'
import { decodeValue, encodeValue } from '../shared/codec.js'
import { zlibCompression } from '../shared/zlib-compression.js'
import { keyNamespace } from '../shared/keys.js'
import { ttlToMs } from '../shared/ttl.js'
import type { Sql } from './client.js'
import { createPgPool, wrapPgClient } from './pool.js'
import { cacheStatements, createCacheTable, keyRange, quoteTable } from './cache-table.js'

export { createCacheTable } from './cache-table.js'

export interface SqlCacheOptions extends CacheNamespaceOptions {
  /** An existing postgres.js client; the adapter never closes it. Takes precedence over `url`. */
  sql?: Sql
  /** `DATABASE_URL`: the adapter opens (and closes) its own pool. */
  url?: string
  /** Pool size when the adapter owns the pool. Default 10. */
  max?: number
  /** Cache table, a lower-case identifier or `schema.table`. Default `cache_entries`. */
  table?: string
  /** Bound on this prefix+version's rows (`CACHE_MAX_ENTRIES`), default 10000; see `cullEvery`. */
  maxEntries?: number
  /**
   * Writes between two bound checks, in the background: count this namespace's rows (an index range);
   * only when over `maxEntries`, delete expired rows, then the oldest rows over the bound. Default
   * `maxEntries / 10`, clamped to 1..1000: the table overshoots the bound by at most that many rows.
   */
  cullEvery?: number
  /** Seconds between timer-driven maintenance passes (unref'd: never keeps the process alive); 0 = off. Default 60. */
  pruneInterval?: number
  /** Create the table at start if absent. Default true. */
  createTable?: boolean
  /**
   * Do not check the database at creation (which then cannot fail): the table is created by the first call
   * that reaches it (a failover wrapper's probe `ping`), and until then every call fails with
   * `CACHE.UNAVAILABLE`. For a db cache that was down when the process started. Default false.
   */
  deferSetup?: boolean
  /**
   * Milliseconds a call may take before it fails with `CACHE.UNAVAILABLE` (client-side, so a dead network
   * cannot hang a caller); the statement is then cancelled. An owned pool connects within it too and is
   * replaced when a connection stops answering (`pool.ts`). Default 2000.
   */
  timeoutMs?: number
  /** Named prepared statements (`DATABASE_PREPARE`); false behind PgBouncer in transaction mode. Default true. */
  prepare?: boolean
}

/** The sql cache: the CachePort plus an on-demand maintenance pass (used by tests and the CLI). */
export interface SqlCache extends CachePort {
  /** Runs a maintenance pass now (after any running one); resolves with the rows removed. */
  maintain(): Promise<{ expired: number; culled: number }>
}

const NAME = 'db'
type Row = Record<string, unknown>
/** PostgreSQL: invalid_text_representation (the ::bigint cast) and numeric_value_out_of_range. */
const NOT_INTEGER_CODES = new Set(['22P02', '22003'])

/**
 * PostgreSQL-backed CachePort (postgres.js): every call is one prepared statement, upserts for writes,
 * expiry filtered in every read and enforced by the database clock. See `cache-table.ts` for the table.
 */
export async function createSqlCache(options: SqlCacheOptions): Promise<SqlCache> {
  const table = options.table ?? 'cache_entries'
  quoteTable(table)
  const maxEntries = options.maxEntries ?? 10_000
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError('maxEntries must be a positive integer')
  const cullEvery = options.cullEvery ?? Math.min(1000, Math.max(1, Math.floor(maxEntries / 10)))
  const timeoutMs = options.timeoutMs ?? 2000
  const defaultTtl = options.defaultTtl === undefined ? 300 : options.defaultTtl
  const threshold = options.compressThreshold ?? 4096
  const ns = keyNamespace(options.prefix, options.version)
  const [lo, hi] = keyRange(ns.base)
  const q = cacheStatements(table)

  if (!options.sql && !options.url) throw new TypeError('createSqlCache needs `sql` or `url`')
  const prepare = options.prepare ?? true
  // A deep queue: a full one fails calls, which the failover wrapper would count as an outage.
  const poolOptions = { name: 'cache', max: options.max ?? 10, queue: 50 * (options.max ?? 10), deadlineMs: timeoutMs, connectTimeout: timeoutMs / 1000, prepare }
  const pool = options.sql ? wrapPgClient(options.sql, poolOptions) : createPgPool(options.url!, poolOptions)

  let errors = 0
  let writes = 0
  let closed = false
  let maintaining: Promise<{ expired: number; culled: number }> | undefined

  function unavailable(err: unknown): CacheError {
    const reason = (err as { code?: string }).code ?? (err as Error).message
    return new CacheError('CACHE.UNAVAILABLE', NAME, `PostgreSQL call failed (${reason})`, err)
  }

  /** False until the table is known to exist: created at start, or with `deferSetup` by the first call that reaches the database. */
  let tableReady = options.createTable === false
  let settingUp: Promise<void> | undefined
  function setUp(): Promise<void> {
    settingUp ??= pool
      .run((sql) => createCacheTable(sql, table))
      .then(() => {
        tableReady = true
      })
      .finally(() => {
        settingUp = undefined
      })
    return settingUp
  }

  /** One statement, bounded by `timeoutMs`; every failure becomes a CacheError (counted once). */
  async function exec(text: string, params: unknown[]): Promise<Row[]> {
    if (closed) throw new CacheError('CACHE.UNAVAILABLE', NAME, 'cache is closed')
    try {
      if (!tableReady) await setUp()
      // `prepare`: a named statement per connection, parsed and planned once.
      return await pool.run<Row[]>((sql) => sql.unsafe(text, params as never[], { prepare }))
    } catch (err) {
      errors++
      if (text === q.incr && NOT_INTEGER_CODES.has((err as { code?: string }).code ?? '')) {
        throw new CacheError('CACHE.NOT_INTEGER', NAME, 'incr on a key that does not hold an integer', err)
      }
      throw unavailable(err)
    }
  }

  function wrote(n = 1): void {
    writes += n
    if (writes < cullEvery) return
    writes = 0
    // In the background: the write that crosses the threshold does not pay for the cull.
    pass(false).catch(() => {})
  }

  /**
   * `full` (timer, `maintain()`): delete expired rows, then cull. From writes: only count this namespace
   * (an index range) and prune and cull only when it is over the bound, so the seq scan of a prune is
   * not paid every `cullEvery` writes.
   */
  function pass(full: boolean): Promise<{ expired: number; culled: number }> {
    maintaining ??= (async () => {
      try {
        const count = async () => ((await exec(q.countRange, [lo, hi]))[0].n as number) - maxEntries
        let over = full ? 0 : await count()
        let expired = 0
        if (full || over > 0) {
          expired = ((await exec(q.pruneExpired, [])) as unknown as { count: number }).count
          over = await count()
        }
        const culled = over > 0 ? ((await exec(q.cullOldest, [lo, hi, over])) as unknown as { count: number }).count : 0
        return { expired, culled }
      } finally {
        maintaining = undefined
      }
    })()
    return maintaining
  }

  async function maintain(): Promise<{ expired: number; culled: number }> {
    await maintaining?.catch(() => {})
    return pass(true)
  }

  function ttlMs(ttl: Ttl): number | null {
    return ttlToMs(ttl, defaultTtl)
  }

  // The reachability check at start, unless deferred to the first call.
  if (!tableReady && !options.deferSetup) {
    try {
      await setUp()
    } catch (err) {
      await pool.end({ timeout: 0 }).catch(() => {})
      throw unavailable(err)
    }
  }

  const interval = options.pruneInterval ?? 60
  const timer = interval > 0 ? setInterval(() => void pass(true).catch(() => {}), interval * 1000) : undefined
  timer?.unref()

  return withHitStats<SqlCache>({
    name: NAME,
    maintain,
    async get<T>(key: string) {
      const rows = await exec(q.get, [ns.key(key)])
      if (rows.length === 0) return undefined
      return decodeValue<T>(rows[0].value as string, NAME, zlibCompression)
    },
    async set(key, value, ttl) {
      const v = encodeValue(value, NAME, threshold, zlibCompression)
      const ms = ttlMs(ttl)
      if (ms !== null && ms <= 0) await exec(q.delete, [ns.key(key)])
      else await exec(q.set, [ns.key(key), v, ms])
      wrote()
    },
    async add(key, value, ttl) {
      const v = encodeValue(value, NAME, threshold, zlibCompression)
      const ms = ttlMs(ttl)
      // An immediately expiring add stores nothing; it "succeeds" only where the key is absent.
      if (ms !== null && ms <= 0) return (await exec(q.has, [ns.key(key)])).length === 0
      const stored = (await exec(q.add, [ns.key(key), v, ms])).length === 1
      if (stored) wrote()
      return stored
    },
    async getMany<T>(keys: readonly string[]) {
      if (keys.length === 0) return []
      const stored = keys.map((k) => ns.key(k))
      const rows = await exec(q.getMany, [[...new Set(stored)]])
      const found = new Map(rows.map((r) => [r.key as string, r.value as string]))
      return stored.map((k) => {
        const v = found.get(k)
        return v === undefined ? undefined : decodeValue<T>(v, NAME, zlibCompression)
      })
    },
    async setMany(entries, ttl) {
      // Last write wins for a repeated key (one INSERT cannot touch a row twice).
      const byKey = new Map<string, string>()
      for (const [k, value] of entries) byKey.set(ns.key(k), encodeValue(value, NAME, threshold, zlibCompression))
      if (byKey.size === 0) return
      const ms = ttlMs(ttl)
      if (ms !== null && ms <= 0) await exec(q.deleteMany, [[...byKey.keys()]])
      else await exec(q.setMany, [[...byKey.keys()], [...byKey.values()], ms])
      wrote(byKey.size)
    },
    async delete(key) {
      const rows = await exec(q.delete, [ns.key(key)])
      return rows.length === 1 && rows[0].live === true
    },
    async deleteMany(keys) {
      if (keys.length === 0) return 0
      const [{ n }] = await exec(q.deleteMany, [[...new Set(keys.map((k) => ns.key(k)))]])
      return n as number
    },
    async has(key) {
      return (await exec(q.has, [ns.key(key)])).length === 1
    },
    async incr(key, delta = 1, ttl): Promise<IncrResult> {
      if (!Number.isSafeInteger(delta)) throw new TypeError('incr delta must be a safe integer')
      const ms = ttlMs(ttl)
      const [row] = await exec(q.incr, [ns.key(key), delta, ms])
      wrote()
      return { value: Number(row.value), ttl: row.ttl === null ? null : Math.max(0, row.ttl as number) }
    },
    async touch(key, ttl) {
      const ms = ttlMs(ttl)
      const text = ms !== null && ms <= 0 ? q.delete : q.touch
      const rows = await exec(text, text === q.delete ? [ns.key(key)] : [ns.key(key), ms])
      return rows.length === 1 && rows[0].live === true
    },
    async ttl(key) {
      const rows = await exec(q.ttl, [ns.key(key)])
      if (rows.length === 0) return undefined
      return rows[0].ttl === null ? null : Math.max(0, rows[0].ttl as number)
    },
    async clear() {
      await exec(q.clear, [lo, hi])
    },
    async ping() {
      const start = performance.now()
      await exec('select 1', [])
      return performance.now() - start
    },
    async stats(): Promise<BackendStats> {
      // Counters must stay readable while the database is down (/ready, the failover wrapper).
      const entries = await exec(q.count, [lo, hi]).then(([row]) => row.n as number, () => undefined)
      return { backend: NAME, active: NAME, degraded: false, errors, failovers: 0, entries, maxEntries, table }
    },
    async close() {
      if (closed) return
      if (timer) clearInterval(timer)
      await maintaining?.catch(() => {})
      closed = true
      await pool.end({ timeout: 1 })
    },
  })
}
