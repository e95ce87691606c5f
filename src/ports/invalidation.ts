/**
 * The InvalidationFeed port: how a remote cache backend tells each instance that keys changed, so an
 * in-process near tier (a copy of hot remote entries) can drop its copies.
 *
 * Keys here are **stored keys**: the backend's own names after namespacing (`<prefix>:<version>:<key>`,
 * or the hashed form; see `KeyNamespace` in `adapters/shared/keys.ts`), because that is what the server
 * reports and hashed keys cannot be turned back into the caller's key.
 *
 * Semantics, fixed for every adapter (Redis client tracking, PostgreSQL LISTEN/NOTIFY) and checked by one
 * contract suite:
 *
 * - **Every change counts**: a write, delete, expiry or eviction of a stored key under the feed's
 *   namespace, by any instance or by the server itself, is delivered to every listener as `keys`.
 *   Spurious invalidations are allowed (they cost a miss); a missed one is a defect.
 * - **Flush**: when the feed cannot promise it delivered everything (its connection dropped, a reconnect
 *   that may have lost messages, the server flushed its database), it delivers `{ flush: reason }`: drop
 *   every copy.
 * - **`confirmedAt()`**: a time (ms, `performance.now()` clock of this process) such that every change the
 *   backend acknowledged to any writer before the feed's last confirmed heartbeat has been delivered to
 *   listeners. `undefined` while the feed is not live (starting, down, or since a flush until the next
 *   heartbeat comes back). A near tier serves a copy only while `now - confirmedAt() ≤ its lease`; that is
 *   what bounds staleness when the channel breaks silently (a paused or partitioned server).
 * - Listeners are called synchronously, in the order the backend produced the changes.
 * - **Errors**: the feed never throws into callers; a broken channel shows as `flush` + `confirmedAt()`
 *   `undefined` until it is re-established.
 */

export type InvalidationEvent = { readonly keys: readonly string[] } | { readonly flush: string }

export type InvalidationListener = (event: InvalidationEvent) => void

export interface InvalidationFeed {
  /** `redis-tracking` | `pg-notify` | … */
  readonly name: string
  /** Starts delivering to `listener`; returns the unsubscribe function. */
  subscribe(listener: InvalidationListener): () => void
  /** See above; `undefined` while not live. */
  confirmedAt(): number | undefined
  /** Counters since start: events delivered, flushes, heartbeats confirmed, reconnects. */
  stats(): InvalidationFeedStats
  /** Stops listening, releases its connection and timers. Idempotent. */
  close(): Promise<void>
}

export interface InvalidationFeedStats {
  live: boolean
  invalidations: number
  flushes: number
  heartbeats: number
  reconnects: number
}
