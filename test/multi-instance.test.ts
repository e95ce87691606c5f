import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { buildContainer, type Container } from '../src/composition/index.js'
import { createRedisCache } from '../src/adapters/redis/cache.js'
import { silentLogger } from '../src/ports/logger.js'
import { createTestSchema, TEST_REDIS_URL, uniqueName } from './helpers/services.js'

/**
 * Three app instances (three containers, as three processes would build them) on one Redis and one
 * PostgreSQL — and again with the db cache backend (the rollback plan), which must share just the same: a session made on one is valid on all and ended everywhere by a logout on another;
 * rate-limit counts are one budget for the fleet; an import on one makes every instance's cached search
 * answers stale at once.
 */

const ADMIN = { username: 'fleet-admin', password: 'Fleet-Admin-Password-5' }
const API_LIMIT = 12
let fleet: Container[] = []

function call(i: number, path: string, init: RequestInit & { peer?: string; cookie?: string } = {}) {
  const headers = new Headers(init.headers)
  headers.set('x-test-peer', init.peer ?? '192.0.2.1')
  if (init.cookie) headers.set('Cookie', init.cookie)
  if (init.method && init.method !== 'GET') headers.set('Origin', 'http://localhost')
  return fleet[i]!.app.request(path, { ...init, headers })
}

async function login(i: number, peer: string): Promise<string> {
  const res = await call(i, '/auth/login', {
    method: 'POST',
    peer,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  })
  expect(res.status).toBe(200)
  return /sid=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0]
}

describe.each(['redis', 'db'] as const)('three instances sharing one %s cache and one PostgreSQL', (backend) => {
  const prefix = uniqueName(`multi_${backend}`)
  let schema: Awaited<ReturnType<typeof createTestSchema>>

  beforeAll(async () => {
    schema = await createTestSchema(`multi_${backend}`)
    const config = loadConfig({
      APP_ENV: 'test',
      CACHE_BACKEND: backend,
      CACHE_STRICT: 'true',
      REDIS_URL: TEST_REDIS_URL,
      DATABASE_URL: schema.url,
      CACHE_KEY_PREFIX: prefix,
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      RATE_LIMIT_API: `${API_LIMIT}/60`,
    })
    // The peer address comes from a test header, so each test can be its own client.
    const runtime = { getPeerAddress: (c: { req: { header(n: string): string | undefined } }) => c.req.header('x-test-peer') }
    // Started together, as a deployment rolls them out: migrations and the admin upsert race.
    fleet = await Promise.all([1, 2, 3].map(() => buildContainer(config, silentLogger, runtime)))
  })

  afterAll(async () => {
    await Promise.all(fleet.map((c) => c.close()))
    await schema?.drop()
    if (backend === 'redis') {
      const cache = createRedisCache({ client: TEST_REDIS_URL, prefix })
      await cache.clear()
      await cache.close()
    }
  })

  it('share sessions: login on A is valid on B and C; logout on B ends it on A and C', async () => {
    const cookie = await login(0, '192.0.2.10')
    for (const i of [0, 1, 2]) {
      const me = await call(i, '/auth/me', { cookie, peer: '192.0.2.10' })
      expect(me.status, `instance ${i}`).toBe(200)
      expect(await me.json()).toMatchObject({ user: { username: ADMIN.username, role: 'admin' } })
    }
    expect((await call(1, '/auth/logout', { method: 'POST', cookie, peer: '192.0.2.10' })).status).toBe(204)
    for (const i of [0, 1, 2]) {
      expect((await call(i, '/auth/me', { cookie, peer: '192.0.2.10' })).status, `instance ${i}`).toBe(401)
    }
  })

  it('share one rate-limit budget per client across the fleet', async () => {
    const peer = '198.51.100.23'
    const statuses: number[] = []
    const remaining: number[] = []
    for (let n = 0; n < API_LIMIT + 3; n++) {
      const res = await call(n % 3, '/ahsp/sources', { peer })
      statuses.push(res.status)
      const left = res.headers.get('ratelimit')?.match(/remaining=(\d+)/)?.[1] ?? null
      if (left !== null) remaining.push(Number(left))
    }
    // Per-instance counting would allow 3 × API_LIMIT; a shared count allows exactly API_LIMIT.
    expect(statuses.filter((s) => s === 200)).toHaveLength(API_LIMIT)
    expect(statuses.slice(API_LIMIT)).toEqual([429, 429, 429])
    expect(remaining.slice(0, API_LIMIT)).toEqual(Array.from({ length: API_LIMIT }, (_, n) => API_LIMIT - 1 - n))
    // another client still has its whole budget, on any instance
    expect((await call(2, '/ahsp/sources', { peer: '198.51.100.24' })).status).toBe(200)
  })

  it('an import on A makes cached search answers stale on B and C at once', async () => {
    const word = `fleetword${Date.now().toString(36)}`
    const q = `/ahsp/search?q=${word}`
    for (const i of [1, 2]) {
      const first = await call(i, q, { peer: `203.0.113.${i}` })
      expect(first.status).toBe(200)
      expect(((await first.json()) as { total: number }).total).toBe(0)
    }
    const cached = await call(1, q, { peer: '203.0.113.1' })
    expect(cached.headers.get('x-cache')).toBe('HIT')
    expect(((await cached.json()) as { total: number }).total).toBe(0)

    const cookie = await login(0, '203.0.113.50')
    const component = { category: 'TK', itemCode: 'L.01', description: 'Pekerja', unit: 'OH', coefficient: '0.25' }
    const job = { source: 'FLEET', code: '7.7.7', name: `Pekerjaan ${word}`, unit: 'm2', components: [component] }
    const imported = await call(0, '/ahsp/import', {
      method: 'POST',
      cookie,
      peer: '203.0.113.50',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([job]),
    })
    expect(imported.status).toBe(200)

    for (const i of [1, 2]) {
      const after = await call(i, q, { peer: `203.0.113.${i}` })
      expect(after.status).toBe(200)
      const body = (await after.json()) as { total: number; items: { code: string }[] }
      expect(body.total, `instance ${i}`).toBe(1)
      expect(body.items[0]!.code).toBe('7.7.7')
    }
  })
})
