/** @module Rate limiting: a fixed window per client, counted with the CachePort's atomic `incr`. */
import type { Context, MiddlewareHandler } from 'hono'
import { RateLimitExceededError } from '../../../domain/errors.js'
import { clientKey, type FixedWindowLimiter } from '../../../use-cases/rate-limit/index.js'
import type { AppEnv } from '../../types.js'

export interface RateLimitOptions {
  limiter: FixedWindowLimiter
  /** Who the request counts against; `undefined` = not counted. Default: user id, else grouped address. */
  key?: (c: Context<AppEnv>) => string | undefined
}

/** The default client: the session's user id, else `c.var.clientIp` grouped (IPv6 by /64). */
export function defaultRateLimitKey(c: Context<AppEnv>): string {
  // c.get, not c.var: `c.var` copies every variable into a new object on each access.
  return clientKey(c.get('user')?.id, c.get('clientIp'))
}

/**
 * Counts each request against `limiter` (one `incr`) and sets the draft-7 IETF headers
 * (`RateLimit-Policy: 100;w=60`, `RateLimit: limit=100, remaining=99, reset=60`) on every response it
 * lets through or refuses: two headers where draft-6 needs four, each of which costs every response
 * about a microsecond to write on Node. Over the limit it throws `RateLimitExceededError`, which the error handler
 * answers with 429, `Retry-After` and a problem+json body naming the policy and the seconds until it
 * resets. When the counter's backend is down, the limiter's policy decides: `open` serves the request
 * uncounted and without headers (the use case logs and counts it), `closed` answers 503.
 *
 * Written here rather than with hono-rate-limiter: see docs/rate-limits.md ("Why not hono-rate-limiter").
 *
 * @example
 * app.use('*', rateLimit({ limiter: limits.api }))
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const { limiter } = options
  const keyOf = options.key ?? defaultRateLimitKey
  const { name, limit, windowSeconds } = limiter.policy
  // Fixed per policy: computed once, not per request.
  const policyHeader = `${limit};w=${Math.ceil(windowSeconds)}`
  const limitField = `limit=${limit}, remaining=`

  return async function rateLimit(c, next) {
    const key = keyOf(c)
    if (key === undefined) return next()
    const state = await limiter.hit(key)
    if (!state.counted) return next()
    // Whole seconds, at least 1: a client told "0" would retry at once into the same window.
    const reset = Math.max(1, Math.ceil(state.resetMs / 1000))
    c.header('RateLimit-Policy', policyHeader)
    c.header('RateLimit', `${limitField}${state.remaining}, reset=${reset}`)
    // The 429 is built by the error handler on the same context, so it carries these headers too.
    if (!state.allowed) throw new RateLimitExceededError(name, limit, reset)
    return next()
  }
}
