/**
 * `npm run bench:runtimes`: the same app served by Node (`node dist/node/main.js`, the production start), Bun
 * (`bun src/main.bun.ts`, Bun.serve) and Deno (`npm run start:deno`, Deno.serve) in one run (BENCH_RUNTIMES, comma
 * separated, picks; a runtime is one entry of RUNTIMES below), under the same load generator
 * (wrk when installed, else a keep-alive Node client) with BENCH_CONNECTIONS (50) connections:
 * a bare `/health`, a cached search hit, and `/auth/me` with a valid session (session lookup on every call).
 * Memory cache by default (the runtime, not the network, is what differs); BENCH_BACKEND=redis puts the
 * cache on the local Redis. Request logging at BENCH_LOG_LEVEL (warn: no per-request line), rate limits on.
 * Both servers run side by side; every route is warmed up on each (BENCH_WARMUP_MS=2000: JIT, pools,
 * caches), then measured in BENCH_ROUNDS=3 rounds of BENCH_DURATION_MS=3000 per route and runtime, the
 * runtimes alternating, so load from elsewhere on a shared machine hits both alike. Reported: median
 * req/s, p99, the median of the per-round ratios to Node, and start-up to first answer (spawn → `/health` 200). About 80 s with the defaults.
 */
import { execFileSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { RUNTIME_COMMANDS, startServer, type Runtime, type ServerProcess } from '../test/helpers/server-process.js'
import { createRedisCache } from '../src/adapters/redis/cache.js'
import { hasWrk, load, type LoadResult } from './lib/http-load.js'
import { progress } from './lib/report.js'
import { BENCH_REDIS_URL, benchName, envInt } from './lib/services.js'

const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50)
const DURATION_MS = envInt('BENCH_DURATION_MS', 3000)
const ROUNDS = envInt('BENCH_ROUNDS', 3)
const BACKEND = process.env.BENCH_BACKEND === 'redis' ? 'redis' : 'memory'
const WARMUP_MS = envInt('BENCH_WARMUP_MS', 2000)
const ADMIN = { username: 'bench-admin', password: 'Bench-Admin-Password-1' }

interface Route {
  name: string
  path: string
  session?: boolean
}

const ROUTES: Route[] = [
  { name: 'GET /health (bare)', path: '/health' },
  { name: 'GET /ahsp/search?q=beton (cached hit)', path: '/ahsp/search?q=beton' },
  { name: 'GET /auth/me (valid session)', path: '/auth/me', session: true },
]

async function prepare(server: ServerProcess): Promise<string> {
  const login = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.url },
    body: JSON.stringify(ADMIN),
  })
  if (login.status !== 200) throw new Error(`login failed on ${server.runtime}: ${login.status}`)
  const cookie = /sid=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0]
  await fetch(`${server.url}${ROUTES[1]!.path}`).then((r) => r.arrayBuffer())
  const hit = await fetch(`${server.url}${ROUTES[1]!.path}`)
  await hit.arrayBuffer()
  if (hit.headers.get('x-cache') !== 'HIT') throw new Error(`search is not a cache hit on ${server.runtime}`)
  return cookie
}

interface Deployment {
  runtime: Runtime
  server: ServerProcess
  cookie: string
  prefix: string
  startupMs: number
}

async function deploy(runtime: Runtime): Promise<Deployment> {
  const env: Record<string, string> = {
    APP_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_API: '1000000000/60',
    CACHE_BACKEND: BACKEND,
    CACHE_KEY_PREFIX: benchName(`rt_${runtime}`),
  }
  const prefix = env.CACHE_KEY_PREFIX!
  if (BACKEND === 'redis') env.REDIS_URL = BENCH_REDIS_URL
  progress(`starting ${runtime}`)
  const t0 = performance.now()
  const server = await startServer(runtime, env)
  await fetch(`${server.url}/health`).then((r) => r.arrayBuffer())
  const startupMs = performance.now() - t0
  try {
    return { runtime, server, cookie: await prepare(server), prefix, startupMs }
  } catch (err) {
    await server.stop()
    throw err
  }
}

function optsOf(d: Deployment, route: Route) {
  const headers: Record<string, string> = route.session ? { Cookie: d.cookie } : {}
  return { url: `${d.server.url}${route.path}`, headers, connections: CONNECTIONS }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const ms = (n: number) => (Number.isNaN(n) ? '–' : n.toFixed(2))

// The runtimes compared; another (workerd) joins by adding its name here and to RUNTIME_COMMANDS.
const RUNTIMES: Runtime[] = (process.env.BENCH_RUNTIMES ?? 'node-dist,bun,deno').split(',').map((r) => r.trim() as Runtime)
// The production start runs what `npm run build` made: build it now, so the sources measured are the current ones.
if (RUNTIMES.includes('node-dist')) execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' })
const startLoad = loadavg()[0]!.toFixed(1)
// All servers run for the whole benchmark (an idle one costs nothing); rounds alternate between them, so
// load from elsewhere on a shared machine hits all alike. Ratio = median of the per-round ratios to the first.
const deployments: Deployment[] = []
const rounds = new Map<string, Map<Runtime, LoadResult[]>>(ROUTES.map((r) => [r.name, new Map(RUNTIMES.map((rt) => [rt, []]))]))
try {
  // One at a time, so start-up is measured without the others starting beside it.
  for (const rt of RUNTIMES) deployments.push(await deploy(rt))
  for (const d of deployments) {
    progress(`${d.runtime}: warm-up, ${WARMUP_MS} ms per route`)
    for (const route of ROUTES) await load({ ...optsOf(d, route), durationMs: WARMUP_MS })
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const route of ROUTES) {
      // Rotate which runtime goes first, so none always follows another's heat.
      const order = deployments.map((_, i) => deployments[(i + round) % deployments.length]!)
      for (const d of order) {
        progress(`round ${round}/${ROUNDS}: ${d.runtime} ${route.name}, ${DURATION_MS} ms`)
        rounds.get(route.name)!.get(d.runtime)!.push(await load({ ...optsOf(d, route), durationMs: DURATION_MS }))
      }
    }
  }
} finally {
  await Promise.all(deployments.map((d) => d.server.stop()))
  if (BACKEND === 'redis') {
    // Sessions and cached answers of the run: remove them rather than leave them to their TTLs.
    for (const d of deployments) {
      const cache = createRedisCache({ client: BENCH_REDIS_URL, prefix: d.prefix })
      await cache.clear()
      await cache.close()
    }
  }
}

const tool = hasWrk() ? 'wrk -t2' : 'raw keep-alive HTTP/1.1 client on node:net (no wrk on PATH)'
const version = (rt: Runtime) =>
  rt === 'bun' ? `Bun ${execFileSync(RUNTIME_COMMANDS.bun[0], ['--version'], { encoding: 'utf8' }).trim()}`
  : rt === 'deno' ? execFileSync('npx', ['deno', '--version'], { encoding: 'utf8' }).split('\n')[0]!
  : `Node ${process.version} (${rt})`
console.log(
  `\n${RUNTIMES.map(version).join(' vs ')}, ${CONNECTIONS} connections, ${ROUNDS} rotating rounds × ${DURATION_MS / 1000} s ` +
    `per route and runtime after ${WARMUP_MS / 1000} s warm-up; load: ${tool}; cache: ${BACKEND}; ${cpus().length} CPUs shared with ` +
    `the load generator; load average ${startLoad} at start, ${loadavg()[0]!.toFixed(1)} at end\n`,
)
const base = RUNTIMES[0]!
console.log(`| route | runtime | req/s (median) | ÷ ${base} (median of rounds) | p50 / p99 ms | errors |`)
console.log('|---|---|---:|---:|---:|---:|')
for (const r of ROUTES) {
  const byRt = rounds.get(r.name)!
  for (const rt of RUNTIMES) {
    const xs = byRt.get(rt)!
    const ratio = median(xs.map((x, i) => x.reqPerSec / byRt.get(base)![i]!.reqPerSec))
    const mid = [...xs].sort((a, c) => a.reqPerSec - c.reqPerSec)[Math.floor((xs.length - 1) / 2)]!
    const errors = xs.reduce((sum, x) => sum + x.errors, 0)
    console.log(`| ${r.name} | ${rt} | ${fmt(median(xs.map((x) => x.reqPerSec)))} | ${ratio.toFixed(2)}× | ${ms(mid.p50)} / ${ms(mid.p99)} | ${errors} |`)
  }
}
console.log('\n| runtime | start-up to first answer (spawn → /health 200), ms |')
console.log('|---|---:|')
for (const d of deployments) console.log(`| ${d.runtime} | ${Math.round(d.startupMs)} |`)
