/**
 * The durable session store behind the session cache (Django's `cached_db`: the store is the truth,
 * the cache a fast copy). Checked on every adapter by `test/contracts/session-store.contract.ts`.
 *
 * - **Keys are hashes.** A session is stored under `idHash` (base64url SHA-256 of the id the client holds),
 *   never under the id itself, so a leaked table yields no live session.
 * - **Times are absolute, in milliseconds since the epoch** (`Date.now()` scale), on the caller's clock:
 *   adapters compare against their own `now()` option (default `Date.now`), never the database clock, so
 *   expiry is consistent with the use case that computed it.
 * - **Expiry**: a record is expired once `now >= expiresAt` (absolute lifetime) or, when `idleExpiresAt`
 *   is not null, `now >= idleExpiresAt` (idle timeout). Expired records are invisible: `get` and `touch`
 *   treat them as absent. They are removed by `pruneExpired()` and by the adapter itself in the background.
 * - A miss is `undefined`, never `null`.
 * - A store that cannot reach its backend throws `BackendUnavailableError` (503).
 * - **Revocations**: every session removed by `delete` or `deleteByUser` is recorded (hash, time) in the
 *   same statement, and kept at least `REVOCATION_RETENTION_MS`, so a cache backend that was not in use
 *   when a session ended (another `CACHE_BACKEND`, an outage, a restart) is given tombstones before it
 *   serves again. Expiry and pruning are not revocations: cached entries carry their own expiry.
 */

/** How long revocations are kept at least (1 h): longer than any cached session entry lives. */
export const REVOCATION_RETENTION_MS = 3_600_000

export interface Revocation {
  idHash: string
  /** ms since epoch, on the store's `now()`. */
  revokedAt: number
}
export interface SessionRecord {
  /** base64url SHA-256 of the session id. Unique. */
  idHash: string
  userId: string
  /** ms since epoch. */
  createdAt: number
  /** Absolute expiry, ms since epoch. */
  expiresAt: number
  /** Idle expiry, ms since epoch; `null` when the session has no idle timeout. */
  idleExpiresAt: number | null
}

export interface SessionStore {
  /** Insert a new session. `idHash` is fresh (256 random bits), so a collision is a bug: it throws. */
  create(record: SessionRecord): Promise<void>
  /** The live session with this hash, or `undefined` when absent or expired. */
  get(idHash: string): Promise<SessionRecord | undefined>
  /**
   * Move the idle expiry of a live session forward to `idleExpiresAt` (never backward, never past
   * `expiresAt`). True if the session exists and is live; false otherwise (logged out, expired).
   */
  touch(idHash: string, idleExpiresAt: number): Promise<boolean>
  /** Remove one session. True if it existed (live or expired). Idempotent. */
  delete(idHash: string): Promise<boolean>
  /** Remove every session of a user ("log out everywhere"). Resolves with the hashes removed. */
  deleteByUser(userId: string): Promise<string[]>
  /**
   * Sessions revoked (by `delete`/`deleteByUser`) at or after `since` (ms since epoch), oldest first.
   * Complete for `since >= now - REVOCATION_RETENTION_MS`.
   */
  revokedSince(since: number): Promise<Revocation[]>
  /**
   * An opaque id of this store's contents, stable for its life (PostgreSQL: per database, made by the
   * migration; memory: per process). Cached entries carry it, so a cache that outlived its store (a
   * memory store restarted, another database) never serves sessions the store does not have.
   */
  epoch(): Promise<string>
  /**
   * Remove expired sessions (and revocations older than the retention); resolves with how many sessions.
   * Safe to run on several instances at once.
   */
  pruneExpired(): Promise<number>
  /** How many live sessions there are, all users (the `sessions_active` gauge; read at scrape time). */
  countLive(): Promise<number>
  /** Stop background timers. Does not close a client the store was given. Idempotent. */
  close(): Promise<void>
}
