/**
 * The server half of `bench/catalog.ts`, in its own process so the load generator does not share its
 * event loop. Two @hono/node-server listeners:
 * - PORT: the real app (every middleware, sessions, API rate limit with a limit the run cannot reach,
 *   the /ahsp routes) over the memory catalog loaded with the real SNI 2025 jobs, cache from CACHE_BACKEND;
 * - LEAN_PORT: the /ahsp routes alone (no global middleware) on the same catalog and cache;
 * - BARE_PORT: a bare Hono app whose one route returns the same body as a cached search answer
 *   (and `/__cpu`: this process's CPU time, so the parent can show CPU per request).
 * Prints `ready` when all three listen and the search answer is cached.
 */
import { readReferenceFile } from '../../test/helpers/ahsp-data.js'
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono } from 'hono'
import { createMemoryCatalog } from '../../src/adapters/memory/catalog.js'
import { createAuthComponents } from '../../src/composition/auth.js'
import { createCacheFromConfig } from '../../src/composition/cache.js'
import { createAhspUseCases } from '../../src/composition/ahsp.js'
import { loadConfig } from '../../src/config.js'
import { createApp } from '../../src/http/app.js'
import { createMetricsRegistry } from '../../src/adapters/metrics/prometheus-registry.js'
import { silentLogger } from '../../src/ports/logger.js'
import { createRateLimits } from '../../src/use-cases/rate-limit/index.js'
import { parseUpload } from '../../src/use-cases/import/parse-upload.js'
import { createImportCatalog } from '../../src/use-cases/import/import-catalog.js'
import { createCachedCatalog } from '../../src/use-cases/catalog/cached-catalog.js'
import { createErrorHandler } from '../../src/http/error-handler.js'
import { createRouter } from '../../src/http/router.js'
import { createAhspRoutes } from '../../src/http/routes/ahsp.js'

const read = (name: string) => ({ bytes: readReferenceFile(name), filename: name })
const config = loadConfig({ ...process.env, APP_ENV: 'test', RATE_LIMIT_API: '1000000000/3600', CACHE_STRICT: 'true' })
const cache = await createCacheFromConfig(config, silentLogger)
const { jobs } = await parseUpload(read('ahsp_jobs.tsv'), { components: read('ahsp_components.tsv') })
const catalog = createMemoryCatalog({ jobs })
const auth = await createAuthComponents(config, silentLogger, cache, undefined, { skipAdminBootstrap: true })
const app = createApp({
  config,
  logger: silentLogger,
  cache,
  readiness: [],
  metrics: createMetricsRegistry(),
  auth: auth.auth,
  ahsp: createAhspUseCases(catalog, cache, config, silentLogger),
  rateLimits: createRateLimits(cache, config.rateLimit, silentLogger),
  getPeerAddress: (c) => {
    try {
      return getConnInfo(c).remote.address
    } catch {
      return undefined // app.request() (the warm-up below) has no socket
    }
  },
})

const searchPath = process.env.BENCH_SEARCH_PATH ?? '/ahsp/search?q=pasangan%20batu&limit=20'
const warm = await app.request(searchPath, {}, undefined)
const body = await warm.text()
if (warm.status !== 200) throw new Error(`search answered ${warm.status}: ${body}`)

const bare = new Hono()
bare.get('/bare', (c) => c.body(body, 200, { 'Content-Type': 'application/json' }))
bare.get('/__cpu', (c) => {
  const { user, system } = process.cpuUsage()
  return c.json({ cpuMicros: user + system })
})

// The catalog routes alone (no global middleware), on the same cache: what the cache layer itself costs.
const leanCatalog = createCachedCatalog({ store: catalog, cache, enabled: true, ttl: config.fts.cacheTtl, minQueryLength: 2 })
const lean = createRouter()
lean.onError(createErrorHandler(silentLogger))
lean.route('/', createAhspRoutes({ catalog: leanCatalog, importCatalog: createImportCatalog({ store: catalog }) }))
await lean.request(searchPath)

let listening = 0
const onListen = () => {
  if (++listening === 3) process.stdout.write(`ready ${body.length}\n`)
}
const servers = [
  serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) }, onListen),
  serve({ fetch: bare.fetch, hostname: '127.0.0.1', port: Number(process.env.BARE_PORT) }, onListen),
  serve({ fetch: lean.fetch, hostname: '127.0.0.1', port: Number(process.env.LEAN_PORT) }, onListen),
]
process.on('SIGTERM', () => {
  for (const s of servers) s.close()
  void Promise.all([cache.close(), auth.close()]).then(() => process.exit(0))
})
