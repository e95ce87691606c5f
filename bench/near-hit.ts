import { createNearCache } from '../src/adapters/near/near-cache.js'
import { createMemoryCache } from '../src/adapters/memory/cache.js'
import { cloneJson } from '../src/adapters/memory/json-clone.js'
import { createRedisCache } from '../src/adapters/redis/cache.js'
import { createRedisTrackingFeed } from '../src/adapters/redis/tracking-feed.js'
import { keyNamespace } from '../src/adapters/shared/keys.js'
import { benchName } from './lib/services.js'
import { deliveryLatency } from './lib/near-fleet.js'

/** A cached session entry's shape and size. */
const SESSION = { userId: 'u-1234567890', username: 'bench-admin', role: 'admin', expiresAt: 1_800_000_000_000, createdAt: 1_700_000_000_000 }
const KEY = `session:${'ab'.repeat(32)}`

async function nsPerOp(n: number, op: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(n, 10_000); i++) await op()
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await op()
  return Number(process.hrtime.bigint() - start) / n
}

/** ns per read of one session entry: near hit vs `Map.get` (+ the copy every cache hands out) vs memory adapter vs Redis. */
export async function nearHitCost(redisUrl: string): Promise<[string, number][]> {
  const prefix = benchName('hit')
  const ns = keyNamespace(prefix, 1)
  const feed = createRedisTrackingFeed({ client: redisUrl, prefixes: [ns.base + 'session:'], heartbeatPrefix: `${ns.base}__near_heartbeat__:` })
  const redis = createRedisCache({ client: redisUrl, prefix })
  const near = createNearCache(redis, feed, { prefix, prefixes: ['session:'] })
  const memory = createMemoryCache({ prefix })
  const map = new Map([[KEY, SESSION]])
  try {
    for (let i = 0; i < 500 && !near.nearStats().live; i++) await new Promise((r) => setTimeout(r, 10))
    await near.set(KEY, SESSION, 600)
    await memory.set(KEY, SESSION, 600)
    await near.get(KEY)
    const rows: [string, number][] = [
      ['Map.get (no copy)', await nsPerOp(1_000_000, () => map.get(KEY))],
      ['Map.get + cloneJson (the copy a cache hands out)', await nsPerOp(1_000_000, () => cloneJson(map.get(KEY)))],
      ['memory adapter get', await nsPerOp(300_000, () => memory.get(KEY))],
      ['near.get, a hit (Redis behind it)', await nsPerOp(300_000, () => near.get(KEY))],
      ['redis adapter get (a round trip, one at a time)', await nsPerOp(20_000, () => redis.get(KEY))],
    ]
    const stats = near.nearStats()
    if (stats.bypasses > 0 || stats.misses > 1) rows.push([`(near: ${stats.bypasses} bypasses, ${stats.misses} misses during the run)`, 0])
    return rows
  } finally {
    await near.clear()
    await Promise.all([near.close(), memory.close()])
  }
}

/** The Redis tracking feed's delivery latency (bench/lib/near-fleet.ts), writes by a separate connection. */
export async function redisDeliveryLatency(redisUrl: string, trials: number): Promise<number[]> {
  const { Redis } = await import('ioredis')
  const prefix = benchName('deliver')
  const feed = createRedisTrackingFeed({ client: redisUrl, prefixes: [`${prefix}:`], heartbeatPrefix: `${prefix}-hb:` })
  const writer = new Redis(redisUrl)
  try {
    return await deliveryLatency(feed, async (i) => (await writer.set(`${prefix}:k${i}`, '1', 'PX', 10_000), `${prefix}:k${i}`), trials)
  } finally {
    writer.disconnect()
    await feed.close()
  }
}
