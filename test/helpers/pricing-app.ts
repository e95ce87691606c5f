import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { createMemoryCatalog } from '../../src/adapters/memory/catalog.js'
import { createPgCatalog } from '../../src/adapters/sql/catalog.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import { createAhspUseCases } from '../../src/composition/ahsp.js'
import { createAuthComponents } from '../../src/composition/auth.js'
import { createPricingUseCases } from '../../src/composition/pricing.js'
import { createPgPriceLists } from '../../src/adapters/sql/price-lists.js'
import { createMemoryPriceLists } from '../../src/adapters/memory/price-lists.js'
import { loadConfig } from '../../src/config.js'
import { createApp } from '../../src/http/app.js'
import type { CachePort } from '../../src/ports/cache.js'
import type { JobWithComponents } from '../../src/ports/catalog.js'
import { silentLogger } from '../../src/ports/logger.js'
import { ADMIN, ORIGIN, USER } from './catalog-app.js'
import { loginCookie } from './login.js'
import { createTestSchema } from './services.js'
import { createRateLimits } from '../../src/use-cases/rate-limit/index.js'

export { ADMIN, ORIGIN, USER }

/**
 * The real app with the catalog, price-list and pricing routes, on memory or on PostgreSQL (own schema),
 * with `jobs` in the catalog. `admin`/`user` are session cookies obtained through `POST /auth/login`.
 */
export async function createPricingApp(options: { db?: 'memory' | 'postgres'; jobs?: JobWithComponents[]; cache?: CachePort; databaseUrl?: string; env?: Record<string, string>; rateLimits?: boolean } = {}) {
  const config = loadConfig({ APP_ENV: 'test', CACHE_BACKEND: 'memory', ...options.env })
  const cache = options.cache ?? createMemoryCache()
  let sql: Sql | undefined
  let dropSchema: (() => Promise<void>) | undefined
  if (options.db === 'postgres' || options.databaseUrl) {
    let url = options.databaseUrl
    if (!url) {
      const schema = await createTestSchema('pricing')
      url = schema.url
      dropSchema = schema.drop
    }
    sql = createPgClient(url, { max: 6 })
  }
  const catalogStore = sql ? await createPgCatalog(sql) : createMemoryCatalog()
  if (options.jobs) await catalogStore.upsertJobs(options.jobs)
  const auth = await createAuthComponents(config, silentLogger, cache, undefined, { passwordIterations: 1000, skipAdminBootstrap: true })
  await auth.accounts.create(ADMIN.username, ADMIN.password, 'admin')
  await auth.accounts.create(USER.username, USER.password, 'user')
  const ahsp = createAhspUseCases(catalogStore, cache, config, silentLogger)
  await ahsp.catalog.invalidate()
  const prices = sql ? await createPgPriceLists(sql) : createMemoryPriceLists()
  const pricing = createPricingUseCases({ prices, catalogStore, catalog: ahsp.catalog, cache, logger: silentLogger }, config)
  const rateLimits = options.rateLimits ? createRateLimits(cache, config.rateLimit, silentLogger) : undefined
  const app = createApp({ config, logger: silentLogger, cache, readiness: [], auth: auth.auth, ahsp, pricing, rateLimits })
  const admin = await loginCookie(app, ADMIN, ORIGIN)
  const user = await loginCookie(app, USER, ORIGIN)
  const put = (list: string, body: BodyInit, headers: Record<string, string> = {}, cookie: string | null = admin) =>
    app.request(`/prices/${list}`, { method: 'PUT', body, headers: { Origin: ORIGIN, ...(cookie ? { Cookie: cookie } : {}), ...headers } })
  const putJson = (list: string, items: unknown[]) => put(list, JSON.stringify({ items }), { 'Content-Type': 'application/json' })
  const estimate = (payload: unknown, query = '') =>
    app.request(`/estimates${query}`, { method: 'POST', body: JSON.stringify(payload), headers: { Origin: ORIGIN, 'Content-Type': 'application/json' } })
  return {
    app, cache, config, catalogStore, ahsp, pricing, sql, admin, user, put, putJson, estimate,
    async close() {
      await auth.close()
      await sql?.end()
      await dropSchema?.()
    },
  }
}
