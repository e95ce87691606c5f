import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeCachePortContract } from '../contracts/cache.contract.js'
import { describeSessionStoreContract } from '../contracts/session-store.contract.js'
import { describeUserStoreContract } from '../contracts/user-store.contract.js'
import { createSqlCache } from '../../src/adapters/sql/cache.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import { createPgSessionStore, migrateSessionStore } from '../../src/adapters/sql/session-store.js'
import { createPgUserStore, migrateUserStore } from '../../src/adapters/sql/user-store.js'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { loadConfig } from '../../src/config.js'
import { silentLogger } from '../../src/ports/logger.js'
import { createBouncedSchema, startPgBouncer, type BouncedSchema, type PgBouncer } from '../helpers/pgbouncer.js'
import { loginCookie } from '../helpers/login.js'
import { uniqueName } from '../helpers/services.js'

/**
 * Issue 10, fault 5: PgBouncer in transaction pooling mode with its default configuration. The app sends
 * no start-up parameter PgBouncer refuses (statement_timeout was one), and DATABASE_PREPARE=false turns
 * named prepared statements off (PgBouncer 1.18 keeps none across transactions). Migrations use
 * transaction-scoped advisory locks only, so they hold under transaction pooling.
 */
let bouncer: PgBouncer
let stores: BouncedSchema
let app: BouncedSchema
let sql: Sql

beforeAll(async () => {
  stores = await createBouncedSchema('bouncer_stores')
  app = await createBouncedSchema('bouncer_app')
  bouncer = await startPgBouncer([stores.user, app.user])
  sql = createPgClient(bouncer.url(stores.user), { max: 4, prepare: false })
  await Promise.all([migrateUserStore(sql), migrateSessionStore(sql)])
}, 30_000)
afterAll(async () => {
  await sql?.end({ timeout: 1 })
  await bouncer?.stop()
  await stores?.drop()
  await app?.drop()
})

describeCachePortContract({ name: 'sql through PgBouncer (transaction mode)', create: (o) => createSqlCache({ sql, prepare: false, ...o }) })
describeUserStoreContract({ name: 'postgres through PgBouncer', create: () => createPgUserStore(sql) })
describeSessionStoreContract({
  name: 'postgres through PgBouncer',
  create: ({ now }) => createPgSessionStore(sql, { now, pruneIntervalMs: 0, pruneBatch: 2 }),
})

describe('the app through PgBouncer (DATABASE_PREPARE=false, CACHE_BACKEND=db)', () => {
  const ADMIN = { username: 'bouncer-admin', password: 'Bouncer-Admin-Pass-1' }
  let c: Container
  beforeAll(async () => {
    c = await buildContainer(
      loadConfig({
        APP_ENV: 'test',
        DATABASE_URL: bouncer.url(app.user),
        DATABASE_PREPARE: 'false',
        CACHE_BACKEND: 'db',
        CACHE_STRICT: 'true',
        CACHE_KEY_PREFIX: uniqueName('bouncer'),
        RATE_LIMIT_API: '1000000/60',
        RATE_LIMIT_LOGIN: '1000000/60',
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
      }),
      silentLogger,
      { passwordIterations: 1000 },
    )
  }, 60_000)
  afterAll(() => c?.close())

  it('migrates and seeds at start; login, /auth/me, search (miss, then hit from the db cache), import, logout', async () => {
    const cookie = await loginCookie(c.app, ADMIN)
    const headers = { Cookie: cookie, Origin: 'http://localhost' }
    const me = await c.app.request('/auth/me', { headers })
    expect(me.status).toBe(200)
    const first = await c.app.request('/ahsp/search?q=galian%20tanah')
    expect(first.status).toBe(200)
    expect((await first.json()).total).toBeGreaterThan(0)
    expect((await c.app.request('/ahsp/search?q=galian%20tanah')).headers.get('x-cache')).toBe('HIT')
    const row = { kode_ahsp: '99.9.1', nama_ahsp: 'Galian uji lewat pgbouncer', kategori: 'TK', kode_item: 'L.01', item: 'Pekerja', satuan: 'OH', koefisien: '0.5' }
    const imported = await c.app.request('/ahsp/import', {
      method: 'POST',
      body: JSON.stringify([row]),
      headers: { ...headers, 'Content-Type': 'application/json' },
    })
    expect(imported.status).toBe(200)
    const after = await c.app.request('/ahsp/search?q=lewat%20pgbouncer')
    expect((await after.json()).items.map((i: { code: string }) => i.code)).toContain('99.9.1')
    expect((await c.app.request('/auth/logout', { method: 'POST', headers })).status).toBe(204)
    expect((await c.app.request('/auth/me', { headers })).status).toBe(401)
  }, 30_000)

  it('200 concurrent store queries all answer (prepared statements hung 85–169 of them before)', async () => {
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => c.app.request(`/ahsp/search?q=tanah&page=${i + 1}&limit=1`)))
    const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value.status : 0))
    expect(statuses.filter((s) => s !== 200)).toEqual([])
  }, 30_000)
})
