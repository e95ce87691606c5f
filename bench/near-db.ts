/**
 * `npm run bench:near-db`: the near cache on the db backend (docs/near-cache-db.md), the PostgreSQL half of
 * `bench:near`. In one run, in a schema of its own on the local PostgreSQL, with real @hono/node-server
 * servers (child processes, bench/auth-server.ts: the whole app, API rate limit on, never reached):
 * 1. `/auth/me` and a cached search hit on memory, on db with CACHE_NEAR=true and on db without it: req/s,
 *    ratio to memory (median of per-round ratios, alternating order). The db servers keep users and
 *    sessions in PostgreSQL (DATABASE_URL) and an empty catalog (not seeded); the memory server all in memory.
 * 2. Staleness across instances: three near servers on one PostgreSQL (CACHE_BACKEND=db); BENCH_TRIALS
 *    times a session is read twice on B and C, ended on A, and B and C polled until they refuse it: ms from
 *    A's logout answer to each refusal (the HTTP round trip included: an upper bound), and the requests
 *    started after A's answer that were still served. The near counters of B and C after the run.
 * 3. The channel alone, in process: a write's acknowledgement → its invalidation at a feed listener.
 * 4. Idle: the heartbeats a db + near server sends in 5 s with no near reads (they are on demand).
 * Targets (issue 16): staleness p50 ≤ 5 ms, p99 ≤ 20 ms, max ≤ 50 ms.
 */
import { createPgInvalidationFeed } from '../src/adapters/sql/invalidation-feed.js'
import { createSqlCache } from '../src/adapters/sql/cache.js'
import { keyNamespace } from '../src/adapters/shared/keys.js'
import { progress } from './lib/report.js'
import { stopChildServer } from './lib/child-server.js'
import { benchName, benchSchema, envInt } from './lib/services.js'
import { deliveryLatency, throughput, fmt, login, median, nearStats, pct, SEARCH, spread, startServer, staleness, type Server } from './lib/near-fleet.js'

const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50)
const DURATION_MS = envInt('BENCH_DURATION_MS', 1500)
const ROUNDS = envInt('BENCH_ROUNDS', 4)
const TRIALS = envInt('BENCH_TRIALS', 1000)
const IDLE_MS = 5000
/** The PostgreSQL LISTEN/NOTIFY feed's delivery latency (bench/lib/near-fleet.ts), writes through another pool. */
async function pgDeliveryLatency(url: string, trials: number): Promise<number[]> {
  const prefix = benchName('deliver')
  const ns = keyNamespace(prefix)
  const feed = createPgInvalidationFeed({ url, prefix, heartbeatMs: 10 })
  const writer = await createSqlCache({ url, prefix, pruneInterval: 0, maxEntries: trials * 2 })
  try {
    return await deliveryLatency(feed, async (i) => (await writer.set(`k${i}`, 1, 60), ns.key(`k${i}`)), trials)
  } finally {
    await writer.clear()
    await Promise.all([feed.close(), writer.close()])
  }
}

async function main() {
  const schema = await benchSchema('neardb')
  const servers: Server[] = []
  try {
    progress('starting servers')
    // Not seeded: a seed's catalog bit update ran for minutes on this loaded machine, holding the catalog
    // import lock every other seed waits on. The search hit is then a cached empty answer on db.
    const db = { CACHE_BACKEND: 'db', DATABASE_URL: schema.url, CATALOG_SEED: 'false' }
    const memory = await startServer('memory', { CACHE_BACKEND: 'memory' })
    const near = await startServer('db + near', { ...db, CACHE_NEAR: 'true', CACHE_KEY_PREFIX: benchName('near') })
    const plain = await startServer('db', { ...db, CACHE_KEY_PREFIX: benchName('plain') })
    servers.push(memory, near, plain)
    const sids = new Map<Server, string>()
    for (const s of servers) sids.set(s, await login(s))
    const rps = await throughput(servers, sids, { rounds: ROUNDS, connections: CONNECTIONS, durationMs: DURATION_MS })
    const lines = ['| route | backend | req/s (median) | ratio to memory |', '|---|---|---:|---:|']
    for (const route of ['me', 'search'] as const) {
      const base = rps.get(`memory|${route}`)!
      for (const s of servers) {
        const mine = rps.get(`${s.name}|${route}`)!
        const ratio = median(mine.map((v, i) => v / base[i]!))
        const label = route === 'me' ? '/auth/me (session, API rate limit on)' : `${SEARCH} (cached hit${s === memory ? '' : ', empty catalog'})`
        lines.push(`| ${label} | ${s.name} | ${fmt(median(mine))} | ${s === memory ? '(memory)' : `${ratio.toFixed(2)}×`} |`)
      }
    }
    const nearThroughput = await nearStats(near, sids.get(near)!)
    progress('idle: heartbeats of a db + near server nobody reads from')
    const beats = async () => ((await nearStats(near, sids.get(near)!))?.feed as { heartbeats: number }).heartbeats
    const idle0 = await beats()
    await new Promise((r) => setTimeout(r, IDLE_MS))
    const idleBeats = (await beats()) - idle0
    for (const s of servers.splice(0)) await stopChildServer(s)

    progress('staleness: three near servers on one PostgreSQL (CACHE_BACKEND=db)')
    const fleetEnv = { ...db, CACHE_NEAR: 'true', CACHE_KEY_PREFIX: benchName('fleet') }
    const [a, b, c] = [await startServer('A', fleetEnv), await startServer('B', fleetEnv), await startServer('C', fleetEnv)]
    servers.push(a!, b!, c!)
    const stale = await staleness(a!, [b!, c!], TRIALS)
    const adminSid = await login(b!)
    const fleetNear = [await nearStats(b!, adminSid), await nearStats(c!, await login(c!))]
    progress('invalidation delivery, the channel alone')
    const delivery = await pgDeliveryLatency(schema.url, TRIALS)

    const out = process.stdout
    const check = (ok: boolean) => (ok ? '✅' : '❌')
    out.write(`\n${lines.join('\n')}\n\n`)
    const s = stale.untilRefused
    out.write(`| staleness after a logout, 3 near servers on one PostgreSQL (${TRIALS} trials × 2 instances) | n | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n`)
    out.write(`| A's answer → the other's first refusal answered (HTTP round trip included: an upper bound) | ${s.length} | ${spread(s)} |\n`)
    out.write(`| stale reads: requests started after A's answer still served the session (start − A's answer) | ${stale.staleReads.length} | ${spread(stale.staleReads)} |\n`)
    out.write(`| the channel alone, in process: a write's acknowledgement → its invalidation at a feed listener | ${delivery.length} | ${spread(delivery)} |\n\n`)
    out.write(`Target p50 ≤ 5, p99 ≤ 20, max ≤ 50 (first row) → ${check(pct(s, 0.5) <= 5 && pct(s, 0.99) <= 20 && Math.max(...s) <= 50)}\n\n`)
    const pick = (n: Record<string, unknown> | undefined) =>
      n ? `hits ${n.hits}, misses ${n.misses}, bypasses ${n.bypasses}, invalidations ${n.invalidations}, flushes ${n.flushes}` : '–'
    out.write(`Idle: the db + near server's feed confirmed ${idleBeats} heartbeats (notifying commits) in ${IDLE_MS} ms with no near reads; heartbeats are on demand (a 10 ms timer would send ${IDLE_MS / 10}).\n`)
    out.write(`Near counters: db + near after the throughput rounds: ${pick(nearThroughput)}; B after the staleness trials: ${pick(fleetNear[0])}; C: ${pick(fleetNear[1])}.\n`)
    out.write(`\n${CONNECTIONS} connections, ${DURATION_MS} ms per sample, ${ROUNDS} rounds (alternating order), keep-alive Node load client on the same machine; Node ${process.version}.\n`)
  } finally {
    for (const s of servers) await stopChildServer(s)
    await schema.drop()
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`)
  process.exit(1)
})
