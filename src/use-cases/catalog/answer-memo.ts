/**
 * A small in-process map of answers bounded by entries and by total characters, with a TTL (seconds).
 * Insertion-ordered `Map`: the oldest entry goes first when over a bound. Each answer carries the catalog
 * generation it was computed at; the caller compares it with the current one, so entries never need
 * invalidating — a stale one is simply not served, and is replaced or ages out.
 */
export interface MemoEntry {
  /** What the answer was computed at (a catalog generation, or a composite stamp such as `3:17`). */
  generation: number | string
  json: string
  /** The UTF-8 of `json`, kept beside it for a large answer that is sent as it is (counted in the bound). */
  bytes?: Uint8Array
}

export interface AnswerMemo {
  get(key: string): MemoEntry | undefined
  set(key: string, value: MemoEntry): void
}

export function createAnswerMemo(
  maxEntries: number,
  ttlSeconds: number,
  options: { maxChars?: number; now?: () => number } = {},
): AnswerMemo {
  const map = new Map<string, { value: MemoEntry; expires: number }>()
  const ttlMs = ttlSeconds * 1000
  const maxChars = options.maxChars ?? 8_000_000
  const now = options.now ?? Date.now
  let chars = 0
  const size = (v: MemoEntry) => v.json.length + (v.bytes?.byteLength ?? 0)
  const remove = (key: string) => {
    const entry = map.get(key)
    if (entry) {
      chars -= size(entry.value)
      map.delete(key)
    }
  }
  return {
    get(key) {
      const entry = map.get(key)
      if (entry === undefined) return undefined
      if (entry.expires <= now()) {
        remove(key)
        return undefined
      }
      return entry.value
    },
    set(key, value) {
      if (maxEntries <= 0 || ttlMs <= 0 || size(value) > maxChars) return
      remove(key)
      map.set(key, { value, expires: now() + ttlMs })
      chars += size(value)
      while (map.size > maxEntries || chars > maxChars) remove(map.keys().next().value!)
    },
  }
}
