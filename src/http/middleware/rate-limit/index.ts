/** @module Rate limiting: hono-rate-limiter on a Store backed by the CachePort (fixed window, atomic incr). */
import type { Context, MiddlewareHandler } from 'hono'
import { rateLimiter, type Store } from 'hono-rate-limiter'
import { RateLimitExceededError } from '../../../domain/errors.js'
import { clientKey, type FixedWindowLimiter } from '../../../use-cases/rate-limit/index.js'
import type { AppEnv } from '../../types.js'

export interface RateLimitOptions {
  limiter: FixedWindowLimiter
  /** Who the request counts against; `undefined` = not counted. Default: user id, else grouped address. */
  key?: (c: Context<AppEnv>) => string | undefined
}

/** Thrown by the store when the limiter served a request uncounted (backend down, policy `open`). */
const NOT_COUNTED = Symbol('rate-limit: not counted')

/** The hono-rate-limiter `Store` contract on the use case: `increment` is one atomic `incr`. */
function cachePortStore(limiter: FixedWindowLimiter): Store<AppEnv> {
  return {
    prefix: `rl:${limiter.policy.name}:`,
    async increment(key) {
      const r = await limiter.hit(key)
      if (!r.counted) throw NOT_COUNTED
      return { totalHits: r.used, resetTime: new Date(Date.now() + r.resetMs) }
    },
    decrement: (key) => limiter.undo(key),
    resetKey: (key) => limiter.reset(key),
  }
}

/** The default client: the session's user id, else `c.var.clientIp` grouped (IPv6 by /64). */
export function defaultRateLimitKey(c: Context<AppEnv>): string {
  // c.get, not c.var: `c.var` copies every variable into a new object on each access.
  return clientKey(c.get('user')?.id, c.get('clientIp'))
}

/**
 * Counts each request against `limiter` and sets the draft-6 IETF headers (`RateLimit-Policy`,
 * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`) on every response it lets through or refuses.
 * Over the limit it throws `RateLimitExceededError`, which the error handler answers with 429, `Retry-After`
 * and a problem+json body naming the policy and the seconds until it resets. When the counter's backend is
 * down and the policy is `open`, the request is served without headers (the use case logs and counts it);
 * `closed` answers 503.
 *
 * @example
 * app.use('*', rateLimit({ limiter: limits.api }))
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const { limiter } = options
  const keyOf = options.key ?? defaultRateLimitKey
  const { name, limit, windowSeconds } = limiter.policy
  const infoKey = `rateLimit:${name}`
  const clientVar = `rateLimit:${name}:client`

  const inner = rateLimiter<AppEnv>({
    windowMs: windowSeconds * 1000,
    limit,
    standardHeaders: 'draft-6',
    requestPropertyName: infoKey,
    requestStorePropertyName: `${infoKey}:store`,
    // The key is computed once, by the wrapper below, which skips the limiter when there is none.
    keyGenerator: (c) => (c as Context).get(clientVar) as string,
    store: cachePortStore(limiter),
    handler: (c) => {
      const info = (c as Context).get(infoKey) as { resetTime?: Date }
      const ms = (info.resetTime?.getTime() ?? Date.now() + windowSeconds * 1000) - Date.now()
      throw new RateLimitExceededError(name, limit, Math.max(1, Math.ceil(ms / 1000)))
    },
  })

  return async function rateLimit(c, next) {
    const key = keyOf(c)
    if (key === undefined) return next()
    ;(c as Context).set(clientVar, key)
    let entered = false
    try {
      return await inner(c, () => {
        entered = true
        return next()
      })
    } catch (err) {
      if (err !== NOT_COUNTED || entered) throw err
      await next()
    }
  }
}
