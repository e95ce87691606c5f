import { describe, expect, expectTypeOf, it } from 'vitest'
import type { Hono } from 'hono'
import type { hc } from 'hono/client'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { loadConfig } from '../../src/config.js'
import { silentLogger } from '../../src/ports/logger.js'
import { createApp, type AppType } from '../../src/http/app.js'

type Client<A extends Hono<any, any, any>> = ReturnType<typeof hc<A>>
type Routes<A extends Hono<any, any, any>> = Extract<keyof Client<A>, string>
const deps = { config: loadConfig({ APP_ENV: 'test' }), logger: silentLogger, cache: createMemoryCache(), readiness: [] }

describe('createApp mounts what it is given, and its type says so', () => {
  it('without auth and catalog: the operations routes only, in the type and at runtime', async () => {
    const app = createApp(deps)
    expectTypeOf<Routes<typeof app>>().toEqualTypeOf<'health' | 'ready' | 'cache'>()
    expect((await app.request('/health')).status).toBe(200)
    expect((await app.request('/auth/me')).status).toBe(404)
    expect((await app.request('/ahsp/sources')).status).toBe(404)
    // No registry given: nothing serves /metrics.
    expect((await app.request('/metrics')).status).toBe(404)
  })

  it('the production type (every part) has the auth, catalog and pricing routes too', () => {
    expectTypeOf<Routes<AppType>>().toEqualTypeOf<'health' | 'ready' | 'cache' | 'auth' | 'ahsp' | 'prices' | 'estimates'>()
  })

  it('refuses a part it does not know (a typo would otherwise leave routes unmounted)', () => {
    // @ts-expect-error `catalog` is not a part: the catalog use cases arrive as `ahsp`
    createApp({ ...deps, catalog: {} })
  })
})
