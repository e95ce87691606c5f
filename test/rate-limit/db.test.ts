import { afterAll, beforeAll } from 'vitest'
import { createSqlCache } from '../../src/adapters/sql/cache.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import { createTestSchema } from '../helpers/services.js'
import { describeLoginThrottleSuite } from './login-suite.js'
import { describeRateLimitSuite } from './suite.js'

let schema: Awaited<ReturnType<typeof createTestSchema>>
const pools: Sql[] = []

beforeAll(async () => {
  schema = await createTestSchema('ratelimit')
  // One table for every cache of the suite, created once so parallel creates do not race.
  await createSqlCache({ sql: pool(), prefix: 'init' }).then((c) => c.close())
})
afterAll(async () => {
  for (const p of pools) await p.end()
  await schema?.drop()
})

/** Its own pool per cache: two caches with one prefix are then two app instances on one database. */
function pool(): Sql {
  const sql = createPgClient(schema.url, { max: 10 })
  pools.push(sql)
  return sql
}

// Generous call timeout: a loaded test machine must not turn a slow count into a fail-open pass.
const create = (prefix: string) => createSqlCache({ sql: pool(), prefix, createTable: false, timeoutMs: 20_000 })
describeRateLimitSuite({ name: 'db (PostgreSQL)', createCache: create, shared: true })
describeLoginThrottleSuite({ name: 'db (PostgreSQL)', createCache: create })
