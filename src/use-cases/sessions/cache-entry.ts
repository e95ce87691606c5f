import type { SessionRecord } from '../../ports/session-store.js'
import type { Role } from '../../ports/users.js'

/**
 * What the cache holds per session, under `session:<sha256(id)>`: everything `/auth/me` needs, so a
 * cached session costs one `get` and no store or user lookup. Short field names keep Redis values small.
 * A role change shows once the entry is refreshed from the store (at most `maxCacheTtl` later) or at once
 * after `logoutEverywhere`.
 */
export interface CachedSession {
  /** User id. */
  u: string
  /** Username. */
  n: string
  r: Role
  /** Absolute expiry, ms since epoch. */
  e: number
  /** Idle expiry, ms since epoch, or null. */
  i: number | null
  /** The store's epoch when written (`SessionStore.epoch()`): an entry of another epoch is never served. */
  g?: string
}

/** Written on logout instead of a delete: a store read racing the logout cannot `add` the session back. */
export const TOMBSTONE = { revoked: true } as const

export function cacheEntry(user: { id: string; username: string; role: Role }, record: SessionRecord, epoch?: string): CachedSession {
  const entry: CachedSession = { u: user.id, n: user.username, r: user.role, e: record.expiresAt, i: record.idleExpiresAt }
  if (epoch !== undefined) entry.g = epoch
  return entry
}

export function isTombstone(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { revoked?: unknown }).revoked === true
}

/** Shape check: a value of another shape (older release, corruption) is treated as a miss. */
export function isLiveEntry(value: unknown): value is CachedSession {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.u === 'string' &&
    typeof v.n === 'string' &&
    (v.r === 'admin' || v.r === 'user') &&
    typeof v.e === 'number' &&
    (v.i === null || typeof v.i === 'number')
  )
}
