import { Hono } from 'hono'
import type { AppEnv } from '../types.js'

/**
 * Routes that exist only under `APP_ENV=test`, for tests that need a real server in a known state.
 * `GET /__test/slow?ms=` answers after `ms` (≤ 30000) milliseconds: the in-flight request of the
 * graceful-shutdown tests. Not in the OpenAPI document.
 */
export function createTestOnlyRoutes() {
  return new Hono<AppEnv>().get('/__test/slow', async (c) => {
    const ms = Math.min(Math.max(Number(c.req.query('ms')) || 0, 0), 30_000)
    // Tests wait for this line to know the request is in flight before they send the signal.
    c.var.logger.info('slow request started', { ms })
    await new Promise((resolve) => setTimeout(resolve, ms))
    return c.json({ sleptMs: ms })
  })
}
