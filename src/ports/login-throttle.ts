/**
 * Throttling of failed logins per (username, client address), `RATE_LIMIT_LOGIN`. Implemented by the
 * rate-limit use case (`src/use-cases/rate-limit/login-throttle.ts`); the login route calls `check`
 * before verifying a password and `fail` after a wrong one. A successful login does not count.
 */
export interface LoginThrottle {
  /** Throws `RateLimitExceededError` when the failures allowed for this pair are used up. */
  check(username: string, clientIp: string): Promise<void>
  /** Count one failed login. */
  fail(username: string, clientIp: string): Promise<void>
  /**
   * The attempt `check` admitted succeeded: frees the slot it held for its password check at once (else
   * it lapses within seconds). Never counts, never resets any failures, never throws.
   */
  succeed?(username: string, clientIp: string): Promise<void>
}
