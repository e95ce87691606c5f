import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSqlCache } from '../../src/adapters/sql/cache.js'
import { createPgInvalidationFeed } from '../../src/adapters/sql/invalidation-feed.js'
import { keyNamespace } from '../../src/adapters/shared/keys.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import type { InvalidationEvent, InvalidationFeed } from '../../src/ports/invalidation.js'
import { createTestSchema, uniqueName } from '../helpers/services.js'
import { createBouncedSchema, startPgBouncer } from '../helpers/pgbouncer.js'
import { sleep } from '../helpers/sleep.js'

/** The PostgreSQL side of the feed: triggers on big statements, TRUNCATE, installation races, PgBouncer. */
let schema: Awaited<ReturnType<typeof createTestSchema>>
let sql: Sql

beforeAll(async () => {
  schema = await createTestSchema('notify')
  sql = createPgClient(schema.url, { max: 4 })
})
afterAll(async () => {
  await sql?.end()
  await schema?.drop()
})

const fresh = (feed: InvalidationFeed) => {
  const at = feed.confirmedAt()
  return at !== undefined && performance.now() - at <= 1000
}

async function liveFeed(table: string, prefix: string): Promise<{ feed: InvalidationFeed; events: InvalidationEvent[] }> {
  const feed = createPgInvalidationFeed({ url: schema.url, table, prefix, heartbeatMs: 100 })
  const events: InvalidationEvent[] = []
  feed.subscribe((e) => events.push(e))
  await expect.poll(() => fresh(feed), { timeout: 10_000 }).toBe(true)
  return { feed, events }
}

describe('pg-notify triggers', () => {
  it('a delete over the payload limit arrives in several chunks, every key once; a huge one as a flush', async () => {
    const table = uniqueName('big')
    const prefix = uniqueName('p')
    const { feed, events } = await liveFeed(table, prefix)
    const cache = await createSqlCache({ sql, table, prefix, pruneInterval: 0, maxEntries: 100_000 })
    const ns = keyNamespace(prefix)
    // 300 keys of ~180 bytes: ~54 kB, over the 8,000-byte payload limit, under the 64 kB flush threshold.
    const keys = Array.from({ length: 300 }, (_, i) => `${i}-${'x'.repeat(150)}`)
    await cache.setMany(keys.map((k) => [k, 1]))
    const delivered = () => events.flatMap((e) => ('keys' in e ? e.keys : []))
    await expect.poll(() => delivered().length).toBe(300)
    // Written rows notify one by one; the delete of all 300 is one statement, its keys batched.
    let before = events.length
    expect(await cache.deleteMany(keys)).toBe(300)
    await expect.poll(() => delivered().length).toBe(600)
    const chunks = events.slice(before)
    expect(new Set(delivered().slice(300))).toEqual(new Set(keys.map((k) => ns.key(k))))
    expect(chunks.length).toBeGreaterThanOrEqual(7)
    expect(chunks.length).toBeLessThanOrEqual(12)
    expect(chunks.every((e) => 'keys' in e)).toBe(true)
    // 900 rows (~160 kB of keys): their clear is one flush, not a stream of chunks.
    for (const p of ['a', 'b', 'c']) await cache.setMany(keys.map((k) => [`${p}-${k}`, 1]))
    await expect.poll(() => delivered().length).toBe(1500)
    before = events.length
    await cache.clear()
    await expect.poll(() => events.slice(before)).toEqual([{ flush: expect.any(String) }])
    await expect.poll(() => fresh(feed), { timeout: 5000 }).toBe(true)
    await feed.close()
    await cache.close()
  })

  it('rate-limit counters (rl:, never kept near) notify nobody, in writes and deletes; their neighbours do', async () => {
    const table = uniqueName('rl')
    const prefix = uniqueName('p')
    const { feed, events } = await liveFeed(table, prefix)
    const cache = await createSqlCache({ sql, table, prefix, pruneInterval: 0 })
    await cache.incr('rl:api:1.2.3.4')
    await cache.set('rl:login:x', 1)
    await cache.deleteMany(['rl:api:1.2.3.4', 'rl:login:x'])
    await cache.set('session:rl:', 1)
    await cache.set('#rl:', 1)
    const ns = keyNamespace(prefix)
    await expect.poll(() => events.flatMap((e) => ('keys' in e ? e.keys : []))).toEqual([ns.key('session:rl:'), ns.key('#rl:')])
    expect(() => createPgInvalidationFeed({ url: schema.url, prefix: 'a:b' })).toThrow(TypeError)
    await feed.close()
    await cache.close()
  })

  it('TRUNCATE of the table is a flush', async () => {
    const table = uniqueName('trunc')
    const { feed, events } = await liveFeed(table, uniqueName('p'))
    await sql.unsafe(`truncate "${table}"`)
    await expect.poll(() => events.some((e) => 'flush' in e)).toBe(true)
    await feed.close()
  })

  it('several feeds starting at once on a new table install the triggers once and all go live', async () => {
    const table = uniqueName('race')
    const prefix = uniqueName('p')
    const feeds = Array.from({ length: 4 }, () => createPgInvalidationFeed({ url: schema.url, table, prefix, heartbeatMs: 100 }))
    await expect.poll(() => feeds.every(fresh), { timeout: 10_000 }).toBe(true)
    const [row] = await sql`select count(*)::int as n from pg_trigger where tgrelid = to_regclass(${table}) and not tgisinternal`
    expect(row.n).toBe(3)
    expect(feeds.every((f) => f.stats().flushes === 0)).toBe(true)
    await Promise.all(feeds.map((f) => f.close()))
  })

  it('an existing table with rows gets the triggers; a writer that runs no feed notifies too', async () => {
    const table = uniqueName('old')
    const prefix = uniqueName('p')
    const before = await createSqlCache({ sql, table, prefix, pruneInterval: 0 })
    await before.set('kept', 1)
    const { feed, events } = await liveFeed(table, prefix)
    await before.delete('kept')
    await expect.poll(() => events.flatMap((e) => ('keys' in e ? e.keys : []))).toEqual([keyNamespace(prefix).key('kept')])
    await feed.close()
    await before.close()
  })
})

describe('pg-notify behind PgBouncer in transaction mode', () => {
  it('never goes live (its heartbeats are lost like everyone else\'s notifications) and says why', async () => {
    const bounced = await createBouncedSchema('feedpgb')
    const bouncer = await startPgBouncer([bounced.user])
    const errors: string[] = []
    const feed = createPgInvalidationFeed({ url: bouncer.url(bounced.user), prefix: uniqueName('p'), heartbeatMs: 100, staleAfterMs: 500, onError: (m) => errors.push(m) })
    try {
      const end = performance.now() + 2000
      while (performance.now() < end) {
        expect(feed.confirmedAt()).toBeUndefined()
        await sleep(20)
      }
      expect(feed.stats().heartbeats).toBe(0)
      expect(errors.some((m) => m.includes('DATABASE_LISTEN_URL'))).toBe(true)
    } finally {
      await feed.close()
      await bouncer.stop()
      await bounced.drop()
    }
  })
})
