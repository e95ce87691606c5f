/**
 * A small in-process map of answers with an entry bound and a TTL (seconds). Insertion-ordered `Map`:
 * the oldest entry goes first when full. Keys carry the catalog generation, so entries never need
 * invalidating — they only age out.
 */
export interface NearCache {
  get(key: string): string | undefined
  set(key: string, value: string): void
}

export function createNearCache(maxEntries: number, ttlSeconds: number, now: () => number = Date.now): NearCache {
  const map = new Map<string, { value: string; expires: number }>()
  const ttlMs = ttlSeconds * 1000
  return {
    get(key) {
      if (maxEntries <= 0) return undefined
      const entry = map.get(key)
      if (entry === undefined) return undefined
      if (entry.expires <= now()) {
        map.delete(key)
        return undefined
      }
      return entry.value
    },
    set(key, value) {
      if (maxEntries <= 0 || ttlMs <= 0) return
      map.delete(key)
      map.set(key, { value, expires: now() + ttlMs })
      while (map.size > maxEntries) map.delete(map.keys().next().value!)
    },
  }
}
