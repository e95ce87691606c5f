/**
 * `npm run bench:runtimes`: the same app served by Node (`node dist/node/main.js`, the production start), Bun
 * (`bun src/main.bun.ts`, Bun.serve), Deno (`npm run start:deno`, Deno.serve) and workerd (`npm run build:workerd`,
 * then `workerd serve deploy/workerd/config.capnp`) in one run (BENCH_RUNTIMES, comma separated, picks; node
 * runs the sources through tsx), under the same load generator (wrk when installed, else a keep-alive Node
 * client) with BENCH_CONNECTIONS (50) connections: a bare `/health`, a cached search hit, and `/auth/me` with a
 * valid session (session lookup on every call).
 * Memory cache by default (the runtime, not the network, is what differs; workerd serves only the embedded
 * default); BENCH_BACKEND=redis puts the cache on the local Redis (without workerd). Request logging at
 * BENCH_LOG_LEVEL (warn: no per-request line), rate limits on. All servers run side by side; every route is
 * warmed up on each (BENCH_WARMUP_MS=2000: JIT, pools, caches), then measured in BENCH_ROUNDS=3 rounds of
 * BENCH_DURATION_MS=3000 per route and runtime, the runtimes rotating, so load from elsewhere on a shared machine
 * hits all alike. Reported: median req/s, p99, the median of the per-round ratios to the first runtime, and
 * start-up measured the same way on each (servers started one at a time, on a port chosen beforehand): spawn →
 * first 200 from `/health` (polled every 10 ms; workerd builds the app on that first request, the others before
 * they listen), and spawn → first answered search (`/ahsp/search?q=galian%20tanah`, asked right after).
 * About 2 min with the defaults.
 */
import { execFileSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { RUNTIME_COMMANDS, startServer, type Runtime as ProcessRuntime } from '../test/helpers/server-process.js'
import { freePort } from '../test/helpers/redis-server.js'
import { buildWorker, startWorkerd } from '../test/helpers/workerd.js'
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

type Runtime = ProcessRuntime | 'workerd'
interface Server {
  url: string
  stop(): Promise<void>
}

async function prepare(runtime: Runtime, url: string): Promise<string> {
  const login = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url },
    body: JSON.stringify(ADMIN),
  })
  if (login.status !== 200) throw new Error(`login failed on ${runtime}: ${login.status}`)
  const cookie = /sid=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0]
  await fetch(`${url}${ROUTES[1]!.path}`).then((r) => r.arrayBuffer())
  const hit = await fetch(`${url}${ROUTES[1]!.path}`)
  await hit.arrayBuffer()
  if (hit.headers.get('x-cache') !== 'HIT') throw new Error(`search is not a cache hit on ${runtime}`)
  return cookie
}

interface Deployment {
  runtime: Runtime
  server: Server
  cookie: string
  prefix: string
  /** spawn → first 200 from /health */
  healthMs: number
  /** spawn → first answered search, asked right after that /health */
  searchMs: number
}

const FIRST_SEARCH = '/ahsp/search?q=galian%20tanah'

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
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const t0 = performance.now()
  const starting: Promise<Server> =
    runtime === 'workerd' ? startWorkerd(env, { port, timeoutMs: 60_000 }) : startServer(runtime, { ...env, PORT: String(port) }, 60_000)
  let failed: unknown
  starting.catch((err: unknown) => (failed = err))
  while (!(await fetch(`${url}/health`).then((r) => r.arrayBuffer().then(() => r.ok), () => false))) {
    if (failed) throw failed
    await new Promise((r) => setTimeout(r, 10))
  }
  const healthMs = performance.now() - t0
  const first = await fetch(`${url}${FIRST_SEARCH}`)
  await first.arrayBuffer()
  const searchMs = performance.now() - t0
  const server = await starting
  try {
    if (!first.ok) throw new Error(`first search on ${runtime}: ${first.status}`)
    return { runtime, server, cookie: await prepare(runtime, url), prefix, healthMs, searchMs }
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

// The runtimes compared; another joins by adding its name here and to RUNTIME_COMMANDS.
const RUNTIMES: Runtime[] = (process.env.BENCH_RUNTIMES ?? 'node-dist,bun,deno,workerd').split(',').map((r) => r.trim() as Runtime)
if (BACKEND === 'redis' && RUNTIMES.includes('workerd')) throw new Error('workerd serves the embedded default only: BENCH_RUNTIMES without workerd for BENCH_BACKEND=redis')
// node-dist and workerd run what `npm run build` / `build:workerd` made: build now, so the sources measured are the current ones.
if (RUNTIMES.includes('node-dist')) execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' })
if (RUNTIMES.includes('workerd')) await buildWorker()
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
  : rt === 'workerd' ? execFileSync('npx', ['workerd', '--version'], { encoding: 'utf8' }).trim()
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
console.log(`\n| runtime | spawn → first /health 200, ms | spawn → first answered ${FIRST_SEARCH}, ms |`)
console.log('|---|---:|---:|')
for (const d of deployments) console.log(`| ${d.runtime} | ${Math.round(d.healthMs)} | ${Math.round(d.searchMs)} |`)
