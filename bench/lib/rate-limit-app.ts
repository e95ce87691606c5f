import { Hono, type Context } from 'hono'
import { clientIp, type PeerAddressResolver } from '../../src/http/middleware/client-ip/index.js'
import { rateLimit } from '../../src/http/middleware/rate-limit/index.js'
import type { AppEnv } from '../../src/http/types.js'
import type { CachePort } from '../../src/ports/cache.js'
import { silentLogger } from '../../src/ports/logger.js'
import { createRateLimits } from '../../src/use-cases/rate-limit/index.js'

/** A limit no benchmark run reaches: every request is counted and allowed. */
export const NEVER_REACHED = { limit: 1_000_000_000, windowSeconds: 3600 }

/**
 * The benchmark's app: one handler three times, `/bare` with no middleware, `/noop` behind one async
 * middleware that only awaits `next()` (the control: any middleware takes @hono/node-server off its
 * synchronous fast path), and `/limited` behind the client-address middleware and the API rate limit.
 */
export function rateLimitBenchApp(cache: CachePort, getPeerAddress?: PeerAddressResolver) {
  const limits = createRateLimits(cache, { api: NEVER_REACHED, login: NEVER_REACHED, import: NEVER_REACHED }, silentLogger)
  const app = new Hono<AppEnv>()
  const handler = (c: Context) => c.json({ ok: true })
  app.get('/bare', handler)
  app.get(
    '/noop',
    async function noop(_c, next) {
      await next()
    },
    handler,
  )
  app.get('/limited', clientIp({ trustProxy: false, getPeerAddress }), rateLimit({ limiter: limits.api }), handler)
  return { app, limits }
}
