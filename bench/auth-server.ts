/**
 * The server half of `bench/auth.ts`, in its own process so the load generator does not share its event
 * loop. One @hono/node-server listener, three handlers chosen by the `x-bench-app` header:
 * - none: `GET /bare`, a bare Hono route (no middleware at all);
 * - `full`: the whole app as `buildContainer` builds it (request log, client ip, metrics, secure headers,
 *   session, origin check, API rate limit with a limit never reached);
 * - `session`: the same app without rate limits, so the session's own cost shows.
 * `/__cpu` reports this process's CPU time. Env: PORT, CACHE_BACKEND, REDIS_URL, DATABASE_URL, ADMIN_*,
 * CACHE_NEAR…, BENCH_KDF_ITERATIONS.
 */
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono } from 'hono'
import { buildContainer } from '../src/composition/index.js'
import { loadConfig } from '../src/config.js'
import { createApp } from '../src/http/app.js'
import { createMetricsRegistry } from '../src/adapters/metrics/prometheus-registry.js'
import { silentLogger } from '../src/ports/logger.js'

const config = loadConfig({ ...process.env, RATE_LIMIT_API: '1000000000/3600', RATE_LIMIT_LOGIN: '1000000000/3600', CACHE_STRICT: 'true' })
const getPeerAddress = (c: Parameters<typeof getConnInfo>[0]) => getConnInfo(c).remote.address
// BENCH_KDF_ITERATIONS: cheap logins for benchmarks that log in thousands of times (bench/near.ts).
const passwordIterations = process.env.BENCH_KDF_ITERATIONS ? Number(process.env.BENCH_KDF_ITERATIONS) : undefined
const container = await buildContainer(config, silentLogger, { getPeerAddress, passwordIterations })
const sessionOnly = createApp({ config, logger: silentLogger, cache: container.cache, readiness: [], metrics: createMetricsRegistry(), auth: container.auth.auth, getPeerAddress })

const bare = new Hono()
bare.get('/bare', (c) => c.json({ ok: true }))
bare.get('/__cpu', (c) => {
  const { user, system } = process.cpuUsage()
  return c.json({ cpuMicros: user + system, cache: container.cache.name })
})

const server = serve(
  {
    fetch: (req, env) => {
      const which = req.headers.get('x-bench-app')
      return which === 'full' ? container.app.fetch(req, env) : which === 'session' ? sessionOnly.fetch(req, env) : bare.fetch(req, env)
    },
    hostname: '127.0.0.1',
    port: Number(process.env.PORT),
  },
  () => process.stdout.write('ready\n'),
)
process.on('SIGTERM', () => {
  server.close()
  void container.close().then(() => process.exit(0))
})
