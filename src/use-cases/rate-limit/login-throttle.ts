import { BackendUnavailableError, RateLimitExceededError } from '../../domain/errors.js'
import { ipGroup } from '../../domain/ip.js'
import type { CachePort } from '../../ports/cache.js'
import type { Logger } from '../../ports/logger.js'
import type { LoginThrottle } from '../../ports/login-throttle.js'
import { usernameKey } from './keys.js'

export interface LoginThrottlePolicy {
  /** Failed logins allowed per (username, client) in one window (`RATE_LIMIT_LOGIN` count). */
  limit: number
  /** Window length, seconds. */
  windowSeconds: number
}

/**
 * How long an attempt that has passed `check` but not yet reported `fail` holds its slot. It must outlive
 * the slowest password check; a successful login leaves its slot to expire with this key.
 */
const PENDING_SECONDS = 15

export const LOGIN_POLICY_NAME = 'login'

/**
 * Failed-login throttle per (normalised username, client address grouped by /64).
 *
 * Two counters per pair: `fails` (failed logins in the window, `RATE_LIMIT_LOGIN`) and `pending`
 * (attempts between `check` and their outcome). `check` reserves a slot atomically with `incr` and admits
 * the attempt only while `fails + pending <= limit`, so N parallel guesses cannot all pass a check that
 * saw zero failures: exactly `limit` wrong passwords are tried per window, however they are timed.
 * `fail` turns the reservation into a failure. A success reports nothing: it never counts as a failure and
 * never touches another client's counters; its reservation lapses within `PENDING_SECONDS`.
 *
 * Failure policy: fails CLOSED. The failover cache keeps counting on its fallback; when no backend can
 * count at all, logins are refused (503) rather than allowing unlimited guesses.
 */
export function createLoginThrottle(cache: CachePort, policy: LoginThrottlePolicy, logger: Logger): LoginThrottle {
  const { limit, windowSeconds } = policy
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError('limit must be a positive integer')
  if (!(windowSeconds > 0)) throw new TypeError('windowSeconds must be positive')

  async function keys(username: string, clientIp: string) {
    const pair = `${await usernameKey(username)}:${ipGroup(clientIp)}`
    return { fails: `rl:${LOGIN_POLICY_NAME}:${pair}`, pending: `rl:${LOGIN_POLICY_NAME}-pending:${pair}` }
  }

  function closed(err: unknown): never {
    logger.error('login throttle cannot count failed logins: refusing logins', { err: (err as Error)?.message })
    throw new BackendUnavailableError('Login is temporarily unavailable', err)
  }

  /** Give a slot back; a key that lapsed meanwhile must not be left below zero (that would be a free slot). */
  async function release(key: string): Promise<void> {
    const { value } = await cache.incr(key, -1, PENDING_SECONDS)
    if (value < 0) await cache.incr(key, -value, PENDING_SECONDS)
  }

  return {
    async check(username, clientIp) {
      const k = await keys(username, clientIp)
      let pending: number
      let fails: number
      try {
        const [reserved, failed] = await Promise.all([
          cache.incr(k.pending, 1, PENDING_SECONDS),
          cache.get<number>(k.fails),
        ])
        pending = reserved.value
        fails = typeof failed === 'number' ? failed : 0
      } catch (err) {
        closed(err)
      }
      if (fails + pending <= limit) return
      let retryAfter = 1 // slots held by attempts in flight free up within a moment
      try {
        await release(k.pending)
        if (fails >= limit) retryAfter = Math.max(1, Math.ceil((await cache.ttl(k.fails)) ?? windowSeconds))
      } catch (err) {
        closed(err)
      }
      throw new RateLimitExceededError(LOGIN_POLICY_NAME, limit, retryAfter)
    },
    async fail(username, clientIp) {
      const k = await keys(username, clientIp)
      try {
        await Promise.all([cache.incr(k.fails, 1, windowSeconds), release(k.pending)])
      } catch (err) {
        closed(err)
      }
    },
  }
}
