/**
 * The server half of `bench/rate-limit.ts`, in its own process so the load generator does not share its
 * event loop: one @hono/node-server app with the same handler twice — `/bare` with no middleware and
 * `/limited` behind the client-ip middleware and the API rate limit (limit far above what the run can
 * reach). `/__cpu` reports this process's CPU time, so the parent can show CPU per request.
 * Env: PORT, CACHE_BACKEND (memory|redis), REDIS_URL, CACHE_KEY_PREFIX.
 */
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono } from 'hono'
import { createCacheFromConfig } from '../src/composition/cache.js'
import { loadConfig } from '../src/config.js'
import { clientIp } from '../src/http/middleware/client-ip/index.js'
import { rateLimit } from '../src/http/middleware/rate-limit/index.js'
import type { AppEnv } from '../src/http/types.js'
import { silentLogger } from '../src/ports/logger.js'
import { createRateLimits } from '../src/use-cases/rate-limit/index.js'

const config = loadConfig({ ...process.env, RATE_LIMIT_API: '1000000000/3600', CACHE_STRICT: 'true' })
const cache = await createCacheFromConfig(config, silentLogger)
const limits = createRateLimits(cache, config.rateLimit, silentLogger)

const app = new Hono<AppEnv>()
const handler = (c: { json: (v: unknown) => Response }) => c.json({ ok: true })
app.get('/bare', handler)
app.get(
  '/limited',
  clientIp({ trustProxy: false, getPeerAddress: (c) => getConnInfo(c).remote.address }),
  rateLimit({ limiter: limits.api }),
  handler,
)
app.get('/__cpu', (c) => {
  const { user, system } = process.cpuUsage()
  return c.json({ cpuMicros: user + system, stats: limits.api.stats(), cache: cache.name })
})

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) }, () => {
  process.stdout.write('ready\n')
})
process.on('SIGTERM', () => {
  server.close()
  void cache.close().then(() => process.exit(0))
})
