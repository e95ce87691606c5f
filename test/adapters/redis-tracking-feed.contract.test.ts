import { Redis } from 'ioredis'
import { afterAll, beforeAll } from 'vitest'
import { describeInvalidationFeedContract } from '../contracts/invalidation-feed.contract.js'
import { createRedisCache } from '../../src/adapters/redis/cache.js'
import { createRedisTrackingFeed } from '../../src/adapters/redis/tracking-feed.js'
import { keyNamespace } from '../../src/adapters/shared/keys.js'
import { TEST_REDIS_URL, uniqueName } from '../helpers/services.js'
import { openGateTo, type TcpGate } from '../helpers/tcp-gate.js'

/**
 * The InvalidationFeed contract on Redis client tracking (the shared server): the feed reaches Redis through
 * a TCP gate (to silence it), the writers directly. Its connections carry a name of their own, so killing
 * them touches no other test's.
 */
let admin: Redis
const gates: TcpGate[] = []
const target = new URL(TEST_REDIS_URL)

beforeAll(() => {
  admin = new Redis(TEST_REDIS_URL)
})
afterAll(async () => {
  for (const gate of gates) await gate.close()
  await admin?.quit()
})

describeInvalidationFeedContract({
  name: 'redis-tracking',
  leaseMs: 200,
  async create() {
    const prefix = uniqueName('t')
    const name = uniqueName('feed')
    const ns = keyNamespace(prefix)
    const { gate } = await openGateTo(TEST_REDIS_URL)
    gates.push(gate)
    const feed = createRedisTrackingFeed({
      client: { host: '127.0.0.1', port: gate.port, db: Number(target.pathname.slice(1) || 0), connectionName: name },
      prefixes: [ns.base],
      heartbeatPrefix: `${ns.base}__near_heartbeat__:`,
      heartbeatMs: 10,
      reconnectAfterMs: 500,
    })
    const writer = createRedisCache({ client: TEST_REDIS_URL, prefix })
    const neighbour = createRedisCache({ client: TEST_REDIS_URL, prefix: `${prefix}n` })
    return {
      feed,
      writer,
      neighbour,
      stored: (k) => ns.key(k),
      async killConnection() {
        const mine = (await admin.client('LIST')) as string
        const ids = mine.split('\n').filter((l) => l.includes(` name=${name} `)).map((l) => /^id=(\d+)/.exec(l)![1]!)
        if (ids.length !== 2) throw new Error(`expected the feed's two connections, found ${ids.length}`)
        for (const id of ids) await admin.client('KILL', 'ID', id)
      },
      silence: () => gate.silence(),
      restore: () => gate.open(),
      async collectExpired(key) {
        await admin.get(ns.key(key))
      },
      async close() {
        await feed.close()
        await writer.clear()
        await writer.close()
        await neighbour.close()
      },
    }
  },
})
