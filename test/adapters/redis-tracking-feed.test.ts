import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { createRedisTrackingFeed } from '../../src/adapters/redis/tracking-feed.js'
import type { InvalidationEvent, InvalidationFeed } from '../../src/ports/invalidation.js'
import { startOwnRedis, type OwnRedis } from '../helpers/redis-server.js'
import { sleep } from '../helpers/sleep.js'

/** The Redis feed against a server of its own: paused, its connections killed, the server killed and restarted. */
describe('redis tracking feed on its own server', () => {
  let own: OwnRedis
  let admin: Redis
  beforeAll(async () => {
    own = await startOwnRedis()
    admin = new Redis(own.url, { maxRetriesPerRequest: 0 })
    admin.on('error', () => undefined)
  })
  afterAll(async () => {
    admin.disconnect()
    await own.stop()
  })

  const open = () => {
    const feed = createRedisTrackingFeed({ client: own.url, prefixes: ['t:1:s:'], heartbeatPrefix: 't:1:hb:', heartbeatMs: 10 })
    const events: InvalidationEvent[] = []
    feed.subscribe((e) => events.push(e))
    return { feed, events }
  }
  const live = async (feed: InvalidationFeed, ms = 3000) => {
    for (let waited = 0; waited < ms && feed.confirmedAt() === undefined; waited += 10) await sleep(10)
    return feed.confirmedAt() !== undefined
  }
  const age = (feed: InvalidationFeed) => performance.now() - (feed.confirmedAt() ?? -Infinity)

  it('reports writes under its prefixes only, in order, and keeps confirming within a few heartbeats', async () => {
    const { feed, events } = open()
    expect(await live(feed)).toBe(true)
    events.length = 0
    await admin.set('t:1:s:a', '1')
    await admin.set('t:1:other', '1')
    await admin.del('t:1:s:a')
    await admin.set('t:1:s:b,c', '1', 'PX', 20)
    await sleep(60)
    await admin.get('t:1:s:b,c') // lazy expiry, if the active cycle has not run yet
    await sleep(20)
    expect(events).toEqual([{ keys: ['t:1:s:a'] }, { keys: ['t:1:s:a'] }, { keys: ['t:1:s:b,c'] }, { keys: ['t:1:s:b,c'] }])
    const ages: number[] = []
    for (let i = 0; i < 50; i++) {
      ages.push(age(feed))
      await sleep(3)
    }
    ages.sort((a, b) => a - b)
    expect(ages[Math.floor(ages.length * 0.9)]).toBeLessThan(40) // the 50 ms lease holds with room to spare
    await feed.close()
  })

  it('a set-up that timed out (start-up blocked the event loop past the command timeout) is retried', async () => {
    const errors: string[] = []
    const feed = createRedisTrackingFeed({ client: own.url, prefixes: ['t:1:s:'], heartbeatPrefix: 't:1:hb:', commandTimeoutMs: 200, onError: (e) => errors.push(e.message) })
    // As a start-up doing synchronous work would: the event loop blocked for 300 ms just after a (re)connection's
    // set-up sent its first command (the microtask after the 'ready' handlers), until one set-up has timed out.
    // Blocking at fixed times instead depends on the machine: a quiet one reads each reply between two blocks.
    feed.subscribe((event) => {
      if (!('flush' in event) || !/connected/.test(event.flush) || errors.length > 0) return
      queueMicrotask(() => {
        const until = Date.now() + 300
        while (Date.now() < until);
      })
    })
    await expect.poll(() => errors[0], { timeout: 10_000 }).toMatch(/timed out/)
    expect(await live(feed)).toBe(true)
    await feed.close()
  })

  it('a paused server: confirmation stops (so the lease runs out), then resumes without a flush', async () => {
    const { feed, events } = open()
    expect(await live(feed)).toBe(true)
    events.length = 0
    await admin.client('PAUSE', '300', 'ALL')
    await sleep(150)
    expect(age(feed)).toBeGreaterThan(100)
    await sleep(200) // the pause is over
    // Heartbeats are on demand: asking (as a near read does) brings a fresh confirmation within a few ms.
    let fresh = age(feed)
    for (let i = 0; i < 50 && fresh >= 50; i++) {
      await sleep(5)
      fresh = age(feed)
    }
    expect(fresh).toBeLessThan(50)
    expect(events).toEqual([])
    await feed.close()
  })

  it('a killed invalidation connection: flush, then live again with tracking re-established', async () => {
    const { feed, events } = open()
    expect(await live(feed)).toBe(true)
    await admin.client('KILL', 'TYPE', 'pubsub')
    await sleep(5)
    expect(events.some((e) => 'flush' in e)).toBe(true)
    expect(await live(feed)).toBe(true)
    events.length = 0
    await admin.set('t:1:s:after', '1')
    await sleep(20)
    expect(events).toContainEqual({ keys: ['t:1:s:after'] })
    expect(feed.stats().reconnects).toBeGreaterThanOrEqual(1)
    await feed.close()
  })

  it('a killed and restarted server: flush, not live while down, live again after', async () => {
    const { feed, events } = open()
    expect(await live(feed)).toBe(true)
    events.length = 0
    await own.kill()
    await sleep(50)
    expect(feed.confirmedAt()).toBeUndefined()
    expect(events.some((e) => 'flush' in e)).toBe(true)
    await own.start()
    expect(await live(feed, 5000)).toBe(true)
    events.length = 0
    await admin.set('t:1:s:new', '1')
    await sleep(20)
    expect(events).toContainEqual({ keys: ['t:1:s:new'] })
    await feed.close()
  })
})
