/**
 * `npm run bench:redis-targets`: the Redis cache adapter on the deployment targets of issue 13, each as a
 * ratio to the same adapter on a plain redis-server in the same run (all servers started here, on their
 * own loopback ports): TLS with a private CA, mutual TLS, and Valkey. What TLS costs a cache call, and
 * whether Valkey is a drop-in for speed too. BENCH_REDIS_OPS scales, BENCH_ROUNDS repeats (best kept).
 */
import { loadConfig } from '../src/config.js'
import { createRedisCache } from '../src/adapters/redis/cache.js'
import { redisTargetFrom } from '../src/composition/cache.js'
import type { CachePort } from '../src/ports/cache.js'
import { startOwnRedis } from '../test/helpers/redis-server.js'
import { makeCertificates, startTlsRedis } from '../test/helpers/tls-redis.js'
import { compare } from './lib/timing.js'
import { progress, streamTable } from './lib/report.js'
import { envInt } from './lib/services.js'

const ROUNDS = envInt('BENCH_ROUNDS', 2)
const OPS = envInt('BENCH_REDIS_OPS', 10_000)
const KEYS = 1024
const VALUE = 'Pemasangan 1 m3 bekisting untuk fondasi, beton mutu f\'c 19,3 MPa (K-225), upah dan bahan, SNI 7394'

/** The adapter as the composition root builds it from these variables (TLS files read the same way). */
function cacheFor(env: Record<string, string>): CachePort {
  const target = redisTargetFrom(loadConfig(env))!
  return createRedisCache({ client: target, prefix: 'bench-targets', commandTimeoutMs: 2000 })
}

async function main(): Promise<void> {
  const certs = await makeCertificates()
  const [plain, valkey, tls, mtls] = await Promise.all([
    startOwnRedis(),
    startOwnRedis([], 'valkey-server'),
    startTlsRedis(certs, false),
    startTlsRedis(certs, true),
  ])
  const baseline = cacheFor({ REDIS_URL: plain.url })
  const targets: [string, CachePort][] = [
    ['Valkey 8 (plain TCP)', cacheFor({ REDIS_URL: valkey.url })],
    ['Redis, TLS with a private CA', cacheFor({ REDIS_URL: tls.url, REDIS_TLS_CA_FILE: certs.ca })],
    ['Redis, mutual TLS', cacheFor({ REDIS_URL: mtls.url, REDIS_TLS_CA_FILE: certs.ca, REDIS_TLS_CERT_FILE: certs.clientCert, REDIS_TLS_KEY_FILE: certs.clientKey })],
  ]
  const emit = streamTable()
  try {
    for (const cache of [baseline, ...targets.map(([, c]) => c)]) {
      for (let i = 0; i < KEYS; i++) await cache.set(`k${i}`, VALUE, 60)
    }
    for (const concurrency of [1, 100]) {
      for (const op of ['get', 'set'] as const) {
        const call = (cache: CachePort) => (i: number) =>
          op === 'get' ? cache.get(`k${i % KEYS}`) : cache.set(`k${i % KEYS}`, VALUE, 60)
        for (const [name, cache] of targets) {
          progress(`${op} × ${OPS}, ${concurrency} in flight: ${name} vs plain Redis`)
          const r = await compare(call(baseline), call(cache), { ops: OPS, concurrency, rounds: ROUNDS })
          emit({ name: `adapter ${op}, plain Redis`, m: r.raw })
          emit({ name: `adapter ${op}, ${name}`, m: r.adapter, raw: r.raw })
        }
      }
    }
  } finally {
    for (const cache of [baseline, ...targets.map(([, c]) => c)]) await cache.close()
    await Promise.all([plain.stop(), valkey.stop(), tls.stop(), mtls.stop()])
    certs.remove()
  }
}

await main()
