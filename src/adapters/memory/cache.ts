import type { BackendStats, CacheNamespaceOptions, CachePort, IncrResult, Ttl } from '../../ports/cache.js'
import { withHitStats } from '../shared/hit-stats.js'
import { CacheError } from '../../domain/errors.js'
import { decodeValue, encodeValue, type ValueCompression } from '../shared/codec.js'
import { ttlToMs } from '../shared/ttl.js'
import { cloneJson } from './json-clone.js'

export interface MemoryCacheOptions extends CacheNamespaceOptions {
  /** Entry bound (`CACHE_MAX_ENTRIES`), default 10000. Least recently used entries are evicted first. */
  maxEntries?: number
  /** Clock in ms, for tests. Default `Date.now`. */
  now?: () => number
  /** Packs values over `compressThreshold` (`zlibCompression`); none by default: kept as JSON text. */
  compression?: ValueCompression
}

interface Entry {
  /** The encoded value: validated JSON text (or its compressed form), the source of every copy. */
  v: string
  /** Absolute expiry in ms since epoch; `Infinity` = never. */
  e: number
  /** Recently used since the last eviction sweep passed it (CLOCK's reference bit). */
  r: boolean
  /** Immutable primitives are also kept decoded: returning them needs no parse and no copy. */
  p: boolean
  /**
   * The decoded value: a primitive (`p`), or, for a small object or array, a private decoded copy made
   * on the first hit, cloned on every hit (cheaper than parsing the text again). Large values are
   * parsed each time instead of being held twice.
   */
  d: unknown
}

const NAME = 'memory'

/**
 * In-process cache: a `Map` bounded by `maxEntries` with CLOCK eviction (an approximation of LRU: a hit
 * only sets a flag, and eviction gives flagged entries a second chance), and lazy expiry — no timers, so
 * nothing keeps the process alive. Values are stored encoded, which
 * gives copy semantics, JSON validation and (given `compression`) packing identical to the remote adapters.
 * The prefix and version only namespace keys: each instance owns its own map.
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): CachePort {
  const maxEntries = options.maxEntries ?? 10_000
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError('maxEntries must be a positive integer')
  const defaultTtl = options.defaultTtl === undefined ? 300 : options.defaultTtl
  const threshold = options.compressThreshold ?? 4096
  const now = options.now ?? Date.now
  const compression = options.compression
  const map = new Map<string, Entry>()
  let closed = false

  function live(key: string): Entry | undefined {
    const entry = map.get(key)
    if (entry === undefined) return undefined
    if (entry.e <= now()) {
      map.delete(key)
      return undefined
    }
    return entry
  }

  function expiryOf(ttl: Ttl): number | undefined {
    const ms = ttlToMs(ttl, defaultTtl)
    if (ms === null) return Infinity
    return ms <= 0 ? undefined : now() + ms
  }

  function entryOf(value: unknown, v: string, e: number): Entry {
    const p = value === null || (typeof value !== 'object' && v.length <= threshold)
    return { v, e, r: false, p, d: p ? value : undefined }
  }

  function put(key: string, entry: Entry): void {
    map.delete(key)
    map.set(key, entry)
    if (map.size > maxEntries) evict()
  }

  /** O(evicted) per call: walks from the oldest entry, dropping expired ones and unflagged ones. */
  function evict(): void {
    const t = now()
    for (const [k, entry] of map) {
      if (map.size <= maxEntries) break
      map.delete(k)
      if (entry.r && entry.e > t) {
        entry.r = false
        map.set(k, entry)
      }
    }
  }

  function read<T>(key: string): T | undefined {
    const entry = live(key)
    if (entry === undefined) return undefined
    entry.r = true
    if (entry.p) return entry.d as T
    // `~` starts the compressed form: only small, uncompressed values keep a decoded copy.
    if (entry.v.length > threshold || entry.v.charCodeAt(0) === 126) return decodeValue<T>(entry.v, NAME, compression)
    entry.d ??= decodeValue<unknown>(entry.v, NAME, compression)
    return cloneJson(entry.d as T)
  }

  function write(key: string, value: unknown, ttl: Ttl): void {
    const v = encodeValue(value, NAME, threshold, compression)
    const e = expiryOf(ttl)
    if (e === undefined) map.delete(key)
    else put(key, entryOf(value, v, e))
  }

  return withHitStats({
    name: NAME,
    async get<T>(key: string) {
      return read<T>(key)
    },
    async set(key, value, ttl) {
      write(key, value, ttl)
    },
    async add(key, value, ttl) {
      const v = encodeValue(value, NAME, threshold, compression)
      if (live(key) !== undefined) return false
      const e = expiryOf(ttl)
      if (e !== undefined) put(key, entryOf(value, v, e))
      return true
    },
    async getMany<T>(keys: readonly string[]) {
      return keys.map((k) => read<T>(k))
    },
    async setMany(entries, ttl) {
      const encoded = [...entries].map(([k, value]) => [k, value, encodeValue(value, NAME, threshold, compression)] as const)
      const e = expiryOf(ttl)
      for (const [k, value, v] of encoded) {
        if (e === undefined) map.delete(k)
        else put(k, entryOf(value, v, e))
      }
    },
    async delete(key) {
      const existed = live(key) !== undefined
      map.delete(key)
      return existed
    },
    async deleteMany(keys) {
      let n = 0
      for (const k of new Set(keys)) {
        if (live(k) !== undefined) n++
        map.delete(k)
      }
      return n
    },
    async has(key) {
      return live(key) !== undefined
    },
    async incr(key, delta = 1, ttl): Promise<IncrResult> {
      if (!Number.isSafeInteger(delta)) throw new TypeError('incr delta must be a safe integer')
      const entry = live(key)
      if (entry === undefined) {
        const e = expiryOf(ttl)
        if (e !== undefined) put(key, entryOf(delta, String(delta), e))
        return { value: delta, ttl: e === undefined ? 0 : e === Infinity ? null : (e - now()) / 1000 }
      }
      const current = entry.p ? entry.d : decodeValue<unknown>(entry.v, NAME, compression)
      if (!Number.isSafeInteger(current)) {
        throw new CacheError('CACHE.NOT_INTEGER', NAME, 'incr on a key that does not hold an integer')
      }
      const value = (current as number) + delta
      entry.v = String(value)
      entry.d = value
      entry.r = true
      return { value, ttl: entry.e === Infinity ? null : (entry.e - now()) / 1000 }
    },
    async touch(key, ttl) {
      const entry = live(key)
      if (entry === undefined) return false
      const e = expiryOf(ttl)
      if (e === undefined) map.delete(key)
      else entry.e = e
      return true
    },
    async ttl(key) {
      const entry = live(key)
      if (entry === undefined) return undefined
      return entry.e === Infinity ? null : (entry.e - now()) / 1000
    },
    async clear() {
      map.clear()
    },
    async ping() {
      if (closed) throw new CacheError('CACHE.UNAVAILABLE', NAME, 'cache is closed')
      return 0
    },
    async stats(): Promise<BackendStats> {
      return { backend: NAME, active: NAME, degraded: false, errors: 0, failovers: 0, entries: map.size, maxEntries }
    },
    async close() {
      closed = true
      map.clear()
    },
  })
}
