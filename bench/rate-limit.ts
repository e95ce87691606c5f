/**
 * `npm run bench:rate-limit`: what the API rate limit costs. In one run, on a real @hono/node-server
 * server (a child process on a free port) with BENCH_CONNECTIONS (50) keep-alive connections: the same
 * route bare, behind a no-op async middleware (the control: what any middleware costs on this server),
 * and behind the client-ip middleware + API limit (limit never reached), with the cache in memory and then
 * on Redis (a redis-server this run starts, so its `INFO commandstats` delta shows exactly the commands the
 * limiter sent: one EVALSHA per request).
 * BENCH_ROUNDS (6) rounds of BENCH_DURATION_MS (1500) per route, alternating direction; req/s and CPU are
 * medians over rounds, each ratio the median of the ratios within a round (both sides measured seconds
 * apart, so load from other work on a shared machine hits both alike).
 * Then the same routes in-process (CPU per request, no sockets). Targets: memory ≥ 0.9× bare, Redis ≥
 * 0.6× bare. About 2 minutes with the defaults.
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
const DURATION_MS = envInt('BENCH_DURATION_MS', 1500)
const WARMUP_MS = envInt('BENCH_WARMUP_MS', 1500)
const ROUNDS = envInt('BENCH_ROUNDS', 6)

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

const PATHS = ['/bare', '/noop', '/limited'] as const
type Path = (typeof PATHS)[number]
const LABELS: Record<Path, string> = { '/bare': 'bare', '/noop': 'no-op async middleware (control)', '/limited': 'API limit' }

interface Row {
  backend: string
  samples: Record<Path, Sample[]>
  commandsPerReq?: string
}

async function measureBackend(backend: 'memory' | 'redis', redisUrl?: string, redis?: Redis): Promise<Row> {
  progress(`${backend}: starting server`)
  const env: Record<string, string> = { CACHE_BACKEND: backend, CACHE_KEY_PREFIX: benchName('rl') }
  if (redisUrl) env.REDIS_URL = redisUrl
  const s = await startServer(env)
  try {
    progress(`${backend}: warm-up`)
    for (const path of PATHS) await load({ url: `${s.url}${path}`, connections: CONNECTIONS, durationMs: WARMUP_MS })
    const row: Row = { backend, samples: { '/bare': [], '/noop': [], '/limited': [] } }
    let commands = 0
    let limitedRequests = 0
    const perCommand = new Map<string, number>()
    for (let round = 0; round < ROUNDS; round++) {
      progress(`${backend}: round ${round + 1}/${ROUNDS}`)
      for (const path of round % 2 ? [...PATHS].reverse() : PATHS) {
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
          } else if (n > 0) throw new Error(`${path} sent ${n} Redis commands`)
        }
        row.samples[path].push(sample)
      }
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
/** Median over rounds of `path`'s req/s divided by `base`'s in the same round. */
const roundRatio = (r: Row, path: Path, base: Path) =>
  median(r.samples[path].map((s, i) => s.result.reqPerSec / r.samples[base][i]!.result.reqPerSec))

function table(rows: Row[]): string {
  const lines = [
    '| backend | route | req/s (median) | ratio to bare | target | ratio to control | p50 ms | p99 ms | server CPU µs/req | Redis round trips/req (commandstats) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ]
  for (const r of rows) {
    for (const path of PATHS) {
      const ss = r.samples[path]
      const cells = [
        fmt(median(ss.map((x) => x.result.reqPerSec))),
        path === '/bare' ? '(bare)' : `${roundRatio(r, path, '/bare').toFixed(2)}×`,
        '',
        path === '/limited' ? `${roundRatio(r, path, '/noop').toFixed(2)}×` : '',
        median(ss.map((x) => x.result.p50)).toFixed(2),
        median(ss.map((x) => x.result.p99)).toFixed(2),
        median(ss.map((x) => x.cpuMicrosPerReq)).toFixed(1),
        path === '/limited' ? (r.commandsPerReq ?? '–') : '',
      ]
      if (path === '/limited') {
        const target = r.backend === 'memory' ? 0.9 : 0.6
        cells[2] = `${roundRatio(r, path, '/bare') >= target ? '✅' : '❌'} ≥ ${target}×`
      }
      lines.push(`| ${r.backend} | ${LABELS[path]} | ${cells.join(' | ')} |`)
    }
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
    `${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_MS} ms per route, alternating order; ` +
      `load by ${hasWrk() ? 'wrk' : 'a keep-alive Node client (same machine)'}; Node ${process.version}.\n`,
  )
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`)
  process.exit(1)
})
