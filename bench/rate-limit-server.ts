/**
 * The server half of `bench/rate-limit.ts`, in its own process so the load generator does not share its
 * event loop: one @hono/node-server app with the same handler twice — `/bare` with no middleware and
 * `/limited` behind the client-ip middleware and the API rate limit (limit far above what the run can
 * reach). `/__cpu` reports this process's CPU time, so the parent can show CPU per request.
 * Env: PORT, CACHE_BACKEND (memory|redis), REDIS_URL, CACHE_KEY_PREFIX.
 */
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { createCacheFromConfig } from '../src/composition/cache.js'
import { loadConfig } from '../src/config.js'
import { silentLogger } from '../src/ports/logger.js'
import { rateLimitBenchApp } from './lib/rate-limit-app.js'

const config = loadConfig({ ...process.env, CACHE_STRICT: 'true' })
const cache = await createCacheFromConfig(config, silentLogger)
const { app, limits } = rateLimitBenchApp(cache, (c) => getConnInfo(c).remote.address)
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
