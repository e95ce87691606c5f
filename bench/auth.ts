/**
 * `npm run bench:auth`: what a session costs. In one run, on a real @hono/node-server server (a child
 * process on a free port) with BENCH_CONNECTIONS (50) keep-alive connections:
 * - `GET /bare` (bare Hono route) vs `GET /auth/me` with a valid session, through the whole app and through
 *   the app without rate limits (session cost alone), with the cache in memory (stores in memory) and then
 *   on Redis (a redis-server this run starts; stores in PostgreSQL). The Redis `INFO commandstats` delta
 *   counts the cache round trips per request: the session lookup must be one GET.
 * - Login's cost: the PBKDF2 KDF (600,000 iterations) alone, and `POST /auth/login` end to end.
 * - `/health` through the same app: the middleware stack without a session lookup, so the session's own
 *   share (session row vs stack row) is visible apart from the other middleware.
 * BENCH_ROUNDS (6) rounds of BENCH_DURATION_MS (1500) per case, alternating order; each ratio is the median of
 * ratios within a round, so load from other work on a shared machine hits both sides alike.
 * Target: on Redis, /auth/me (session) ≥ 0.5× bare. About 90 s with the defaults.
 */
import type { ChildProcess } from 'node:child_process'
import { Redis } from 'ioredis'
import { freePort, startOwnRedis } from '../test/helpers/redis-server.js'
import { createPasswordHasher } from '../src/use-cases/auth/password.js'
import { hasWrk, load, type LoadResult } from './lib/http-load.js'
import { progress } from './lib/report.js'
import { commandDelta, commandStats } from './lib/redis-stats.js'
import { serverCpuMicros, startChildServer, stopChildServer } from './lib/child-server.js'
import { benchName, benchSchema, envInt } from './lib/services.js'

const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50)
const DURATION_MS = envInt('BENCH_DURATION_MS', 1500)
/** Rounds of (bare, stack, session, full), alternating direction; ratios are taken within a round. */
const ROUNDS = envInt('BENCH_ROUNDS', 6)
const WARMUP_MS = envInt('BENCH_WARMUP_MS', 1500)
const LOGINS = envInt('BENCH_LOGINS', 8)
const ADMIN = { username: 'bench-admin', password: 'bench-password-1' }

interface Server {
  url: string
  child: ChildProcess
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort()
  const { child } = await startChildServer('bench/auth-server.ts', {
    ...env,
    PORT: String(port),
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
  })
  return { url: `http://127.0.0.1:${port}`, child }
}

const stopServer = stopChildServer
const cpu = (s: Server) => serverCpuMicros(s.url)

async function loginOnce(s: Server): Promise<{ sid: string; ms: number }> {
  const started = performance.now()
  const res = await fetch(`${s.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-bench-app': 'full' },
    body: JSON.stringify(ADMIN),
  })
  const ms = performance.now() - started
  const sid = /sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1]
  if (res.status !== 200 || !sid) throw new Error(`login answered ${res.status}`)
  return { sid, ms }
}

type Path = 'bare' | 'stack' | 'session' | 'full'
interface Sample {
  result: LoadResult
  cpuMicrosPerReq: number
  commands?: Map<string, number>
}

function target(s: Server, path: Path, sid: string): { url: string; headers?: Record<string, string> } {
  if (path === 'bare') return { url: `${s.url}/bare` }
  // The same app and middleware as `session`, on a route that loads no session: what the stack costs.
  if (path === 'stack') return { url: `${s.url}/health`, headers: { 'x-bench-app': 'session' } }
  return { url: `${s.url}/auth/me`, headers: { cookie: `sid=${sid}`, 'x-bench-app': path } }
}

async function run(s: Server, path: Path, sid: string, redis?: Redis): Promise<Sample> {
  const before = await cpu(s)
  const stats = redis ? await commandStats(redis) : undefined
  const result = await load({ ...target(s, path, sid), connections: CONNECTIONS, durationMs: DURATION_MS })
  const commands = redis && stats ? commandDelta(stats, await commandStats(redis)) : undefined
  const cpuMicrosPerReq = ((await cpu(s)) - before) / Math.max(1, result.requests)
  if (result.errors > 0) throw new Error(`${path}: ${result.errors} unexpected answers`)
  return { result, cpuMicrosPerReq, commands }
}

interface Row {
  backend: string
  samples: Record<Path, Sample[]>
  loginMs: number[]
}

async function measure(backend: 'memory' | 'redis', env: Record<string, string>, redis?: Redis): Promise<Row> {
  progress(`${backend}: starting server`)
  const s = await startServer({ CACHE_BACKEND: backend, CACHE_KEY_PREFIX: benchName('auth'), ...env })
  try {
    const loginMs: number[] = []
    for (let i = 0; i < LOGINS; i++) loginMs.push((await loginOnce(s)).ms)
    const { sid } = await loginOnce(s)
    progress(`${backend}: warm-up`)
    for (const path of ['bare', 'stack', 'session', 'full'] as const) {
      await load({ ...target(s, path, sid), connections: CONNECTIONS, durationMs: WARMUP_MS })
    }
    const row: Row = { backend, samples: { bare: [], stack: [], session: [], full: [] }, loginMs }
    const order = ['bare', 'stack', 'session', 'full'] as const
    for (let round = 0; round < ROUNDS; round++) {
      progress(`${backend}: round ${round + 1}/${ROUNDS}`)
      for (const path of round % 2 === 0 ? order : [...order].reverse()) row.samples[path].push(await run(s, path, sid, redis))
    }
    return row
  } finally {
    await stopServer(s)
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

function commandsPerRequest(samples: Sample[]): string {
  if (!samples[0]?.commands) return '–'
  const total = new Map<string, number>()
  let requests = 0
  for (const s of samples) {
    requests += s.result.requests
    for (const [k, v] of s.commands!) total.set(k, (total.get(k) ?? 0) + v)
  }
  const all = [...total.values()].reduce((a, b) => a + b, 0)
  const names = [...total.entries()].map(([k, v]) => `${k} ${(v / requests).toFixed(3)}`).join(', ')
  return `${(all / requests).toFixed(3)}${names ? ` (${names})` : ''}`
}

/**
 * Median over rounds of (path req/s ÷ bare req/s in the same round): samples taken seconds apart share the
 * machine's momentary load, so the ratio survives other work on a shared machine better than two means.
 */
function roundRatio(r: Row, path: Path): number {
  return median(r.samples[path].map((s, i) => s.result.reqPerSec / r.samples.bare[i]!.result.reqPerSec))
}

function table(rows: Row[]): string {
  const lines = [
    '| backend | route | req/s | ratio to bare | p50 ms | p99 ms | server CPU µs/req | Redis commands/req |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  ]
  const label: Record<Path, string> = {
    bare: 'bare Hono route',
    stack: '/health through the app without rate limits (middleware, no session)',
    session: '/auth/me through the app without rate limits',
    full: '/auth/me through the whole app (+ API rate limit)',
  }
  for (const r of rows) {
    for (const path of ['bare', 'stack', 'session', 'full'] as const) {
      const ss = r.samples[path]
      const rps = median(ss.map((s) => s.result.reqPerSec))
      const ratio = path === 'bare' ? '(bare)' : `${roundRatio(r, path).toFixed(2)}×`
      const cells = [fmt(rps), ratio, mean(ss.map((s) => s.result.p50)).toFixed(2), mean(ss.map((s) => s.result.p99)).toFixed(2)]
      lines.push(`| ${r.backend} | ${label[path]} | ${cells.join(' | ')} | ${mean(ss.map((s) => s.cpuMicrosPerReq)).toFixed(1)} | ${commandsPerRequest(ss)} |`)
    }
  }
  return lines.join('\n')
}

async function kdfCost(): Promise<{ hash: number; verify: number }> {
  const hasher = createPasswordHasher()
  const hashes: number[] = []
  const verifies: number[] = []
  let stored = ''
  for (let i = 0; i < 5; i++) {
    let t = performance.now()
    stored = await hasher.hash('bench-password-1')
    hashes.push(performance.now() - t)
    t = performance.now()
    await hasher.verify('bench-password-1', stored)
    verifies.push(performance.now() - t)
  }
  return { hash: median(hashes), verify: median(verifies) }
}

async function main() {
  progress(`load generator: ${hasWrk() ? 'wrk' : 'keep-alive Node client'}, ${CONNECTIONS} connections`)
  progress('KDF cost')
  const kdf = await kdfCost()
  const rows: Row[] = []
  rows.push(await measure('memory', {}))
  const own = await startOwnRedis()
  const redis = new Redis(own.url)
  const schema = await benchSchema('auth')
  try {
    rows.push(await measure('redis', { REDIS_URL: own.url, DATABASE_URL: schema.url }, redis))
  } finally {
    redis.disconnect()
    await own.stop()
    await schema.drop()
  }
  process.stdout.write(`\n${table(rows)}\n\n`)
  const redisRow = rows.find((r) => r.backend === 'redis')!
  const ratio = roundRatio(redisRow, 'session')
  process.stdout.write(`Target: on Redis, /auth/me (session) ≥ 0.50× bare → ${ratio.toFixed(2)}× ${ratio >= 0.5 ? '✅' : '❌'}\n`)
  const full = roundRatio(redisRow, 'full')
  process.stdout.write(`With the API rate limit as well (its own round trip): ${full.toFixed(2)}× ${full >= 0.5 ? '(≥ 0.5)' : '(< 0.5)'}\n`)
  for (const r of rows) {
    const cpu = (p: Path) => median(r.samples[p].map((s) => s.cpuMicrosPerReq))
    process.stdout.write(
      `${r.backend}: server CPU per request — bare ${cpu('bare').toFixed(0)} µs, middleware floor ${cpu('stack').toFixed(0)} µs, ` +
        `/auth/me ${cpu('session').toFixed(0)} µs: the session lookup + route add ${(cpu('session') - cpu('stack')).toFixed(0)} µs\n`,
    )
  }
  process.stdout.write('\n')
  process.stdout.write('| login cost | ms (median) |\n|---|---:|\n')
  process.stdout.write(`| PBKDF2-SHA256 600,000 iterations: hash | ${kdf.hash.toFixed(0)} |\n`)
  process.stdout.write(`| PBKDF2-SHA256 600,000 iterations: verify | ${kdf.verify.toFixed(0)} |\n`)
  for (const r of rows) process.stdout.write(`| POST /auth/login end to end, ${r.backend} (sequential, ${r.loginMs.length} logins) | ${median(r.loginMs).toFixed(0)} |\n`)
  process.stdout.write(
    `\n${CONNECTIONS} connections, ${DURATION_MS} ms per sample, ${ROUNDS} rounds of bare/stack/session/full (alternating order); req/s and CPU are medians, ratios the median of per-round ratios; ` +
      `load by ${hasWrk() ? 'wrk' : 'a keep-alive Node client (same machine)'}; Node ${process.version}.\n`,
  )
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`)
  process.exit(1)
})
