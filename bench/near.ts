/**
 * `npm run bench:near`: the near cache of issue 16 (docs/near-cache.md). In one run, on a redis-server of
 * its own and real @hono/node-server servers (child processes; bench/auth-server.ts, the whole app with
 * the API rate limit on, a limit never reached):
 * 1. `/auth/me` with a valid session and a cached search hit (`/ahsp/search`), on the memory backend, on
 *    Redis with CACHE_NEAR=true and on Redis without it: req/s, ratio to memory (median of per-round
 *    ratios, BENCH_ROUNDS rounds alternating order), Redis commands per request from INFO commandstats.
 *    Stores stay in memory on every server, so only the cache backend differs. Beside req/s, the app
 *    server's CPU per request and Redis' own (INFO cpu): on this 2-core machine the load client, the app
 *    and Redis share the cores, so Redis' CPU is taken from the app's req/s in a way it would not be with
 *    Redis on its own host. And the search hit once more with a client address per connection: one session
 *    (or address) on every connection lets the rate limiter share round trips between concurrent hits
 *    (src/use-cases/rate-limit/coalesced-counter.ts), distinct clients cannot.
 * 2. Staleness across instances: three near servers on one Redis; BENCH_TRIALS times, a session is read
 *    twice on B and C (near copies), ended on A, and B and C are polled over HTTP until they refuse it:
 *    ms from A's logout answer to each refusal (the polling round trip included: an upper bound).
 *    And the channel alone: a write's acknowledgement → its invalidation at a feed listener, in process.
 * 3. What a near hit costs in process: `near.get` vs a `Map.get` + copy vs the memory adapter vs a Redis GET.
 * Targets: /auth/me near ≥ 0.9× memory, Redis GETs per /auth/me ≤ 0.05, search hit ≥ 0.95× memory,
 * staleness p50 ≤ 5 ms, p99 ≤ 20 ms, max ≤ 50 ms. About 2 minutes with the defaults.
 */
import { Redis } from 'ioredis'
import { startOwnRedis } from '../test/helpers/redis-server.js'
import { progress } from './lib/report.js'
import { commandDelta, commandStats } from './lib/redis-stats.js'
import { serverCpuMicros, stopChildServer } from './lib/child-server.js'
import { benchName, benchSchema, envInt } from './lib/services.js'
import { redisDeliveryLatency, nearHitCost } from './near-hit.js'
import { fmt, throughput, login, median, pct, SEARCH, startServer, staleness, type Server } from './lib/near-fleet.js'

const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50)
const DURATION_MS = envInt('BENCH_DURATION_MS', 1500)
const ROUNDS = envInt('BENCH_ROUNDS', 6)
const TRIALS = envInt('BENCH_TRIALS', 1000)

/** Redis' own CPU (user + system) in µs, from INFO cpu: what the server spends, which shares this machine's cores. */
async function redisCpuMicros(redis: Redis): Promise<number> {
  const info = await redis.info('cpu')
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN)
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1e6
}

/** The fleet's throughput (bench/lib/near-fleet.ts), with each sample's Redis commands and CPU (app server, Redis). */
async function throughputWithCosts(servers: Server[], sids: Map<Server, string>, redis: Redis) {
  const commands = new Map<string, { requests: number; counts: Map<string, number>; serverCpu: number; redisCpu: number }>()
  const rps = await throughput(servers, sids, {
    routes: ['me', 'search', 'clients'],
    rounds: ROUNDS,
    connections: CONNECTIONS,
    durationMs: DURATION_MS,
    async sample(s, route, run) {
      const [before, cpu0, redis0] = [await commandStats(redis), await serverCpuMicros(s.url), await redisCpuMicros(redis)]
      const result = await run()
      const [cpu1, redis1] = [await serverCpuMicros(s.url), await redisCpuMicros(redis)]
      const delta = commandDelta(before, await commandStats(redis))
      const key = `${s.name}|${route}`
      const c = commands.get(key) ?? { requests: 0, counts: new Map<string, number>(), serverCpu: 0, redisCpu: 0 }
      c.requests += result.requests
      c.serverCpu += cpu1 - cpu0
      c.redisCpu += redis1 - redis0
      for (const [k, v] of delta) c.counts.set(k, (c.counts.get(k) ?? 0) + v)
      commands.set(key, c)
      return result
    },
  })
  return { rps, commands }
}

/** CPU ms per second of two idle servers (near on / off) over the same IDLE_MS, and Redis commands/s meanwhile. */
async function idleCost(near: Server, plain: Server, redis: Redis) {
  const IDLE_MS = 5000
  const cpu = (s: Server) => serverCpuMicros(s.url)
  const [n0, p0, c0] = [await cpu(near), await cpu(plain), await commandStats(redis)]
  await new Promise((r) => setTimeout(r, IDLE_MS))
  const [n1, p1, c1] = [await cpu(near), await cpu(plain), await commandStats(redis)]
  const commands = [...commandDelta(c0, c1).values()].reduce((a, b) => a + b, 0)
  return { near: (n1 - n0) / IDLE_MS, plain: (p1 - p0) / IDLE_MS, commandsPerSec: (commands * 1000) / IDLE_MS }
}

async function main() {
  const own = await startOwnRedis()
  const redis = new Redis(own.url)
  const shared = benchName('near')
  const servers: Server[] = []
  let schema: Awaited<ReturnType<typeof benchSchema>> | undefined
  try {
    progress('starting servers')
    // TRUST_PROXY: the `clients` route gives each connection its own address (X-Forwarded-For).
    const memory = await startServer('memory', { CACHE_BACKEND: 'memory', TRUST_PROXY: 'true' })
    const near = await startServer('redis + near', { CACHE_BACKEND: 'redis', REDIS_URL: own.url, CACHE_NEAR: 'true', CACHE_KEY_PREFIX: shared, TRUST_PROXY: 'true' })
    const plain = await startServer('redis', { CACHE_BACKEND: 'redis', REDIS_URL: own.url, CACHE_KEY_PREFIX: benchName('plain'), TRUST_PROXY: 'true' })
    servers.push(memory, near, plain)
    const sids = new Map<Server, string>()
    for (const s of servers) sids.set(s, await login(s))
    progress('idle cost of the feed (heartbeats)')
    const idle = await idleCost(near, plain, redis)
    const { rps, commands } = await throughputWithCosts(servers, sids, redis)
    const lines = [
      '| route | backend | req/s (median) | ratio to memory | app server CPU µs/req | Redis CPU µs/req | Redis commands/req |',
      '|---|---|---:|---:|---:|---:|---|',
    ]
    const ratios = new Map<string, number>()
    const labels = { me: '/auth/me (session, API rate limit on)', search: `${SEARCH} (cached hit)`, clients: `${SEARCH} (cached hit, an address per connection)` }
    for (const route of ['me', 'search', 'clients'] as const) {
      const base = rps.get(`memory|${route}`)!
      for (const s of servers) {
        const mine = rps.get(`${s.name}|${route}`)!
        const ratio = median(mine.map((v, i) => v / base[i]!))
        ratios.set(`${s.name}|${route}`, ratio)
        const c = commands.get(`${s.name}|${route}`)!
        const per = [...c.counts.entries()].map(([k, v]) => `${k} ${(v / c.requests).toFixed(3)}`).join(', ') || '–'
        const label = labels[route]
        const cpu = `${(c.serverCpu / c.requests).toFixed(1)} | ${s === memory ? '–' : (c.redisCpu / c.requests).toFixed(1)}`
        lines.push(`| ${label} | ${s.name} | ${fmt(median(mine))} | ${s === memory ? '(memory)' : `${ratio.toFixed(2)}×`} | ${cpu} | ${s === memory ? '–' : per} |`)
      }
    }
    const nearMe = commands.get('redis + near|me')!
    const getsPerMe = (nearMe.counts.get('get') ?? 0) / nearMe.requests

    for (const s of servers.splice(0)) await stopChildServer(s)
    progress('staleness: three near servers on one Redis and one PostgreSQL (the session store they share)')
    schema = await benchSchema('near')
    const fleetEnv = { CACHE_BACKEND: 'redis', REDIS_URL: own.url, DATABASE_URL: schema.url, CATALOG_SEED: 'false', CACHE_NEAR: 'true', CACHE_KEY_PREFIX: shared }
    const [a, b, c] = [await startServer('A', fleetEnv), await startServer('B', fleetEnv), await startServer('C', fleetEnv)]
    servers.push(a!, b!, c!)
    const stale = await staleness(a!, [b!, c!], TRIALS)
    progress('near hit cost, invalidation delivery')
    const hit = await nearHitCost(own.url)
    const delivery = await redisDeliveryLatency(own.url, TRIALS)

    const out = process.stdout
    out.write(`\n${lines.join('\n')}\n\n`)
    const check = (ok: boolean) => (ok ? '✅' : '❌')
    const meRatio = ratios.get('redis + near|me')!
    const searchRatio = ratios.get('redis + near|search')!
    const clientsRatio = ratios.get('redis + near|clients')!
    out.write(`Target: /auth/me on Redis + near ≥ 0.90× memory → ${meRatio.toFixed(2)}× ${check(meRatio >= 0.9)}\n`)
    out.write(`Target: Redis GETs per /auth/me ≤ 0.05 → ${getsPerMe.toFixed(4)} ${check(getsPerMe <= 0.05)}\n`)
    out.write(`Target: cached search hit on Redis + near ≥ 0.95× memory → ${searchRatio.toFixed(2)}× ${check(searchRatio >= 0.95)}\n`)
    // One session (or one address) on 50 connections lets the limiter share round trips (coalesced-counter.ts);
    // 50 clients cannot, so this row is what a crowd of distinct clients sees.
    out.write(`Beside it, the same hit with an address per connection (no shared rate-limit round trips): ${clientsRatio.toFixed(2)}× memory\n\n`)
    const s = stale.untilRefused
    const r = stale.staleReads
    out.write(`| staleness after a logout, 3 near servers on one Redis (${TRIALS} trials × 2 instances) | n | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n`)
    out.write(`| A's answer → the other's first refusal answered (HTTP round trip included: an upper bound) | ${s.length} | ${pct(s, 0.5).toFixed(2)} | ${pct(s, 0.99).toFixed(2)} | ${Math.max(...s).toFixed(2)} |\n`)
    const rs = r.length === 0 ? ['–', '–', '–'] : [pct(r, 0.5), pct(r, 0.99), Math.max(...r)].map((x) => x.toFixed(2))
    out.write(`| stale reads: requests started after A's answer still served the session (start − A's answer) | ${r.length} | ${rs.join(' | ')} |\n\n`)
    const d = delivery
    out.write(`| the channel alone, in process: a write's acknowledgement → its invalidation at a feed listener | ${d.length} | ${pct(d, 0.5).toFixed(2)} | ${pct(d, 0.99).toFixed(2)} | ${Math.max(...d).toFixed(2)} |\n\n`)
    out.write(`Target p50 ≤ 5, p99 ≤ 20, max ≤ 50 (first row) → ${check(pct(s, 0.5) <= 5 && pct(s, 0.99) <= 20 && Math.max(...s) <= 50)}\n\n`)
    out.write(`Idle cost of the near tier (heartbeat every 10 ms): server CPU ${idle.near.toFixed(1)} ms/s with it, ${idle.plain.toFixed(1)} ms/s without; Redis ${fmt(idle.commandsPerSec)} commands/s (both servers idle).\n\n`)
    out.write('| one read in process | ns/op |\n|---|---:|\n')
    for (const [name, ns] of hit) out.write(`| ${name} | ${fmt(ns)} |\n`)
    out.write(
      `\n${CONNECTIONS} connections, ${DURATION_MS} ms per sample, ${ROUNDS} rounds (alternating order), keep-alive Node load client on the same machine; Node ${process.version}.\n`,
    )
  } finally {
    for (const s of servers) await stopChildServer(s)
    redis.disconnect()
    await own.stop()
    await schema?.drop()
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`)
  process.exit(1)
})
