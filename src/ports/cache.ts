/**
 * The CachePort: the one cache interface every use case (sessions, rate limits, search) depends on.
 *
 * Semantics, fixed for every adapter (memory, redis, sql) and checked by `test/contracts/cache.contract.ts`:
 *
 * - **Time unit: seconds**, everywhere (TTL arguments, `ttl()`, `incr().ttl`). Fractions are allowed and
 *   honoured to the millisecond (`0.25` = 250 ms) so tests and rate-limit windows can be short.
 * - **TTL argument** (`ttl?: Ttl`):
 *   - omitted / `undefined` → the adapter's default TTL (`CACHE_TIMEOUT`, 300 s by default);
 *   - `null` → no expiry;
 *   - a number `> 0` → expires that many seconds from now (relative, never absolute);
 *   - a number `<= 0` → the write is an immediate expiry: the key is deleted (Django's `timeout=0`).
 * - **A miss returns `undefined`**, never `null`: a stored `null` is returned as `null`.
 * - **Values** are any JSON value (objects, arrays, strings, finite numbers, booleans, `null`).
 *   What JSON cannot carry (`undefined`, functions, symbols, BigInt, non-finite numbers, cycles), at
 *   any depth, is rejected with a `CacheError` code `CACHE.INVALID_VALUE` and nothing is stored.
 *   Values are stored as copies: mutating what `get` returned never changes the cache.
 *   Large values are compressed transparently.
 * - **Keys** are any string (unicode, spaces, newlines, any length); the adapter namespaces them with
 *   its prefix and version (`<prefix>:<version>:<key>`, Django's `KEY_PREFIX`/`VERSION`) and hashes
 *   long or unsafe keys. Two prefixes or versions never see each other's keys.
 * - **Errors**: an adapter that cannot reach its backend throws `CacheError` code `CACHE.UNAVAILABLE`
 *   (with `cause`) within its command timeout, never hangs. The failover wrapper turns those into
 *   calls on the fallback backend, so use cases normally never see them.
 */

/** Seconds (fractional allowed); `null` = never expires; `undefined` = default TTL; `<= 0` = delete. */
export type Ttl = number | null | undefined

/** A value JSON can carry. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

export interface IncrResult {
  /** The counter's value after the increment. */
  value: number
  /** Seconds left before the counter expires; `null` when it never expires. */
  ttl: number | null
}

/** What a backend reports of itself; `CacheStats` adds the read counters kept around every adapter. */
export interface BackendStats {
  /** Backend this cache was configured with (`memory` | `redis` | `db`). */
  backend: string
  /** Backend currently serving calls (differs from `backend` while failed over). */
  active: string
  /** True while serving from a fallback. */
  degraded: boolean
  /** Backend errors seen (each failed command counts once). */
  errors: number
  /** Times traffic moved from the primary to the fallback. */
  failovers: number
  [extra: string]: unknown
}

export interface CacheStats extends BackendStats {
  /** `get`/`getMany` keys found. */
  hits: number
  /** `get`/`getMany` keys not found. */
  misses: number
}

export interface CachePort {
  /** Name of the backend (`memory` | `redis` | `db`, or `failover(redis→memory)`). */
  readonly name: string

  /** The value, or `undefined` on a miss or an expired key. */
  get<T = unknown>(key: string): Promise<T | undefined>
  /** Store `value` (replacing any). */
  set(key: string, value: unknown, ttl?: Ttl): Promise<void>
  /** Store only if the key is absent (or expired). True if it stored. */
  add(key: string, value: unknown, ttl?: Ttl): Promise<boolean>
  /** Values in the order of `keys`, `undefined` for each miss. */
  getMany<T = unknown>(keys: readonly string[]): Promise<(T | undefined)[]>
  /** Store every entry with one TTL. */
  setMany(entries: Iterable<readonly [string, unknown]>, ttl?: Ttl): Promise<void>
  /** True if a live key was deleted. */
  delete(key: string): Promise<boolean>
  /** Number of live keys deleted. */
  deleteMany(keys: readonly string[]): Promise<number>
  /** True if the key exists and has not expired. */
  has(key: string): Promise<boolean>
  /**
   * Atomically add `delta` (default 1, may be negative) to an integer counter. An absent key is created
   * at `delta` with `ttl` (default TTL when omitted); an existing key keeps its expiry — `incr` never
   * extends it. Throws `CacheError` `CACHE.NOT_INTEGER` when the key holds a non-integer value.
   */
  incr(key: string, delta?: number, ttl?: Ttl): Promise<IncrResult>
  /** Reset the expiry of a live key. True if the key existed. */
  touch(key: string, ttl?: Ttl): Promise<boolean>
  /** Seconds left; `null` if the key never expires; `undefined` if it is absent. */
  ttl(key: string): Promise<number | null | undefined>
  /** Delete every key of this cache's prefix and version — never anyone else's data. */
  clear(): Promise<void>
  /** Round trip to the backend; resolves with the latency in milliseconds, throws if unreachable. */
  ping(): Promise<number>
  /** Counters since start. */
  stats(): Promise<CacheStats>
  /** Release connections and timers. Idempotent. */
  close(): Promise<void>
}

/** Options every adapter factory accepts. */
export interface CacheNamespaceOptions {
  /** Key prefix (`CACHE_KEY_PREFIX`), default `ahsp`. */
  prefix?: string
  /** Key version (`CACHE_VERSION`), default `1`. */
  version?: number | string
  /** Default TTL in seconds (`CACHE_TIMEOUT`), default 300; `null` = no expiry. */
  defaultTtl?: number | null
  /** Values whose JSON exceeds this many bytes are compressed. Default 4096. */
  compressThreshold?: number
}
