/**
 * `npm run bench:runtimes`: the same app served by Node (`tsx src/main.node.ts`, @hono/node-server) and by
 * Bun (`bun src/main.bun.ts`, Bun.serve), one after the other in one run, under the same load generator
 * (wrk when installed, else a keep-alive Node client) with BENCH_CONNECTIONS (50) connections:
 * a bare `/health`, a cached search hit, and `/auth/me` with a valid session (session lookup on every call).
 * Memory cache by default (the runtime, not the network, is what differs); BENCH_BACKEND=redis puts the
 * cache on the local Redis. Request logging at BENCH_LOG_LEVEL (warn: no per-request line), rate limits on.
 * Per runtime: every route is warmed up first (BENCH_WARMUP_MS=2000 each: JIT, pools, caches), then
 * measured in BENCH_ROUNDS=2 rounds of BENCH_DURATION_MS=4000, routes interleaved; the better round is
 * reported, since on a shared machine noise only ever lowers a round. About 75 s with the defaults.
 */
import { execFileSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { RUNTIME_COMMANDS, startServer, type Runtime, type ServerProcess } from '../test/helpers/server-process.js'
import { hasWrk, load, type LoadResult } from './lib/http-load.js'
import { progress } from './lib/report.js'
import { BENCH_REDIS_URL, benchName, envInt } from './lib/services.js'

const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50)
const DURATION_MS = envInt('BENCH_DURATION_MS', 4000)
const ROUNDS = envInt('BENCH_ROUNDS', 2)
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

async function measure(runtime: Runtime): Promise<Map<string, LoadResult>> {
  const env: Record<string, string> = {
    APP_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_API: '1000000000/60',
    CACHE_BACKEND: process.env.BENCH_BACKEND === 'redis' ? 'redis' : 'memory',
    CACHE_KEY_PREFIX: benchName(`rt_${runtime}`),
  }
  if (env.CACHE_BACKEND === 'redis') env.REDIS_URL = BENCH_REDIS_URL
  progress(`starting ${runtime}`)
  const server = await startServer(runtime, env)
  const results = new Map<string, LoadResult>()
  try {
    const cookie = await prepare(server)
    const optsOf = (route: Route) => {
      const headers: Record<string, string> = route.session ? { Cookie: cookie } : {}
      return { url: `${server.url}${route.path}`, headers, connections: CONNECTIONS }
    }
    progress(`${runtime}: warm-up, ${WARMUP_MS} ms per route`)
    for (const route of ROUTES) await load({ ...optsOf(route), durationMs: WARMUP_MS })
    for (let round = 1; round <= ROUNDS; round++) {
      for (const route of ROUTES) {
        progress(`${runtime}: round ${round}, ${route.name}, ${DURATION_MS} ms`)
        const r = await load({ ...optsOf(route), durationMs: DURATION_MS })
        const best = results.get(route.name)
        if (!best || r.reqPerSec > best.reqPerSec) results.set(route.name, { ...r, errors: r.errors + (best?.errors ?? 0) })
        else best.errors += r.errors
      }
    }
    if (env.CACHE_BACKEND === 'redis') {
      await fetch(`${server.url}/auth/logout`, { method: 'POST', headers: { Cookie: cookie, Origin: server.url } })
    }
  } finally {
    await server.stop()
  }
  return results
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const ms = (n: number) => (Number.isNaN(n) ? '–' : n.toFixed(2))

const startLoad = loadavg()[0]!.toFixed(1)
const node = await measure('node')
const bun = await measure('bun')
const tool = hasWrk() ? 'wrk -t2' : 'Node keep-alive client (no wrk on PATH)'
const bunVersion = execFileSync(RUNTIME_COMMANDS.bun[0], ['--version'], { encoding: 'utf8' }).trim()
console.log(`\nNode ${process.version} vs Bun ${bunVersion}, ${CONNECTIONS} connections, best of ${ROUNDS} × ${DURATION_MS / 1000} s per route after ${WARMUP_MS / 1000} s warm-up, ` +
  `load: ${tool}, cache: ${process.env.BENCH_BACKEND === 'redis' ? 'redis' : 'memory'}, ${cpus().length} CPUs (load generator on the same machine), ` +
  `load average ${startLoad} at start, ${loadavg()[0]!.toFixed(1)} at end\n`)
console.log('| route | Node req/s | Bun req/s | Bun ÷ Node | Node p50 / p99 ms | Bun p50 / p99 ms | errors |')
console.log('|---|---:|---:|---:|---:|---:|---:|')
for (const r of ROUTES) {
  const n = node.get(r.name)!
  const b = bun.get(r.name)!
  console.log(
    `| ${r.name} | ${fmt(n.reqPerSec)} | ${fmt(b.reqPerSec)} | ${(b.reqPerSec / n.reqPerSec).toFixed(2)}× | ` +
      `${ms(n.p50)} / ${ms(n.p99)} | ${ms(b.p50)} / ${ms(b.p99)} | ${n.errors + b.errors} |`,
  )
}
