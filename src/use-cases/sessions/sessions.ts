import type { CachePort } from '../../ports/cache.js'
import type { Logger } from '../../ports/logger.js'
import { REVOCATION_RETENTION_MS, type SessionStore } from '../../ports/session-store.js'
import type { Role, UserStore } from '../../ports/users.js'
import { hashSessionId, isWellFormedSessionId, newSessionId } from './session-id.js'
import { cacheEntry, isLiveEntry, isTombstone, TOMBSTONE, type CachedSession } from './cache-entry.js'

export interface SessionUser {
  id: string
  username: string
  role: Role
}

export interface ActiveSession {
  user: SessionUser
  /** When the session ends if nothing else happens: the earlier of absolute and idle expiry, ms since epoch. */
  expiresAt: number
}

export interface CreatedSession extends ActiveSession {
  /** The secret id for the cookie. Never stored, never logged. */
  id: string
}

export interface SessionsOptions {
  /** Fast path (already failover-wrapped by the composition root). Its errors never fail a request. */
  cache: CachePort
  /** The truth. Its failures surface as `BackendUnavailableError` (503). */
  store: SessionStore
  /** Resolves the user of a session read from the store (cache misses only). */
  users: Pick<UserStore, 'findById'>
  logger: Logger
  /** Absolute lifetime, seconds (`SESSION_TTL`). */
  ttl: number
  /** Idle timeout, seconds (`SESSION_IDLE_TTL`); 0 = none. */
  idleTtl?: number
  /** Idle expiry is pushed forward (store, then cache) at most once per `idleTtl / idleRefreshDivisor`. Default 10. */
  idleRefreshDivisor?: number
  /**
   * Longest a cache entry lives, seconds (default 600): after that the store is asked again. Bounds how long
   * a logout that could not reach the cache (cache down at that moment) is outlived by a stale cached copy.
   */
  maxCacheTtl?: number
  /** Seconds a logout marker lives in the cache, covering reads racing the logout. Default 60. */
  tombstoneTtl?: number
  /**
   * The store's `epoch()`, read by the composition root. Cached entries carry it; an entry of another
   * epoch (a cache that outlived a memory store, or another database) is never served. Absent = unchecked.
   */
  storeEpoch?: string
  /** Clock, ms since epoch. Default `Date.now`. */
  now?: () => number
}

/** Clock skew between instances allowed for when replaying revocations, ms. */
const REPLAY_MARGIN_MS = 60_000
const REPLAY_BATCH = 1000

export interface Sessions {
  /** Store first (503 if it fails), then cache (best effort). */
  create(user: SessionUser): Promise<CreatedSession>
  /** The live session for a cookie value, or `undefined`; garbage ids cost nothing. */
  resolve(id: string | undefined): Promise<ActiveSession | undefined>
  /** Log out one session (store, then cache). Idempotent; true if it existed. */
  destroy(id: string | undefined): Promise<boolean>
  /** Log out every session of a user on every instance; resolves with how many there were. */
  logoutEverywhere(userId: string): Promise<number>
  /** Delete expired sessions from the store. */
  prune(): Promise<number>
  /** Live sessions in the store (the truth, not the cache). */
  countLive(): Promise<number>
  /**
   * Writes a tombstone into `target` for every session revoked while one of its entries may still live
   * (the last `maxCacheTtl` + a minute). Run whenever a cache backend becomes active — at start, and when
   * failover moves to a backend — before it serves sessions: a backend that was not in use when a session
   * ended (another `CACHE_BACKEND`, an outage, a restart) then cannot serve it. Resolves with how many.
   */
  replayRevocations(target: CachePort): Promise<number>
}

const KEY = 'session:'

/**
 * Sessions with Django `cached_db` semantics, done right:
 * - writes go to the store first, then the cache; reads try the cache, fall back to the store and refill
 *   the cache with `add` (never overwriting), so a refill racing a logout cannot resurrect the session;
 * - logout writes a short-lived tombstone instead of deleting the cache key, for the same reason;
 * - any cache error is caught and logged: the store answers, nobody is logged out;
 * - a valid cached session costs exactly one cache `get` and no store access;
 * - idle expiry slides in steps of `idleTtl / N`: at most one store write (then one cache write) per step,
 *   so a session is idle-expired after between `idleTtl·(1 − 1/N)` and `idleTtl` of inactivity.
 */
export function createSessions(options: SessionsOptions): Sessions {
  const { cache, store, users, logger } = options
  const now = options.now ?? Date.now
  const ttlMs = options.ttl * 1000
  const idleMs = (options.idleTtl ?? 0) * 1000
  const stepMs = idleMs / (options.idleRefreshDivisor ?? 10)
  const maxCacheMs = (options.maxCacheTtl ?? 600) * 1000
  const tombstoneTtl = options.tombstoneTtl ?? 60
  if (!(ttlMs > 0) || idleMs < 0 || !(stepMs >= 0) || !(maxCacheMs > 0)) throw new TypeError('invalid session timings')
  // Replay only reaches back as far as the store keeps revocations.
  if (maxCacheMs + REPLAY_MARGIN_MS > REVOCATION_RETENTION_MS) throw new TypeError('maxCacheTtl exceeds the revocation retention')
  const epoch = options.storeEpoch

  async function quietly(op: string, fn: () => Promise<unknown>): Promise<boolean> {
    try {
      await fn()
      return true
    } catch (err) {
      logger.warn('session cache error; the store answers', { op, err: (err as Error).message })
      return false
    }
  }

  /** Seconds the cache may keep `entry`: never past its expiry nor `maxCacheTtl`. */
  function cacheTtl(entry: CachedSession, t: number): number {
    return (Math.min(entry.e, entry.i ?? Infinity, t + maxCacheMs) - t) / 1000
  }

  const needsSlide = (entry: CachedSession, t: number) => idleMs > 0 && entry.i !== null && entry.i - t < idleMs - stepMs
  const toActive = (e: CachedSession): ActiveSession => ({
    user: { id: e.u, username: e.n, role: e.r },
    expiresAt: Math.min(e.e, e.i ?? Infinity),
  })

  /** Pushes idle expiry forward: store first (the truth decides whether the session still lives), then cache. */
  async function slide(hash: string, entry: CachedSession, t: number): Promise<ActiveSession | undefined> {
    const next = { ...entry, i: Math.min(t + idleMs, entry.e) }
    let alive: boolean
    try {
      alive = await store.touch(hash, next.i)
    } catch (err) {
      // The store is down but the cached copy is still within its idle window: keep serving it.
      logger.warn('session store unavailable; idle expiry not extended', { err: (err as Error).message })
      return toActive(entry)
    }
    if (!alive) {
      await quietly('tombstone', () => cache.set(KEY + hash, TOMBSTONE, tombstoneTtl))
      return undefined
    }
    await quietly('set', () => cache.set(KEY + hash, next, cacheTtl(next, t)))
    return toActive(next)
  }

  async function fromStore(hash: string, t: number, refill: 'add' | 'set' | 'none'): Promise<ActiveSession | undefined> {
    const record = await store.get(hash)
    if (!record) return undefined
    const user = await users.findById(record.userId)
    if (!user) return undefined
    let entry = cacheEntry(user, record, epoch)
    if (needsSlide(entry, t)) {
      const i = Math.min(t + idleMs, entry.e)
      if (!(await store.touch(hash, i))) return undefined
      entry = { ...entry, i }
    }
    const ttl = cacheTtl(entry, t)
    if (refill === 'add') await quietly('add', () => cache.add(KEY + hash, entry, ttl))
    else if (refill === 'set') await quietly('set', () => cache.set(KEY + hash, entry, ttl))
    return toActive(entry)
  }

  return {
    async create(user) {
      const id = newSessionId()
      const hash = hashSessionId(id)
      const t = now()
      const expiresAt = t + ttlMs
      const record = { idHash: hash, userId: user.id, createdAt: t, expiresAt, idleExpiresAt: idleMs > 0 ? Math.min(t + idleMs, expiresAt) : null }
      await store.create(record)
      const entry = cacheEntry(user, record, epoch)
      await quietly('set', () => cache.set(KEY + hash, entry, cacheTtl(entry, t)))
      return { id, ...toActive(entry) }
    },

    async resolve(id) {
      if (!isWellFormedSessionId(id)) return undefined
      const hash = hashSessionId(id)
      const t = now()
      let cached: unknown
      const cacheUp = await quietly('get', async () => {
        cached = await cache.get(KEY + hash)
      })
      if (cached !== undefined) {
        if (isTombstone(cached)) return undefined
        if (isLiveEntry(cached) && cached.g === epoch) {
          if (t >= cached.e) return undefined
          // Idle expiry past in this copy, but the session may have slid on another backend: the store decides.
          if (cached.i === null || t < cached.i) return needsSlide(cached, t) ? slide(hash, cached, t) : toActive(cached)
        }
      }
      // Miss, cache error, an unreadable or foreign-epoch entry, or an idle expiry to check: the store
      // decides. `add` for a miss so a concurrent logout's tombstone wins; `set` to replace what is there;
      // nothing while the cache fails.
      const refill = !cacheUp ? 'none' : cached === undefined ? 'add' : 'set'
      const active = await fromStore(hash, t, refill)
      // An id the store does not know (never issued, logged out, expired) is remembered as a tombstone, so
      // a client replaying unknown ids costs one store read per id per `tombstoneTtl`, not one per request.
      // It can never hide a live session: ids are 256 random bits, and `create` writes with `set`.
      if (active === undefined && refill !== 'none') {
        await quietly('tombstone', () => (refill === 'add' ? cache.add(KEY + hash, TOMBSTONE, tombstoneTtl) : cache.set(KEY + hash, TOMBSTONE, tombstoneTtl)))
      }
      return active
    },

    async destroy(id) {
      if (!isWellFormedSessionId(id)) return false
      const hash = hashSessionId(id)
      const existed = await store.delete(hash)
      await quietly('tombstone', () => cache.set(KEY + hash, TOMBSTONE, tombstoneTtl))
      return existed
    },

    async logoutEverywhere(userId) {
      const hashes = await store.deleteByUser(userId)
      if (hashes.length > 0) {
        await quietly('tombstone', () => cache.setMany(hashes.map((h) => [KEY + h, TOMBSTONE] as const), tombstoneTtl))
      }
      return hashes.length
    },

    async replayRevocations(target) {
      const since = now() - maxCacheMs - REPLAY_MARGIN_MS
      const revoked = await store.revokedSince(since)
      const ttl = (maxCacheMs + REPLAY_MARGIN_MS) / 1000
      for (let i = 0; i < revoked.length; i += REPLAY_BATCH) {
        const batch = revoked.slice(i, i + REPLAY_BATCH)
        await target.setMany(batch.map((r) => [KEY + r.idHash, TOMBSTONE] as const), ttl)
      }
      return revoked.length
    },

    prune: () => store.pruneExpired(),
    countLive: () => store.countLive(),
  }
}
