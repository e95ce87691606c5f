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

export interface LoginThrottleOptions {
  /**
   * Seconds an attempt that passed `check` holds its slot while its password is checked (default 5). Must
   * outlive the slowest password check; a successful login reports nothing, so its slot lapses only then.
   */
  pendingSeconds?: number
}

export const LOGIN_POLICY_NAME = 'login'

/**
 * Failed-login throttle per (normalised username, client address grouped by /64).
 *
 * Two counters per pair: `fails` (failed logins in the window, `RATE_LIMIT_LOGIN`) and `pending`
 * (attempts between `check` and their outcome). `check` reserves a slot atomically with `incr` and admits
 * the attempt only while `fails + pending <= limit`, so N parallel guesses cannot all pass a check that
 * saw zero failures: at most `limit` wrong passwords are tried per window, however they are timed (a
 * burst may get fewer through at once, as refused attempts hold a slot for a round trip; the rest of the
 * `limit` stays available afterwards).
 * `fail` turns the reservation into a failure. An admitted attempt keeps the pending key alive for another
 * `pendingSeconds` (5 s), so a slot holds as long as its password check takes less than that.
 * `succeed` frees the slot of a successful attempt at once: a success never counts as a failure and never
 * touches this or another client's failures. (A caller that does not report successes — `succeed` is
 * optional on the port — leaves the slot to lapse with the pending key, so more than `limit` successful
 * logins of one pair less than `pendingSeconds` apart would briefly be refused.)
 *
 * Failure policy: fails CLOSED. The failover cache keeps counting on its fallback; when no backend can
 * count at all, logins are refused (503) rather than allowing unlimited guesses.
 */
export function createLoginThrottle(
  cache: CachePort,
  policy: LoginThrottlePolicy,
  logger: Logger,
  options: LoginThrottleOptions = {},
): LoginThrottle {
  const { limit, windowSeconds } = policy
  const pendingSeconds = options.pendingSeconds ?? 5
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError('limit must be a positive integer')
  if (!(windowSeconds > 0)) throw new TypeError('windowSeconds must be positive')

  async function keys(username: string, clientIp: string) {
    const pair = `${usernameKey(username)}:${ipGroup(clientIp)}`
    return { fails: `rl:${LOGIN_POLICY_NAME}:${pair}`, pending: `rl:${LOGIN_POLICY_NAME}-pending:${pair}` }
  }

  function closed(err: unknown): never {
    logger.error('login throttle cannot count failed logins: refusing logins', { err: (err as Error)?.message })
    throw new BackendUnavailableError('Login is temporarily unavailable', err)
  }

  /** Give a slot back; a key that lapsed meanwhile must not be left below zero (that would be a free slot). */
  async function release(key: string): Promise<void> {
    const { value } = await cache.incr(key, -1, pendingSeconds)
    if (value < 0) await cache.incr(key, -value, pendingSeconds)
  }

  return {
    async check(username, clientIp) {
      const k = await keys(username, clientIp)
      let pending: number
      let fails: number
      try {
        // Order matters (with `fail`'s): every admitted attempt is then seen in `pending` or in `fails`.
        pending = (await cache.incr(k.pending, 1, pendingSeconds)).value
        const failed = await cache.get<number>(k.fails)
        fails = typeof failed === 'number' ? failed : 0
      } catch (err) {
        closed(err)
      }
      if (fails + pending <= limit) {
        // `incr` never extends a TTL: without this the slots of attempts still in flight would lapse with
        // the key `pendingSeconds` after its first reservation, and a steady stream of guesses could pass.
        try {
          await cache.touch(k.pending, pendingSeconds)
        } catch (err) {
          closed(err)
        }
        return
      }
      let retryAfter: number
      try {
        await release(k.pending)
        // Refused for failures: until they expire. For attempts in flight: until their slots lapse at most.
        const left = await cache.ttl(fails >= limit ? k.fails : k.pending)
        retryAfter = Math.max(1, Math.ceil(left ?? (fails >= limit ? windowSeconds : pendingSeconds)))
      } catch (err) {
        closed(err)
      }
      throw new RateLimitExceededError(LOGIN_POLICY_NAME, limit, retryAfter)
    },
    async fail(username, clientIp) {
      const k = await keys(username, clientIp)
      try {
        // Count the failure before freeing its slot, never the other way round (see `check`).
        await cache.incr(k.fails, 1, windowSeconds)
        await release(k.pending)
      } catch (err) {
        closed(err)
      }
    },
    async succeed(username, clientIp) {
      try {
        await release((await keys(username, clientIp)).pending)
      } catch (err) {
        // The login itself succeeded; the slot lapses on its own.
        logger.warn('login throttle could not free a slot after a successful login', { err: (err as Error)?.message })
      }
    },
  }
}
