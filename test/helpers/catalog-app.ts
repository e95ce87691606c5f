import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { createMemoryCatalog } from '../../src/adapters/memory/catalog.js'
import { createAhspUseCases } from '../../src/composition/ahsp.js'
import { createAuthComponents } from '../../src/composition/auth.js'
import { loadConfig } from '../../src/config.js'
import { createApp } from '../../src/http/app.js'
import type { CachePort } from '../../src/ports/cache.js'
import type { CatalogStore } from '../../src/ports/catalog.js'
import { silentLogger } from '../../src/ports/logger.js'
import { loginCookie } from './login.js'

export const ADMIN = { username: 'catalog-admin', password: 'Catalog-Admin-Pass-1' }
export const USER = { username: 'catalog-user', password: 'Catalog-User-Pass-1' }
/** Unsafe requests from a browser must come from our own origin (the origin check). */
export const ORIGIN = 'http://localhost'

/**
 * The real app (sessions, login, origin check, catalog routes) on a given cache and catalog store, with an
 * admin and a plain user; `login()` returns a session cookie obtained through `POST /auth/login`.
 */
export async function createCatalogApp(options: { cache?: CachePort; catalog?: CatalogStore; env?: Record<string, string> } = {}) {
  const config = loadConfig({ APP_ENV: 'test', CACHE_BACKEND: 'memory', ...options.env })
  const cache = options.cache ?? createMemoryCache()
  const catalog = options.catalog ?? createMemoryCatalog()
  const auth = await createAuthComponents(config, silentLogger, cache, undefined, { passwordIterations: 1000, skipAdminBootstrap: true })
  await auth.accounts.create(ADMIN.username, ADMIN.password, 'admin')
  await auth.accounts.create(USER.username, USER.password, 'user')
  const app = createApp({ config, logger: silentLogger, cache, readiness: [], auth: auth.auth, ahsp: createAhspUseCases(catalog, cache, config, silentLogger) })
  const login = (who: { username: string; password: string } = ADMIN) => loginCookie(app, who, ORIGIN)
  return {
    app,
    cache,
    catalog,
    config,
    login,
    async close() {
      await auth.close()
      await catalog.close()
    },
  }
}

/** A multipart body with `file` (and optional more fields). */
export function form(fields: Record<string, string | { name: string; data: Uint8Array | string; type?: string }>): FormData {
  const fd = new FormData()
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') fd.set(key, value)
    else fd.set(key, new File([value.data as BlobPart], value.name, { type: value.type ?? '' }))
  }
  return fd
}
