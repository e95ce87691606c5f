import type { BackendStats, CachePort, CacheStats } from '../../ports/cache.js'

/** An adapter before `withHitStats`: a CachePort whose `stats()` leaves out hits and misses. */
export type UncountedCache<C extends CachePort = CachePort> = Omit<C, 'stats'> & { stats(): Promise<BackendStats> }

/**
 * Counts the hits and misses of `get`/`getMany` around a cache and adds them to its `stats()`: written
 * once for every adapter (each factory returns `withHitStats(...)`), as Keyv's stats manager does around
 * its stores. A failover cache counts what it answered, whichever backend served it.
 */
export function withHitStats<C extends CachePort>(cache: UncountedCache<C>): C {
  let hits = 0
  let misses = 0
  const count = <T>(value: T | undefined): T | undefined => {
    if (value === undefined) misses++
    else hits++
    return value
  }
  return {
    ...cache,
    get: <T>(key: string) => cache.get<T>(key).then(count),
    getMany: <T>(keys: readonly string[]) =>
      cache.getMany<T>(keys).then((values) => {
        for (const v of values) count(v)
        return values
      }),
    async stats(): Promise<CacheStats> {
      return { ...(await cache.stats()), hits, misses }
    },
  } as unknown as C
}
