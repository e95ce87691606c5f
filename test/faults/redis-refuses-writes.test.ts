import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import type { Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'
import { login, me, openPair, sessionFor } from '../auth/harness.js'
import { freePort, startOwnRedis, type OwnRedis } from '../helpers/redis-server.js'

/**
 * Issue 10, item 4: a full Redis (maxmemory reached, noeviction) answered every login with 503 (the incr
 * script turned OOM into NOT_INTEGER) and made traffic flap (8 failovers in 8 s: PING answered, writes did
 * not). A read-only Redis (a replica after a promotion) is the same fault. Now: logins 200 on the fallback,
 * at most one failover while it lasts, traffic back once the server takes writes again.
 */
const BOB = { username: 'bob', password: 'bob-password-12' }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
let cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {})
  cleanup = []
})

async function setup(extraArgs: string[]): Promise<{ redis: OwnRedis; admin: Redis; c: Container }> {
  const redis = await startOwnRedis(extraArgs)
  cleanup.push(() => redis.stop())
  const admin = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await admin.connect()
  cleanup.push(async () => admin.disconnect())
  const env = await openPair({ cache: 'redis', store: 'memory', redisUrl: redis.url })
  cleanup.push(() => env.close())
  const c = await env.instance(silentLogger)
  await c.auth.accounts.create(BOB.username, BOB.password, 'user')
  return { redis, admin, c }
}

/** Logs in and reads /auth/me for `ms`; every status seen, and the worst latency. */
async function traffic(c: Container, ms: number): Promise<{ statuses: number[]; worstMs: number }> {
  const statuses: number[] = []
  let worstMs = 0
  const end = Date.now() + ms
  while (Date.now() < end) {
    const started = performance.now()
    const sid = await sessionFor(c.app, BOB.username, BOB.password).catch(() => undefined)
    statuses.push(sid ? 200 : 0)
    if (sid) statuses.push((await me(c.app, sid)).status)
    statuses.push((await login(c.app, BOB.username, 'wrong-password')).status === 401 ? 401 : -1)
    worstMs = Math.max(worstMs, performance.now() - started)
    await sleep(100)
  }
  return { statuses, worstMs }
}

async function stats(c: Container) {
  return (await c.cache.stats()) as Awaited<ReturnType<Container['cache']['stats']>> & { refusals: Record<string, number> }
}

async function waitFor(cond: () => Promise<boolean>, ms: number): Promise<number> {
  const started = Date.now()
  while (!(await cond())) {
    if (Date.now() - started > ms) throw new Error(`condition not met within ${ms} ms`)
    await sleep(100)
  }
  return Date.now() - started
}

describe('a Redis that answers but refuses writes is a failing backend', () => {
  it('full (maxmemory, noeviction): logins keep working, one failover, traffic returns once memory frees', async () => {
    const { admin, c } = await setup(['--maxmemory', '3mb', '--maxmemory-policy', 'noeviction'])
    expect((await traffic(c, 300)).statuses.every((s) => s === 200 || s === 401)).toBe(true)
    expect((await stats(c)).active).toBe('redis')

    // Fill it well past its maxmemory (lowered under the data, as when the data grew past it): every write
    // that may add memory is refused with OOM, whatever its size, while reads and PING still answer.
    const filled = 64
    await admin.config('SET', 'maxmemory', '0')
    for (let i = 0; i < filled; i++) await admin.set(`filler:${i}`, 'x'.repeat(64 * 1024))
    await admin.config('SET', 'maxmemory', '3mb')
    await expect(admin.set('small', '1')).rejects.toThrow(/^OOM/)
    expect(await admin.ping()).toBe('PONG')
    const failoversBefore = (await stats(c)).failovers

    const full = await traffic(c, 5500)
    expect(full.statuses.filter((s) => s !== 200 && s !== 401)).toEqual([])
    expect(full.statuses.length).toBeGreaterThan(20)
    const during = await stats(c)
    expect(during.failovers - failoversBefore).toBeLessThanOrEqual(1)
    expect(during).toMatchObject({ degraded: true, active: 'memory' })
    expect(during.refusals.OOM).toBeGreaterThanOrEqual(1)

    for (let i = 0; i < filled; i++) await admin.del(`filler:${i}`)
    const backMs = await waitFor(async () => !(await stats(c)).degraded, 5000)
    const sid = await sessionFor(c.app, BOB.username, BOB.password)
    expect((await me(c.app, sid)).status).toBe(200)
    expect(await admin.keys('*session:*')).not.toEqual([])
    expect((await stats(c)).failovers - failoversBefore).toBe(1)
    console.info(`redis full 5.5 s: ${full.statuses.length} answers, worst login+me ${full.worstMs.toFixed(0)} ms, failovers 1, back ${backMs} ms after memory freed`)
  })

  it('read-only (a replica after a failover): logins keep working, one failover, back after REPLICAOF NO ONE', async () => {
    const { admin, c } = await setup([])
    const nowhere = await freePort()
    await admin.call('REPLICAOF', '127.0.0.1', String(nowhere))
    const failoversBefore = (await stats(c)).failovers

    const ro = await traffic(c, 5000)
    expect(ro.statuses.filter((s) => s !== 200 && s !== 401)).toEqual([])
    const during = await stats(c)
    expect(during.failovers - failoversBefore).toBeLessThanOrEqual(1)
    expect(during.degraded).toBe(true)
    expect(during.refusals.READONLY).toBeGreaterThanOrEqual(1)

    await admin.call('REPLICAOF', 'NO', 'ONE')
    await waitFor(async () => !(await stats(c)).degraded, 5000)
    const sid = await sessionFor(c.app, BOB.username, BOB.password)
    expect((await me(c.app, sid)).status).toBe(200)
    expect((await stats(c)).failovers - failoversBefore).toBe(1)
  })
})
