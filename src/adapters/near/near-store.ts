/** One near copy: the decoded value (never handed out: callers get a clone), its size and its expiry. */
export interface NearEntry {
  value: unknown
  /** Approximate bytes held (UTF-16 units of the key and the value's JSON, plus a fixed overhead). */
  bytes: number
  /** `performance.now()` ms after which the copy is dead; `null` = the remote key never expires. */
  expiresAt: number | null
}

/** Per-entry bookkeeping (Map slot, object header, numbers), counted so tiny values still bound the count. */
const OVERHEAD_BYTES = 64

export function entrySize(key: string, json: string): number {
  return (key.length + json.length) * 2 + OVERHEAD_BYTES
}

/**
 * A bounded LRU of near copies keyed by stored key: at most `maxEntries` entries and `maxBytes` bytes,
 * the least recently read going first. A `Map` keeps insertion order; a hit moves its key to the end.
 */
export function createNearStore(maxEntries: number, maxBytes: number) {
  const entries = new Map<string, NearEntry>()
  let bytes = 0
  let evictions = 0

  function remove(key: string): boolean {
    const e = entries.get(key)
    if (!e) return false
    entries.delete(key)
    bytes -= e.bytes
    return true
  }

  return {
    /** The live entry (moved to most recent), or undefined; a dead one is dropped. */
    get(key: string, now: number): NearEntry | undefined {
      const e = entries.get(key)
      if (!e) return undefined
      if (e.expiresAt !== null && now >= e.expiresAt) {
        remove(key)
        return undefined
      }
      entries.delete(key)
      entries.set(key, e)
      return e
    },
    set(key: string, entry: NearEntry): void {
      remove(key)
      if (entry.bytes > maxBytes) return
      entries.set(key, entry)
      bytes += entry.bytes
      while (entries.size > maxEntries || bytes > maxBytes) {
        const oldest = entries.keys().next().value as string
        remove(oldest)
        evictions++
      }
    },
    delete: remove,
    clear(): void {
      entries.clear()
      bytes = 0
    },
    stats() {
      return { entries: entries.size, bytes, evictions }
    },
  }
}

export type NearStore = ReturnType<typeof createNearStore>
