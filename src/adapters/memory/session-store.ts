import { REVOCATION_RETENTION_MS, type Revocation, type SessionRecord, type SessionStore } from '../../ports/session-store.js'

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
  // Appended in time order, so the oldest are at the front; trimmed as new ones arrive.
  const revocations: Revocation[] = []
  const epoch = crypto.randomUUID()

  const expired = (r: SessionRecord, t: number) => t >= r.expiresAt || (r.idleExpiresAt !== null && t >= r.idleExpiresAt)

  function revoke(idHash: string): void {
    revocations.push({ idHash, revokedAt: now() })
    trimRevocations()
  }

  function trimRevocations(): void {
    const t = now()
    let old = 0
    while (old < revocations.length && revocations[old]!.revokedAt < t - REVOCATION_RETENTION_MS) old++
    if (old > 0) revocations.splice(0, old)
  }

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
    trimRevocations()
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
      if (!remove(idHash)) return false
      revoke(idHash)
      return true
    },
    async deleteByUser(userId) {
      const hashes = [...(byUser.get(userId) ?? [])]
      for (const h of hashes) if (remove(h)) revoke(h)
      return hashes
    },
    async revokedSince(since) {
      return revocations.filter((r) => r.revokedAt >= since).map((r) => ({ ...r }))
    },
    async epoch() {
      return epoch
    },
    async pruneExpired() {
      return prune()
    },
    async close() {},
  }
}
