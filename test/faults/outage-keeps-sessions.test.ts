import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { createMemorySessionStore } from '../../src/adapters/memory/session-store.js'
import { createMemoryUserStore } from '../../src/adapters/memory/user-store.js'
import type { Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'
import { createSessions } from '../../src/use-cases/sessions/sessions.js'
import { hashSessionId } from '../../src/use-cases/sessions/session-id.js'
import { me, openPair, sessionFor } from '../auth/harness.js'
import { startOwnRedis, type OwnRedis } from '../helpers/redis-server.js'
import { openGateTo, type TcpGate } from '../helpers/tcp-gate.js'
import { createTestSchema } from '../helpers/services.js'

/**
 * Issue 10, item 2 (last point): with Redis AND PostgreSQL down a logged-in user got 401 — logged out by
 * an outage. Now 503 (problem+json) within the bound, and the same cookie is valid again once they return.
 * Real components: a Redis of our own (killed) and PostgreSQL behind a TCP gate (closed).
 */
const BOB = { username: 'bob', password: 'bob-password-12' }

describe('Redis and PostgreSQL both down: a logged-in user gets 503, not 401', () => {
  let redis: OwnRedis
  let gate: TcpGate
  let schema: Awaited<ReturnType<typeof createTestSchema>>
  let env: Awaited<ReturnType<typeof openPair>>
  let c: Container

  beforeAll(async () => {
    redis = await startOwnRedis()
    schema = await createTestSchema('both_down')
    let pg: string
    ;({ gate, url: pg } = await openGateTo(schema.url))
    env = await openPair({ cache: 'redis', store: 'memory', redisUrl: redis.url, env: { DATABASE_URL: pg } })
    c = await env.instance(silentLogger)
    await c.auth.accounts.create(BOB.username, BOB.password, 'user')
  })
  afterAll(async () => {
    await env?.close()
    await gate?.close()
    await redis?.stop()
    await schema?.drop()
  })

  it('answers 503 within 3 s while both are down, 200 again with the same cookie after', async () => {
    const sid = await sessionFor(c.app, BOB.username, BOB.password)
    expect((await me(c.app, sid)).status).toBe(200)

    await redis.kill()
    await gate.close()
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      const res = await me(c.app, sid)
      expect(performance.now() - started).toBeLessThan(3000)
      expect(res.status).toBe(503)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.headers.get('set-cookie')).toBeNull() // the cookie is not cleared
    }
    expect((await me(c.app)).status).toBe(401) // no cookie: nothing to check, not an outage

    await gate.open()
    await redis.start()
    const end = Date.now() + 10_000
    let status = 0
    while (Date.now() < end && (status = (await me(c.app, sid)).status) !== 200) await new Promise((r) => setTimeout(r, 200))
    expect(status).toBe(200)
  })
})

describe('a cached copy whose idle expiry looks past asks the store instead of logging out', () => {
  it('serves the session the store slid meanwhile (on another backend), and ends the one the store ended', async () => {
    let t = Date.UTC(2030, 0, 1)
    const now = () => t
    const store = createMemorySessionStore({ now })
    const users = createMemoryUserStore()
    const user = await users.create({ username: 'ida', role: 'user', passwordHash: 'x' })
    const cache = createMemoryCache()
    const sessions = createSessions({ cache, store, users, logger: silentLogger, ttl: 3600, idleTtl: 60, now, storeEpoch: await store.epoch() })
    const slid = await sessions.create(user)
    const idle = await sessions.create(user)
    // Another instance on another backend slid `slid` in the store; this cache still has the old copy.
    t += 50_000
    expect(await store.touch(hashSessionId(slid.id), t + 60_000)).toBe(true)
    t += 15_000 // past the cached idle expiry, within the store's
    expect((await sessions.resolve(slid.id))?.user.username).toBe('ida')
    expect(await sessions.resolve(idle.id)).toBeUndefined()
  })
})
