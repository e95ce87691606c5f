import { BackendUnavailableError } from '../../domain/errors.js'
import type { CachePort } from '../../ports/cache.js'
import type { Logger } from '../../ports/logger.js'
import { coalescedCounter } from './coalesced-counter.js'

/**
 * What to do when the counter cannot be reached at all (the failover cache already moved to its fallback
 * and that failed too): `open` serves the request uncounted (logged, counted in `stats()`); `closed`
 * refuses it with `BackendUnavailableError` (503).
 */
export type FailurePolicy = 'open' | 'closed'

export interface RateLimitPolicy {
  /** Names the limit in keys, headers' meaning and the 429 body (`api`, `import`). */
  name: string
  /** Requests allowed per window. */
  limit: number
  /** Window length in seconds (fractional allowed, for tests). */
  windowSeconds: number
  onBackendFailure: FailurePolicy
}

export interface WindowState {
  counted: true
  /** False once this hit went over the limit. */
  allowed: boolean
  limit: number
  /** Hits in this window, this one included. */
  used: number
  remaining: number
  /** Milliseconds until the window (and so the count) resets. */
  resetMs: number
}

/** `counted: false`: the backend failed and the policy is `open`. */
export type HitResult = WindowState | { counted: false }

export interface FixedWindowStats {
  allowed: number
  blocked: number
  /** Requests served uncounted because the backend failed (policy `open`). */
  failedOpen: number
}

export interface FixedWindowLimiter {
  readonly policy: Readonly<RateLimitPolicy>
  /**
   * Count one hit for `clientKey` and say whether it is within the limit. One `incr` round trip, shared
   * with the client's other hits that arrive while it is in flight (`coalesced-counter.ts`).
   */
  hit(clientKey: string): Promise<HitResult>
  /** Take one hit back (never below the window's start; never extends it). */
  undo(clientKey: string): Promise<void>
  /** Forget `clientKey`'s window. */
  reset(clientKey: string): Promise<void>
  stats(): FixedWindowStats
}

/** Log at most one "failing open" line per this many ms: an outage must not flood the log. */
const FAIL_LOG_INTERVAL_MS = 10_000

/**
 * A fixed-window counter on the CachePort's atomic `incr`: the first hit creates `rl:<policy>:<client>`
 * with the window as TTL, later hits only increment it (`incr` never extends a TTL), so the window resets
 * when the key expires. Atomic on every backend, hence exact under concurrency and shared by every
 * instance on the same cache; concurrent hits of one client share a round trip (`INCRBY n`), each keeping
 * its own exact position.
 */
export function createFixedWindowLimiter(cache: CachePort, policy: RateLimitPolicy, logger: Logger): FixedWindowLimiter {
  if (!Number.isSafeInteger(policy.limit) || policy.limit < 1) throw new TypeError('limit must be a positive integer')
  if (!(policy.windowSeconds > 0) || !Number.isFinite(policy.windowSeconds)) {
    throw new TypeError('windowSeconds must be a positive number')
  }
  if (!/^[\w.-]+$/.test(policy.name)) throw new TypeError('policy name must be a plain word')
  const { limit, windowSeconds } = policy
  const prefix = `rl:${policy.name}:`
  const stats: FixedWindowStats = { allowed: 0, blocked: 0, failedOpen: 0 }
  let lastFailLog = -Infinity
  const countHit = coalescedCounter(async (key, n) => {
    const { value, ttl } = await cache.incr(key, n, windowSeconds)
    if (ttl !== null) return { value, ttl }
    // A counter without expiry would never reset (written by something else): give it one window.
    await cache.touch(key, windowSeconds)
    return { value, ttl: windowSeconds }
  })

  function unavailable(err: unknown): HitResult {
    if (policy.onBackendFailure === 'closed') {
      throw new BackendUnavailableError(`Rate limit "${policy.name}" cannot be checked right now`, err)
    }
    stats.failedOpen++
    const now = Date.now()
    if (now - lastFailLog >= FAIL_LOG_INTERVAL_MS) {
      lastFailLog = now
      logger.warn('rate limit backend failing: requests served uncounted', {
        policy: policy.name,
        failedOpen: stats.failedOpen,
        err: (err as Error)?.message,
      })
    }
    return { counted: false }
  }

  return {
    policy: Object.freeze({ ...policy }),
    async hit(clientKey) {
      let value: number
      let ttl: number
      try {
        ;({ value, ttl } = await countHit(prefix + clientKey))
      } catch (err) {
        return unavailable(err)
      }
      const allowed = value <= limit
      if (allowed) stats.allowed++
      else stats.blocked++
      return { counted: true, allowed, limit, used: value, remaining: Math.max(0, limit - value), resetMs: Math.max(0, ttl * 1000) }
    },
    async undo(clientKey) {
      const key = prefix + clientKey
      // Only a live window is decremented: recreating an expired key at -1 would grant an extra hit.
      if ((await cache.get<number>(key)) !== undefined) {
        const { value } = await cache.incr(key, -1, windowSeconds)
        if (value < 0) await cache.incr(key, -value, windowSeconds)
      }
    },
    async reset(clientKey) {
      await cache.delete(prefix + clientKey)
    },
    stats() {
      return { ...stats }
    },
  }
}
