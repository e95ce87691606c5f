import type { CachePort } from '../../ports/cache.js'
import type { Logger } from '../../ports/logger.js'
import type { LoginThrottle } from '../../ports/login-throttle.js'
import { createFixedWindowLimiter, type FixedWindowLimiter } from './fixed-window.js'
import { createLoginThrottle } from './login-throttle.js'

export * from './fixed-window.js'
export * from './keys.js'
export { createLoginThrottle, LOGIN_POLICY_NAME } from './login-throttle.js'

export interface RatePolicies {
  api: { limit: number; windowSeconds: number }
  login: { limit: number; windowSeconds: number }
  import: { limit: number; windowSeconds: number }
}

/** The three limits of the spec, all counting on one cache so every instance sharing it shares the counts. */
export interface RateLimits {
  /** Every request but the probes, per client (user id, else address): fails open. */
  api: FixedWindowLimiter
  /** `POST /ahsp/import` per user: fails open like the API limit it refines. */
  import: FixedWindowLimiter
  /** Failed logins per (username, client): fails closed. */
  login: LoginThrottle
}

export function createRateLimits(cache: CachePort, policies: RatePolicies, logger: Logger): RateLimits {
  return {
    api: createFixedWindowLimiter(cache, { name: 'api', ...policies.api, onBackendFailure: 'open' }, logger),
    import: createFixedWindowLimiter(cache, { name: 'import', ...policies.import, onBackendFailure: 'open' }, logger),
    login: createLoginThrottle(cache, policies.login, logger),
  }
}
