import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import type { Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'
import { ADMIN, logout, me, openPair, sessionFor } from '../auth/harness.js'
import { startOwnRedis, type OwnRedis } from '../helpers/redis-server.js'
import { sleep } from '../helpers/sleep.js'
import { nearOf, untilLive } from './helpers.js'

/**
 * Issue 16, item 3: a near copy must never outlive a logout because the invalidation channel broke. Two
 * instances (near cache on a Redis of their own, PostgreSQL store, the db cache as Redis' fallback); B holds
 * the session near; the session is ended on A while Redis is paused, killed and restarted, or replaced by
 * the fallback. B polls `/auth/me` throughout: no request B *started* later than the lease after A's logout
 * was acknowledged may answer 200 — and none afterwards, once Redis is back.
 */
const LEASE_MS = 50

describe('near cache: no stale session after Redis is paused, killed, restarted or replaced by its fallback', () => {
  let own: OwnRedis
  let admin: Redis
  let pair: Awaited<ReturnType<typeof openPair>>
  let a: Container
  let b: Container
  beforeAll(async () => {
    own = await startOwnRedis()
    admin = new Redis(own.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false })
    admin.on('error', () => undefined)
    pair = await openPair({ cache: 'redis', store: 'postgres', redisUrl: own.url, env: { CACHE_NEAR: 'true', CACHE_NEAR_LEASE_MS: String(LEASE_MS), CATALOG_SEED: 'false' } })
    ;[a, b] = await Promise.all([pair.instance(silentLogger), pair.instance(silentLogger)])
  })
  afterAll(async () => {
    admin.disconnect()
    await pair.close()
    await own.stop()
  })
  afterEach(async () => {
    // Both back on Redis and serving near copies before the next case.
    for (const c of [a, b]) for (let i = 0; i < 500 && (await c.cache.stats()).degraded; i++) await sleep(10)
    await untilLive([a, b])
  })

  /** A session on A that B has read twice (the second time from its near copy). */
  async function heldNearOnB(): Promise<string> {
    await untilLive([a, b])
    const sid = await sessionFor(a.app, ADMIN.username, ADMIN.password)
    expect((await me(b.app, sid)).status).toBe(200)
    const hits = (await nearOf(b)).hits
    expect((await me(b.app, sid)).status).toBe(200)
    expect((await nearOf(b)).hits).toBe(hits + 1)
    return sid
  }

  /**
   * Runs `outage` while B polls the session; after A's logout is acknowledged (inside `outage`), every
   * request B starts later than the lease must be refused, and B keeps refusing for `afterMs` more.
   */
  async function noStaleRead(sid: string, outage: (logoutOnA: () => Promise<void>) => Promise<void>, afterMs = 300) {
    let acknowledged = Infinity
    const served: { started: number; status: number }[] = []
    let polling = true
    const poller = (async () => {
      while (polling) {
        const started = performance.now()
        const status = (await me(b.app, sid)).status
        served.push({ started, status })
        await sleep(2)
      }
    })()
    await outage(async () => {
      expect((await logout(a.app, sid)).status).toBe(204)
      acknowledged = performance.now()
    })
    expect(acknowledged).toBeLessThan(Infinity)
    await sleep(afterMs)
    polling = false
    await poller
    const late = served.filter((s) => s.started > acknowledged + LEASE_MS)
    expect(late.length).toBeGreaterThan(0)
    expect(late.filter((s) => s.status !== 401)).toEqual([])
    expect((await me(b.app, sid)).status).toBe(401)
  }

  it('paused (CLIENT PAUSE, shorter than the failover timeout): the logout waits; B refuses once it is acknowledged', async () => {
    const sid = await heldNearOnB()
    await noStaleRead(sid, async (logoutOnA) => {
      await admin.client('PAUSE', '400', 'ALL')
      await logoutOnA()
    })
  })

  it('paused longer than the failover timeout: both move to the db fallback and back, B never serves the session', async () => {
    const sid = await heldNearOnB()
    await noStaleRead(
      sid,
      async (logoutOnA) => {
        await admin.client('PAUSE', '2500', 'ALL')
        await logoutOnA()
      },
      3000,
    )
    expect((await b.cache.stats()).failovers).toBeGreaterThan(0)
  })

  it('killed, the fallback serving, then restarted empty: B never serves the session', async () => {
    const sid = await heldNearOnB()
    await noStaleRead(
      sid,
      async (logoutOnA) => {
        await own.kill()
        await logoutOnA()
        await sleep(300)
        await own.start()
      },
      2500,
    )
    expect((await nearOf(b)).flushes).toBeGreaterThan(0)
  })

  it('a new session after the restart is served near again', async () => {
    const sid = await heldNearOnB()
    expect((await me(a.app, sid)).status).toBe(200)
  })
})
