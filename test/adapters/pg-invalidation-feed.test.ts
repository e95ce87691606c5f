import postgres from 'postgres'
import { afterAll, beforeAll } from 'vitest'
import { describeInvalidationFeedContract } from '../contracts/invalidation-feed.contract.js'
import { createSqlCache } from '../../src/adapters/sql/cache.js'
import { createPgInvalidationFeed } from '../../src/adapters/sql/invalidation-feed.js'
import { keyNamespace } from '../../src/adapters/shared/keys.js'
import { createPgClient, type Sql } from '../../src/adapters/sql/client.js'
import { createTestSchema, uniqueName } from '../helpers/services.js'
import { openGateTo, type TcpGate } from '../helpers/tcp-gate.js'

let schema: Awaited<ReturnType<typeof createTestSchema>>
let sql: Sql
let admin: Sql
const gates: TcpGate[] = []

beforeAll(async () => {
  schema = await createTestSchema('feed')
  sql = createPgClient(schema.url, { max: 4 })
  admin = postgres(schema.url, { max: 1, onnotice: () => {} })
})
afterAll(async () => {
  for (const gate of gates) await gate.close()
  await sql?.end()
  await admin?.end()
  await schema?.drop()
})

describeInvalidationFeedContract({
  name: 'pg-notify',
  leaseMs: 500,
  async create() {
    const prefix = uniqueName('p')
    const app = uniqueName('listen')
    const { gate, url } = await openGateTo(schema.url)
    gates.push(gate)
    const feed = createPgInvalidationFeed({ url, prefix, heartbeatMs: 100, staleAfterMs: 400, applicationName: app })
    const writer = await createSqlCache({ sql, prefix, pruneInterval: 0 })
    const neighbour = await createSqlCache({ sql, prefix: `${prefix}n`, pruneInterval: 0 })
    const ns = keyNamespace(prefix)
    return {
      feed,
      writer,
      neighbour,
      stored: (k) => ns.key(k),
      async killConnection() {
        const rows = await admin`select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = ${app}`
        if (rows.length !== 1) throw new Error(`expected one listening session, found ${rows.length}`)
      },
      silence: () => gate.silence(),
      restore: () => gate.open(),
      async collectExpired() {
        await writer.maintain()
      },
      async close() {
        await feed.close()
        await writer.close()
        await neighbour.close()
        await gate.close()
      },
    }
  },
})
