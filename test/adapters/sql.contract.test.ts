import { createServer, type Server, type Socket } from 'node:net'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeCachePortContract } from '../contracts/cache.contract.js'
import { createCacheTable, createSqlCache } from '../../src/adapters/sql/cache.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import { CacheError } from '../../src/domain/errors.js'
import { createTestSchema, uniqueName } from '../helpers/services.js'
import { freePort } from '../helpers/redis-server.js'
import { sleep } from '../helpers/sleep.js'

let schema: Awaited<ReturnType<typeof createTestSchema>>
let sql: Sql

beforeAll(async () => {
  schema = await createTestSchema('sqlcache')
  sql = createPgClient(schema.url, { max: 4 })
})
afterAll(async () => {
  await sql?.end()
  await schema?.drop()
})

/** Rows of `table` whose key starts with `base`, straight from the table (expired ones included). */
async function rawRows(table: string, base: string): Promise<{ key: string; expires_at: string | null }[]> {
  const rows = await sql.unsafe(`select key, expires_at from "${table}" where starts_with(key, $1) order by key`, [base])
  return rows as unknown as { key: string; expires_at: string | null }[]
}

describeCachePortContract({
  name: 'sql (postgres.js)',
  create: (o) => createSqlCache({ sql, ...o }),
  extra: () => {
    describe('sql specifics', () => {
      it('culls the oldest rows of its namespace over maxEntries, in the background every cullEvery writes', async () => {
        const table = uniqueName('cull')
        const prefix = uniqueName('p')
        const cache = await createSqlCache({ sql, table, prefix, maxEntries: 10, cullEvery: 5 })
        const other = await createSqlCache({ sql, table, prefix: `${prefix}o`, maxEntries: 1000 })
        await other.set('mine', 1)
        for (let i = 0; i < 30; i++) await cache.set(`k${String(i).padStart(2, '0')}`, i)
        // The last pass may have counted before the last writes: bound is maxEntries + cullEvery.
        await expect.poll(async () => (await rawRows(table, `${prefix}:`)).length).toBeLessThanOrEqual(15)
        const { culled } = await cache.maintain()
        expect(culled).toBeGreaterThanOrEqual(0)
        const keys = (await rawRows(table, `${prefix}:`)).map((r) => r.key)
        expect(keys).toEqual(Array.from({ length: 10 }, (_, i) => `${prefix}:1:k${i + 20}`))
        expect(await cache.get('k29')).toBe(29)
        expect(await other.get('mine')).toBe(1)
        await cache.close()
        await other.close()
      })

      it('prunes expired rows (which reads never returned)', async () => {
        const prefix = uniqueName('p')
        const cache = await createSqlCache({ sql, prefix })
        await cache.setMany([['a', 1], ['b', 2], ['c', 3]], 0.1)
        await cache.set('keep', 1, 60)
        await sleep(200)
        expect(await cache.getMany(['a', 'b', 'c'])).toEqual([undefined, undefined, undefined])
        expect(await rawRows('cache_entries', `${prefix}:`)).toHaveLength(4)
        const { expired } = await cache.maintain()
        expect(expired).toBeGreaterThanOrEqual(3)
        expect((await rawRows('cache_entries', `${prefix}:`)).map((r) => r.key)).toEqual([`${prefix}:1:keep`])
        await cache.close()
      })

      it('prunes on its own timer too, without writes or calls', async () => {
        const prefix = uniqueName('p')
        const cache = await createSqlCache({ sql, prefix, pruneInterval: 0.2 })
        await cache.set('gone', 1, 0.05)
        await expect.poll(async () => (await rawRows('cache_entries', `${prefix}:`)).length, { timeout: 3000 }).toBe(0)
        await cache.close()
      })

      it('clear matches the prefix literally: LIKE wildcards in a prefix touch nobody else', async () => {
        const p = uniqueName('w')
        const wild = await createSqlCache({ sql, prefix: `${p}_%` })
        const a = await createSqlCache({ sql, prefix: `${p}xy` })
        const b = await createSqlCache({ sql, prefix: `${p}_%z` })
        await Promise.all([wild.set('k', 0), a.set('k', 1), b.set('k', 2)])
        await wild.clear()
        expect(await wild.get('k')).toBeUndefined()
        expect([await a.get('k'), await b.get('k')]).toEqual([1, 2])
        for (const c of [wild, a, b]) await c.clear().then(() => c.close())
      })

      it('createTable is idempotent, also when instances race, and the table is UNLOGGED', async () => {
        const table = uniqueName('ct')
        await Promise.all([createCacheTable(sql, table), createCacheTable(sql, table), createCacheTable(sql, table)])
        await createCacheTable(sql, table)
        const [row] = await sql`select relpersistence from pg_class where oid = to_regclass(${table})`
        expect(row.relpersistence).toBe('u')
        const cache = await createSqlCache({ sql, table, prefix: uniqueName('p') })
        await cache.set('k', 'v')
        expect(await cache.get('k')).toBe('v')
        await cache.close()
      })

      it('rejects a table name that is not a plain identifier', async () => {
        await expect(createSqlCache({ sql, table: 'x"; drop table users; --' })).rejects.toThrow(TypeError)
        await expect(createCacheTable(sql, 'Bad Name')).rejects.toThrow(TypeError)
      })

      it('with createTable: false and no table, calls fail as UNAVAILABLE instead of creating it', async () => {
        const cache = await createSqlCache({ sql, table: uniqueName('absent'), createTable: false })
        await expect(cache.get('k')).rejects.toMatchObject({ code: 'CACHE.UNAVAILABLE' })
        expect((await cache.stats()).errors).toBeGreaterThanOrEqual(1)
        await cache.close()
      })

      it('closing an adapter on a shared client leaves the client open', async () => {
        const cache = await createSqlCache({ sql, prefix: uniqueName('p') })
        await cache.close()
        await expect(cache.get('k')).rejects.toMatchObject({ code: 'CACHE.UNAVAILABLE' })
        expect((await sql`select 1 as one`)[0].one).toBe(1)
      })
    })
  },
})

describe('sql cache when PostgreSQL is unreachable', () => {
  let silent: Server
  const sockets: Socket[] = []
  let silentPort: number

  beforeAll(async () => {
    // Accepts TCP and never answers: the network-partition case, where only timeouts can help.
    silent = createServer((s) => sockets.push(s))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    silentPort = (silent.address() as { port: number }).port
  })
  afterAll(async () => {
    for (const s of sockets) s.destroy()
    await new Promise((r) => silent.close(r))
  })

  it('start-up on a closed port rejects with CACHE.UNAVAILABLE, not a hang', { timeout: 5000 }, async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`
    const err = await createSqlCache({ url }).then(() => undefined, (e: unknown) => e)
    expect(err).toBeInstanceOf(CacheError)
    expect((err as CacheError).code).toBe('CACHE.UNAVAILABLE')
    expect((err as Error).message).not.toContain('postgres://')
  })

  it('every call on a closed port rejects with CACHE.UNAVAILABLE; stats still answer', { timeout: 5000 }, async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`
    const cache = await createSqlCache({ url, createTable: false })
    for (const call of [() => cache.get('k'), () => cache.set('k', 1), () => cache.incr('k'), () => cache.ping(), () => cache.clear()]) {
      await expect(call()).rejects.toMatchObject({ code: 'CACHE.UNAVAILABLE' })
    }
    const stats = await cache.stats()
    expect(stats.errors).toBeGreaterThanOrEqual(5)
    expect(stats.entries).toBeUndefined()
    await cache.close()
  })

  it('a server that never answers fails within timeoutMs instead of hanging', { timeout: 5000 }, async () => {
    const cache = await createSqlCache({ url: `postgres://postgres@127.0.0.1:${silentPort}/postgres`, createTable: false, timeoutMs: 300 })
    const results = await Promise.allSettled([cache.get('k'), cache.incr('k'), cache.set('k', 1)])
    for (const r of results) {
      expect(r.status).toBe('rejected')
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'CACHE.UNAVAILABLE' })
    }
    await cache.close()
  })
})

describe('sql cache with its own pool', () => {
  it('opens a pool from a URL, serves, and closes it', async () => {
    const s = await createTestSchema('sqlown')
    try {
      const cache = await createSqlCache({ url: s.url, max: 2, prefix: uniqueName('p') })
      await cache.set('k', [1, 2])
      expect(await cache.get('k')).toEqual([1, 2])
      await cache.close()
      await cache.close()
      const check = postgres(s.url, { max: 1, onnotice: () => {} })
      const [row] = await check`select count(*)::int as n from cache_entries`
      expect(row.n).toBe(1)
      await check.end()
    } finally {
      await s.drop()
    }
  })
})
