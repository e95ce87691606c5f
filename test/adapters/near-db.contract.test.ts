import { afterAll, beforeAll } from 'vitest'
import { describeCachePortContract, type CacheFactoryOptions } from '../contracts/cache.contract.js'
import { createSqlCache } from '../../src/adapters/sql/cache.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import { createPgInvalidationFeed } from '../../src/adapters/sql/invalidation-feed.js'
import { createNearCache, type NearCache } from '../../src/adapters/near/near-cache.js'
import { createTestSchema } from '../helpers/services.js'
import { sleep } from '../helpers/sleep.js'

/**
 * The CachePort contract through a near tier over the db backend (PostgreSQL, LISTEN/NOTIFY feed), every
 * key near (`''`), as `near-redis.contract.test.ts` does over Redis.
 */
let schema: Awaited<ReturnType<typeof createTestSchema>>
let sql: Sql

beforeAll(async () => {
  schema = await createTestSchema('neardb')
  sql = createPgClient(schema.url, { max: 4 })
})
afterAll(async () => {
  await sql?.end()
  await schema?.drop()
})

async function nearDb(o: CacheFactoryOptions): Promise<NearCache> {
  const remote = await createSqlCache({ sql, ...o, pruneInterval: 0 })
  const feed = createPgInvalidationFeed({ url: schema.url, prefix: o.prefix, version: o.version, heartbeatMs: 10 })
  const near = createNearCache(remote, feed, { prefix: o.prefix, version: o.version, prefixes: [''] })
  for (let i = 0; i < 300 && !near.nearStats().live; i++) await sleep(10)
  // A tier that never went live would pass the contract by reading through to the backend: not a test of it.
  if (!near.nearStats().live) throw new Error('the near tier did not go live')
  return near
}

describeCachePortContract({ name: 'near(db)', create: (o) => nearDb(o) })
