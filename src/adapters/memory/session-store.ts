import type { SessionRecord, SessionStore } from '../../ports/session-store.js'

export interface MemorySessionStoreOptions {
  /** Clock, ms since epoch. Default `Date.now`. */
  now?: () => number
  /** Sweep expired sessions after this many creates (bounds memory without a timer). Default 200. */
  sweepEvery?: number
}

/**
 * Sessions in a process-local map (the embedded default), with a per-user index for "log out everywhere".
 * Expired entries are swept lazily every `sweepEvery` creates, so no timer keeps the process alive.
 */
export function createMemorySessionStore(options: MemorySessionStoreOptions = {}): SessionStore {
  const now = options.now ?? Date.now
  const sweepEvery = options.sweepEvery ?? 200
  const sessions = new Map<string, SessionRecord>()
  const byUser = new Map<string, Set<string>>()
  let creates = 0

  const expired = (r: SessionRecord, t: number) => t >= r.expiresAt || (r.idleExpiresAt !== null && t >= r.idleExpiresAt)

  function remove(idHash: string): boolean {
    const r = sessions.get(idHash)
    if (!r) return false
    sessions.delete(idHash)
    const set = byUser.get(r.userId)
    set?.delete(idHash)
    if (set?.size === 0) byUser.delete(r.userId)
    return true
  }

  function live(idHash: string): SessionRecord | undefined {
    const r = sessions.get(idHash)
    return r && !expired(r, now()) ? r : undefined
  }

  function prune(): number {
    const t = now()
    let n = 0
    for (const [h, r] of sessions) if (expired(r, t) && remove(h)) n++
    return n
  }

  return {
    async create(record) {
      if (sessions.has(record.idHash)) throw new Error('[memory-sessions] duplicate session id hash')
      if (++creates % sweepEvery === 0) prune()
      sessions.set(record.idHash, { ...record })
      let set = byUser.get(record.userId)
      if (!set) byUser.set(record.userId, (set = new Set()))
      set.add(record.idHash)
    },
    async countLive() {
      const t = now()
      let n = 0
      for (const r of sessions.values()) if (!expired(r, t)) n++
      return n
    },
    async get(idHash) {
      const r = live(idHash)
      return r ? { ...r } : undefined
    },
    async touch(idHash, idleExpiresAt) {
      const r = live(idHash)
      if (!r) return false
      if (r.idleExpiresAt !== null) r.idleExpiresAt = Math.min(Math.max(r.idleExpiresAt, idleExpiresAt), r.expiresAt)
      return true
    },
    async delete(idHash) {
      return remove(idHash)
    },
    async deleteByUser(userId) {
      const hashes = [...(byUser.get(userId) ?? [])]
      for (const h of hashes) remove(h)
      return hashes
    },
    async pruneExpired() {
      return prune()
    },
    async close() {},
  }
}
