/**
 * `npm run bench:rate-limit`: what the API rate limit costs. In one run, on a real @hono/node-server
 * server (a child process on a free port) with BENCH_CONNECTIONS (50) keep-alive connections: the same
 * route bare and behind the client-ip middleware + API limit (limit never reached), with the cache in
 * memory and then on Redis (a redis-server this run starts, so its `INFO commandstats` delta shows
 * exactly the commands the limiter sent: one EVALSHA per request).
 * BENCH_ROUNDS (3) rounds of each route, alternating (bare, limited, limited, bare, …) so drift hits both
 * alike; the table shows each route's best round (highest req/s, lowest server CPU per request): other
 * work on the machine only ever slows a round down, so the best one is the closest to the route's cost.
 * Then the same routes in-process (CPU per request, no sockets). Targets: memory ≥ 0.9× bare, Redis ≥
 * 0.6× bare. About 100 s with the defaults.
 */
import type { ChildProcess } from 'node:child_process'
import { Redis } from 'ioredis'
import { freePort, startOwnRedis } from '../test/helpers/redis-server.js'
import { createCacheFromConfig } from '../src/composition/cache.js'
import { loadConfig } from '../src/config.js'
import { silentLogger } from '../src/ports/logger.js'
import { hasWrk, load, type LoadResult } from './lib/http-load.js'
import { rateLimitBenchApp } from './lib/rate-limit-app.js'
import { progress } from './lib/report.js'
import { commandDelta, commandStats } from './lib/redis-stats.js'
import { serverCpuMicros, startChildServer, stopChildServer } from './lib/child-server.js'
import { benchName, envInt } from './lib/services.js'

const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50)
const DURATION_MS = envInt('BENCH_DURATION_MS', 4000)
const WARMUP_MS = envInt('BENCH_WARMUP_MS', 1500)
const ROUNDS = envInt('BENCH_ROUNDS', 3)

interface Server {
  url: string
  child: ChildProcess
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort()
  const { child } = await startChildServer('bench/rate-limit-server.ts', { ...env, PORT: String(port) }, 20_000)
  return { url: `http://127.0.0.1:${port}`, child }
}

const stopServer = stopChildServer
const cpu = (s: Server): Promise<number> => serverCpuMicros(s.url)

interface Sample {
  result: LoadResult
  cpuMicrosPerReq: number
}

async function run(s: Server, path: string): Promise<Sample> {
  const before = await cpu(s)
  const result = await load({ url: `${s.url}${path}`, connections: CONNECTIONS, durationMs: DURATION_MS })
  const cpuMicrosPerReq = ((await cpu(s)) - before) / Math.max(1, result.requests)
  if (result.errors > 0) throw new Error(`${path}: ${result.errors} unexpected answers`)
  return { result, cpuMicrosPerReq }
}

/**
 * Commands the adapter's incr script runs inside Redis: commandstats counts them too, but they are no
 * round trip. Everything else (EVALSHA, EVAL, any plain command) is one.
 */
const INSIDE_SCRIPT = new Set(['pttl', 'incrby', 'pexpire'])

interface Row {
  backend: string
  bare: Sample[]
  limited: Sample[]
  commandsPerReq?: string
}

async function measureBackend(backend: 'memory' | 'redis', redisUrl?: string, redis?: Redis): Promise<Row> {
  progress(`${backend}: starting server`)
  const env: Record<string, string> = { CACHE_BACKEND: backend, CACHE_KEY_PREFIX: benchName('rl') }
  if (redisUrl) env.REDIS_URL = redisUrl
  const s = await startServer(env)
  try {
    progress(`${backend}: warm-up`)
    await load({ url: `${s.url}/bare`, connections: CONNECTIONS, durationMs: WARMUP_MS })
    await load({ url: `${s.url}/limited`, connections: CONNECTIONS, durationMs: WARMUP_MS })
    const row: Row = { backend, bare: [], limited: [] }
    let commands = 0
    let limitedRequests = 0
    const perCommand = new Map<string, number>()
    const order = Array.from({ length: ROUNDS }, (_, i) => (i % 2 ? ['/limited', '/bare'] : ['/bare', '/limited'])).flat()
    for (const path of order) {
      progress(`${backend}: ${path} for ${DURATION_MS} ms`)
      const before = redis ? await commandStats(redis) : undefined
      const sample = await run(s, path)
      if (redis && before) {
        const d = commandDelta(before, await commandStats(redis))
        const n = [...d].filter(([k]) => !INSIDE_SCRIPT.has(k)).reduce((a, [, v]) => a + v, 0)
        if (path === '/limited') {
          // /__cpu calls go to the server, not Redis: everything counted here came from the limiter.
          commands += n
          limitedRequests += sample.result.requests
          for (const [k, v] of d) perCommand.set(k, (perCommand.get(k) ?? 0) + v)
        } else if (n > 0) throw new Error(`the bare route sent ${n} Redis commands`)
      }
      ;(path === '/bare' ? row.bare : row.limited).push(sample)
    }
    if (redis) {
      const names = [...perCommand.entries()].map(([k, v]) => `${k} ${v}`).join(', ')
      row.commandsPerReq = `${(commands / limitedRequests).toFixed(3)} (${names}; ${limitedRequests} requests)`
    }
    return row
  } finally {
    await stopServer(s)
  }
}

const best = (samples: Sample[]) => samples.reduce((a, b) => (b.result.reqPerSec > a.result.reqPerSec ? b : a))
const minCpu = (samples: Sample[]) => Math.min(...samples.map((s) => s.cpuMicrosPerReq))
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

function table(rows: Row[]): string {
  const lines = [
    '| backend | route | req/s best (all rounds) | ratio to bare | target | p50 ms | p99 ms | server CPU µs/req (min) | Redis round trips/req (commandstats) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
  ]
  for (const r of rows) {
    const bare = best(r.bare).result.reqPerSec
    const limited = best(r.limited).result.reqPerSec
    const target = r.backend === 'memory' ? 0.9 : 0.6
    const ratio = limited / bare
    const cells = (samples: Sample[]) => {
      const b = best(samples).result
      const all = samples.map((s) => fmt(s.result.reqPerSec)).join(' / ')
      return [`${fmt(b.reqPerSec)} (${all})`, b.p50.toFixed(2), b.p99.toFixed(2), minCpu(samples).toFixed(1)]
    }
    const [bRps, bP50, bP99, bCpu] = cells(r.bare)
    const [lRps, lP50, lP99, lCpu] = cells(r.limited)
    lines.push(`| ${r.backend} | bare | ${bRps} | (bare) | | ${bP50} | ${bP99} | ${bCpu} | |`)
    const verdict = `${ratio >= target ? '✅' : '❌'} ≥ ${target}×`
    lines.push(`| ${r.backend} | API limit | ${lRps} | ${ratio.toFixed(2)}× | ${verdict} | ${lP50} | ${lP99} | ${lCpu} | ${r.commandsPerReq ?? '–'} |`)
  }
  return lines.join('\n')
}

/**
 * The same two routes through `app.fetch` in this process, no sockets: CPU time per request, lowest of
 * BENCH_CPU_ROUNDS alternating rounds. Other load on the machine only adds to CPU time, so the lowest
 * round is the closest to the code's cost; the difference is what the limit costs the server.
 */
async function cpuInProcess(backend: 'memory' | 'redis', redisUrl?: string): Promise<string> {
  const env: Record<string, string> = { CACHE_BACKEND: backend, CACHE_STRICT: 'true', CACHE_KEY_PREFIX: benchName('rlcpu') }
  if (redisUrl) env.REDIS_URL = redisUrl
  const cache = await createCacheFromConfig(loadConfig(env), silentLogger)
  const { app } = rateLimitBenchApp(cache)
  const perPath = new Map<string, number>()
  const N = 20_000
  try {
    for (let round = 0; round < envInt('BENCH_CPU_ROUNDS', 7) + 1; round++) {
      for (const path of round % 2 ? ['/limited', '/bare'] : ['/bare', '/limited']) {
        const req = new Request(`http://bench${path}`)
        let next = 0
        const c0 = process.cpuUsage()
        await Promise.all(
          Array.from({ length: CONNECTIONS }, async () => {
            while (next++ < N) await (await app.fetch(req)).arrayBuffer()
          }),
        )
        const c1 = process.cpuUsage(c0)
        if (round > 0) perPath.set(path, Math.min(perPath.get(path) ?? Infinity, (c1.user + c1.system) / N))
      }
    }
  } finally {
    await cache.clear()
    await cache.close()
  }
  const bare = perPath.get('/bare')!
  const limited = perPath.get('/limited')!
  return `| ${backend} | ${bare.toFixed(1)} | ${limited.toFixed(1)} | +${(limited - bare).toFixed(1)} | ${(bare / limited).toFixed(2)}× |`
}

async function main() {
  progress(`load generator: ${hasWrk() ? 'wrk' : 'keep-alive Node client'}, ${CONNECTIONS} connections`)
  const rows: Row[] = []
  const cpuRows: string[] = []
  rows.push(await measureBackend('memory'))
  progress('memory: in-process CPU')
  cpuRows.push(await cpuInProcess('memory'))
  const own = await startOwnRedis()
  const redis = new Redis(own.url)
  try {
    rows.push(await measureBackend('redis', own.url, redis))
    progress('redis: in-process CPU')
    cpuRows.push(await cpuInProcess('redis', own.url))
  } finally {
    redis.disconnect()
    await own.stop()
  }
  process.stdout.write(`\n${table(rows)}\n\n`)
  process.stdout.write('In-process (app.fetch, no sockets), CPU µs per request, lowest round:\n\n')
  process.stdout.write(`| backend | bare | API limit | limit costs | CPU ratio |\n|---|---:|---:|---:|---:|\n${cpuRows.join('\n')}\n\n`)
  process.stdout.write(
    `${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_MS} ms per route (best shown), ` +
      `load by ${hasWrk() ? 'wrk' : 'a keep-alive Node client (same machine)'}; Node ${process.version}.\n`,
  )
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`)
  process.exit(1)
})
