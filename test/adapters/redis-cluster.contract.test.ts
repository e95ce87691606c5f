import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Cluster, Redis } from 'ioredis'
import { describeCachePortContract } from '../contracts/cache.contract.js'
import { createRedisCache } from '../../src/adapters/redis/cache.js'
import { startOwnRedisCluster, type OwnRedisCluster } from '../helpers/redis-cluster.js'
import { SERVERS } from '../helpers/redis-server.js'

// The same suite on a Redis Cluster and on a Valkey cluster (the adapter must need no change for either).
describe.each(SERVERS)('cluster of %s', (server) => {
  let cluster: OwnRedisCluster
  let client: Cluster

  beforeAll(async () => {
    cluster = await startOwnRedisCluster(3, server)
    client = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })), { enableAutoPipelining: true })
    await client.ping()
  }, 60_000)

  afterAll(async () => {
    await client?.quit().catch(() => client.disconnect())
    await cluster?.stop()
  })

  // A Cluster client passed in: every command single-key, multi-key operations spread over the slots.
  describeCachePortContract({ name: `${server} cluster`, create: (o) => createRedisCache({ client, ...o }) })

  describe('redis adapter on a 3-master cluster', () => {
    it(`runs on ${server}`, async () => {
      const info = await client.nodes('master')[0]!.info('server')
      expect(/^valkey_version:/m.test(info)).toBe(server === 'valkey-server')
    })

    it('spreads keys over every master and clears them on every master', async () => {
      const cache = createRedisCache({ client, prefix: 'spread' })
      await cache.setMany(Array.from({ length: 300 }, (_, i) => [`k${i}`, i] as const), 60)
      const perNode = async () => Promise.all(client.nodes('master').map((n: Redis) => n.keys('spread:1:*').then((k) => k.length)))
      const before = await perNode()
      expect(before.filter((n) => n > 0)).toHaveLength(3)
      expect(before.reduce((a, b) => a + b, 0)).toBe(300)
      expect(await cache.deleteMany(['k0', 'k1', 'k2', 'nope'])).toBe(3)
      expect(await cache.getMany(['k3', 'k4', 'k0'])).toEqual([3, 4, undefined])
      await cache.clear()
      expect(await perNode()).toEqual([0, 0, 0])
    })

    it('builds its own Cluster client from REDIS_URL with ?cluster=true, and closes it', async () => {
      const cache = createRedisCache({ client: cluster.url, prefix: 'url' })
      await cache.set('a', 1)
      await cache.set('b', 2)
      expect(await cache.getMany(['a', 'b'])).toEqual([1, 2])
      expect((await cache.incr('n', 2, 60)).value).toBe(2)
      await cache.clear()
      await cache.close()
      await expect(cache.get('a')).rejects.toMatchObject({ code: 'CACHE.UNAVAILABLE' })
    })
  })
})
