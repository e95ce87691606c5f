/** One near copy: the decoded value (never handed out: callers get a clone), its size and its expiry. */
export interface NearEntry {
  value: unknown
  /** Approximate bytes held (UTF-16 units of the key and the value's JSON, plus a fixed overhead). */
  bytes: number
  /** `performance.now()` ms after which the copy is dead; `null` = the remote key never expires. */
  expiresAt: number | null
  /** Read since the eviction hand last passed it (second chance). */
  used?: boolean
}

/** Per-entry bookkeeping (Map slot, object header, numbers), counted so tiny values still bound the count. */
const OVERHEAD_BYTES = 64

export function entrySize(key: string, json: string): number {
  return (key.length + json.length) * 2 + OVERHEAD_BYTES
}

/**
 * A bounded store of near copies keyed by stored key: at most `maxEntries` entries and `maxBytes` bytes.
 * Eviction approximates LRU by second chance (CLOCK): a hit only sets `used`; the oldest entry goes unless
 * it was read since, in which case it moves to the back once. A hit then costs no Map reordering.
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
      e.used = true
      return e
    },
    set(key: string, entry: NearEntry): void {
      remove(key)
      if (entry.bytes > maxBytes) return
      entry.used = true // a new copy gets its second chance too, so the hand never evicts it first
      entries.set(key, entry)
      bytes += entry.bytes
      while (entries.size > maxEntries || bytes > maxBytes) {
        const [oldest, e] = entries.entries().next().value as [string, NearEntry]
        entries.delete(oldest)
        if (e.used) {
          e.used = false
          entries.set(oldest, e)
          continue
        }
        bytes -= e.bytes
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
