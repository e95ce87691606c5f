import type { BackendStats, CachePort, CacheStats, IncrResult, Ttl } from '../../ports/cache.js'
import type { InvalidationFeed } from '../../ports/invalidation.js'
import { keyNamespace } from '../shared/keys.js'
import { cloneJson } from '../memory/json-clone.js'
import { createNearStore, entrySize } from './near-store.js'

export interface NearCacheOptions {
  /** Key prefix and version of the remote (`CACHE_KEY_PREFIX`, `CACHE_VERSION`): invalidations name stored keys. */
  prefix?: string
  version?: number | string
  /**
   * Caller key prefixes whose values are kept near (`session:`, `catalog:`, `prices:`). Anything else —
   * rate-limit counters above all — always goes to the remote, so counts stay exact across instances.
   */
  prefixes: readonly string[]
  /** Bounds of the near copies. Defaults 10,000 entries, 16 MiB. */
  maxEntries?: number
  maxBytes?: number
  /**
   * A copy is served only while the feed confirmed, at most this many ms ago, that every earlier write has
   * been delivered (`feed.confirmedAt()`): the bound on staleness when the channel breaks silently. Default 50.
   */
  leaseMs?: number
  /** Clock (ms, monotonic); `performance.now` by default. */
  now?: () => number
}

export interface NearCacheStats {
  hits: number
  misses: number
  bypasses: number
  evictions: number
  invalidations: number
  flushes: number
  entries: number
  bytes: number
  live: boolean
  leaseMs: number
  feed: ReturnType<InvalidationFeed['stats']>
}

export interface NearCache extends CachePort {
  /** Drops every copy (the failover wrapper switched backends). */
  flush(): void
  nearStats(): NearCacheStats
}

/**
 * An in-process near tier in front of a remote CachePort, kept coherent by the remote's InvalidationFeed.
 *
 * Reads of opted-in keys are served from a bounded LRU while the feed's lease holds; everything else, and
 * every write, goes to the remote. Coherence: a fetch records the key's invalidation epoch (and the global
 * flush epoch) before the remote GET and stores its answer only if neither moved by the time it returns, so
 * an invalidation that overtook the reply (it travels on another connection) is never undone. Writes drop
 * the local copy before and after the remote write. See docs/near-cache.md for the bound and its proof.
 */
export function createNearCache(remote: CachePort, feed: InvalidationFeed, options: NearCacheOptions): NearCache {
  const ns = keyNamespace(options.prefix, options.version)
  const prefixes = [...options.prefixes]
  const leaseMs = options.leaseMs ?? 50
  const now = options.now ?? (() => performance.now())
  const store = createNearStore(options.maxEntries ?? 10_000, options.maxBytes ?? 16 * 1024 * 1024)
  /** In-flight fetches by stored key: the epoch an invalidation bumps. Only keys being fetched are held. */
  const inflight = new Map<string, { epoch: number; count: number }>()
  let flushEpoch = 0
  const counters = { hits: 0, misses: 0, bypasses: 0, invalidations: 0, flushes: 0 }

  const near = (key: string) => {
    for (const p of prefixes) if (key.startsWith(p)) return true
    return false
  }
  const servable = () => {
    const at = feed.confirmedAt()
    return at !== undefined && now() - at <= leaseMs
  }

  function drop(stored: string): void {
    store.delete(stored)
    const slot = inflight.get(stored)
    if (slot) slot.epoch++
  }
  function flushAll(): void {
    store.clear()
    flushEpoch++
    counters.flushes++
  }
  const unsubscribe = feed.subscribe((event) => {
    if ('flush' in event) return flushAll()
    for (const k of event.keys) {
      counters.invalidations++
      drop(k)
    }
  })

  /** The remote's value and expiry, kept if no invalidation or flush for it arrived meanwhile. */
  async function fetch<T>(key: string, stored: string): Promise<T | undefined> {
    let slot = inflight.get(stored)
    if (!slot) inflight.set(stored, (slot = { epoch: 0, count: 0 }))
    slot.count++
    const epoch = slot.epoch
    const flushes = flushEpoch
    const started = now()
    try {
      // Without its expiry the value is still the answer; it is just not kept.
      const [value, ttl] = await Promise.all([remote.get<T>(key), remote.ttl(key).catch(() => undefined)])
      if (value !== undefined && ttl !== undefined && slot.epoch === epoch && flushEpoch === flushes && servable()) {
        store.set(stored, {
          value: cloneJson(value),
          bytes: entrySize(stored, JSON.stringify(value)),
          expiresAt: ttl === null ? null : started + ttl * 1000,
        })
      }
      return value
    } finally {
      if (--slot.count === 0) inflight.delete(stored)
    }
  }

  /** A live local copy of a near key while the lease holds; `miss` when it must be fetched; `bypass` otherwise. */
  function local(key: string): { value: unknown } | 'miss' | 'bypass' {
    if (!servable()) {
      counters.bypasses++
      return 'bypass'
    }
    const e = store.get(ns.key(key), now())
    if (!e) {
      counters.misses++
      return 'miss'
    }
    counters.hits++
    return { value: e.value }
  }

  /** Runs a remote write of near keys with their copies dropped before and after it. */
  async function writing<R>(keys: readonly string[], write: () => Promise<R>): Promise<R> {
    const stored = keys.filter(near).map((k) => ns.key(k))
    for (const k of stored) drop(k)
    try {
      return await write()
    } finally {
      for (const k of stored) drop(k)
    }
  }

  const cache: NearCache = {
    name: remote.name,
    // The hot path: no async wrapper, so a hit is one resolved promise.
    get<T>(key: string): Promise<T | undefined> {
      if (!near(key)) return remote.get<T>(key)
      const hit = local(key)
      if (hit === 'bypass') return remote.get<T>(key)
      if (hit === 'miss') return fetch<T>(key, ns.key(key))
      return Promise.resolve(cloneJson(hit.value) as T)
    },
    async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
      const out: (T | undefined)[] = new Array(keys.length)
      const far: number[] = []
      const fetches: Promise<void>[] = []
      keys.forEach((key, i) => {
        const hit = near(key) ? local(key) : 'bypass'
        if (hit === 'bypass') far.push(i)
        else if (hit === 'miss') fetches.push(fetch<T>(key, ns.key(key)).then((v) => void (out[i] = v)))
        else out[i] = cloneJson(hit.value) as T
      })
      if (far.length > 0) {
        fetches.push(
          remote.getMany<T>(far.map((i) => keys[i]!)).then((values) => {
            far.forEach((i, j) => (out[i] = values[j]))
          }),
        )
      }
      await Promise.all(fetches)
      return out
    },
    async has(key) {
      if (!near(key)) return remote.has(key)
      const hit = local(key)
      return typeof hit === 'object' ? true : remote.has(key)
    },
    set: (key, value, ttl?: Ttl) => writing([key], () => remote.set(key, value, ttl)),
    add: (key, value, ttl?: Ttl) => writing([key], () => remote.add(key, value, ttl)),
    setMany(entries, ttl?: Ttl) {
      const list = [...entries]
      return writing(
        list.map(([k]) => k),
        () => remote.setMany(list, ttl),
      )
    },
    delete: (key) => writing([key], () => remote.delete(key)),
    deleteMany: (keys) => writing(keys, () => remote.deleteMany(keys)),
    incr: (key, delta?: number, ttl?: Ttl): Promise<IncrResult> =>
      near(key) ? writing([key], () => remote.incr(key, delta, ttl)) : remote.incr(key, delta, ttl),
    touch: (key, ttl?: Ttl) => writing([key], () => remote.touch(key, ttl)),
    ttl: (key) => remote.ttl(key),
    async clear() {
      flushAll()
      try {
        await remote.clear()
      } finally {
        flushAll()
      }
    },
    ping: () => remote.ping(),
    async stats(): Promise<CacheStats> {
      const s: BackendStats & Partial<CacheStats> = await remote.stats()
      return { ...s, hits: s.hits ?? 0, misses: s.misses ?? 0, near: cache.nearStats() }
    },
    flush: flushAll,
    nearStats(): NearCacheStats {
      return { ...counters, ...store.stats(), live: servable(), leaseMs, feed: feed.stats() }
    },
    async close() {
      unsubscribe()
      store.clear()
      await Promise.allSettled([feed.close(), remote.close()])
    },
  }
  return cache
}
