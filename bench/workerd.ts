/**
 * `npm run bench:workerd`: the app on workerd (`npm run build:workerd`, deploy/workerd/config.capnp) beside the
 * same app on Node (`tsx src/main.node.ts`), both on the embedded default (memory cache and stores, the only
 * configuration workerd serves), in one run: start-up to the first `/health` answer (workerd builds the app on its
 * first request, so that answer includes the reference parse and the admin), then `/health`, a cached search hit
 * and `/auth/me` with a valid session under BENCH_CONNECTIONS (50) connections, BENCH_ROUNDS (3) rounds of
 * BENCH_DURATION_MS (3000) per route and runtime after BENCH_WARMUP_MS (2000), the runtimes alternating.
 * Reported: median req/s, the median of the per-round workerd/Node ratios, p50/p99. bench:runtimes is Node vs Bun.
 */
import { cpus, loadavg } from 'node:os'
import { startServer } from '../test/helpers/server-process.js'
import { buildWorker, startWorkerd } from '../test/helpers/workerd.js'
import { hasWrk, load, type LoadResult } from './lib/http-load.js'
import { progress } from './lib/report.js'
import { envInt } from './lib/services.js'

const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50)
const DURATION_MS = envInt('BENCH_DURATION_MS', 3000)
const ROUNDS = envInt('BENCH_ROUNDS', 3)
const WARMUP_MS = envInt('BENCH_WARMUP_MS', 2000)
const ADMIN = { username: 'bench-admin', password: 'Bench-Admin-Password-1' }
const ENV = {
  APP_ENV: 'production', LOG_LEVEL: 'warn', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password,
  RATE_LIMIT_API: '1000000000/60', CACHE_BACKEND: 'memory',
}
const ROUTES = [
  { name: 'GET /health (bare)', path: '/health', session: false },
  { name: 'GET /ahsp/search?q=beton (cached hit)', path: '/ahsp/search?q=beton', session: false },
  { name: 'GET /auth/me (valid session)', path: '/auth/me', session: true },
]
type Name = 'node' | 'workerd'
interface Target { name: Name; url: string; cookie: string; stop(): Promise<void>; startMs: number }

/** Spawn → first 200 from `/health`, polled every 10 ms. */
async function start(name: Name, spawn: () => Promise<{ url: string; stop(): Promise<void> }>): Promise<Target> {
  progress(`starting ${name}`)
  const t0 = performance.now()
  const server = await spawn()
  while (!(await fetch(`${server.url}/health`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 10))
  const startMs = performance.now() - t0
  const login = await fetch(`${server.url}/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Origin: server.url }, body: JSON.stringify(ADMIN),
  })
  const cookie = /sid=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0]
  if (!cookie) throw new Error(`login failed on ${name}: ${login.status}`)
  await fetch(`${server.url}${ROUTES[1]!.path}`).then((r) => r.arrayBuffer())
  const hit = await fetch(`${server.url}${ROUTES[1]!.path}`)
  await hit.arrayBuffer()
  if (hit.headers.get('x-cache') !== 'HIT') throw new Error(`search is not a cache hit on ${name}`)
  return { name, url: server.url, cookie, stop: () => server.stop(), startMs }
}

const startLoad = loadavg()[0]!.toFixed(1)
progress('npm run build:workerd')
await buildWorker()
const targets: Target[] = []
const results = new Map(ROUTES.map((r) => [r.name, { node: [] as LoadResult[], workerd: [] as LoadResult[] }]))
try {
  targets.push(await start('workerd', () => startWorkerd(ENV)))
  targets.push(await start('node', () => startServer('node', ENV)))
  const opts = (t: Target, r: (typeof ROUTES)[number]) => ({ url: `${t.url}${r.path}`, headers: (r.session ? { Cookie: t.cookie } : {}) as Record<string, string>, connections: CONNECTIONS })
  for (const t of targets) for (const r of ROUTES) await load({ ...opts(t, r), durationMs: WARMUP_MS })
  for (let round = 1; round <= ROUNDS; round++) {
    for (const r of ROUTES) {
      for (const t of round % 2 ? targets : [...targets].reverse()) {
        progress(`round ${round}/${ROUNDS}: ${t.name} ${r.name}`)
        results.get(r.name)![t.name].push(await load({ ...opts(t, r), durationMs: DURATION_MS }))
      }
    }
  }
} finally {
  await Promise.all(targets.map((t) => t.stop()))
}

const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!
const byRate = (xs: LoadResult[]) => [...xs].sort((a, b) => a.reqPerSec - b.reqPerSec)[Math.floor((xs.length - 1) / 2)]!
const n0 = (x: number) => Math.round(x).toLocaleString('en-US')
const startOf = (name: Name) => targets.find((t) => t.name === name)!.startMs
console.log(
  `\nworkerd vs Node ${process.version}, embedded default, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds × ` +
    `${DURATION_MS / 1000} s per route after ${WARMUP_MS / 1000} s warm-up; load: ${hasWrk() ? 'wrk' : 'keep-alive client on node:net'}; ${cpus().length} CPUs shared with the load ` +
    `generator; load average ${startLoad} at start, ${loadavg()[0]!.toFixed(1)} at end\n`,
)
console.log(`start-up to the first /health answer: workerd ${n0(startOf('workerd'))} ms, Node (tsx) ${n0(startOf('node'))} ms\n`)
console.log('| route | Node req/s | workerd req/s | workerd ÷ Node (median of rounds) | Node p50 / p99 ms | workerd p50 / p99 ms | errors |')
console.log('|---|---:|---:|---:|---:|---:|---:|')
for (const r of ROUTES) {
  const { node, workerd } = results.get(r.name)!
  const ratio = mid(node.map((x, i) => workerd[i]!.reqPerSec / x.reqPerSec))
  const [nm, wm] = [byRate(node), byRate(workerd)]
  const errors = [...node, ...workerd].reduce((s, x) => s + x.errors, 0)
  console.log(
    `| ${r.name} | ${n0(mid(node.map((x) => x.reqPerSec)))} | ${n0(mid(workerd.map((x) => x.reqPerSec)))} | ${ratio.toFixed(2)}× | ` +
      `${nm.p50.toFixed(2)} / ${nm.p99.toFixed(2)} | ${wm.p50.toFixed(2)} / ${wm.p99.toFixed(2)} | ${errors} |`,
  )
}
