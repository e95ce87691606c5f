/**
 * `npm run bench:pricing` — issue 12's targets, on the embedded default (shipped reference in memory, memory
 * cache), the real app on @hono/node-server in a child process:
 * 1. `POST /estimates` with 5,000 lines over HTTP: uncached (every request different volumes, so a new key)
 *    ≤ 250 ms, and cached (the same request again) ≤ 25 ms; median of BENCH_ESTIMATES (20) runs each, after
 *    BENCH_ESTIMATE_WARMUP (5) miss/hit pairs. Beside them, the floor: the same request through a bare
 *    node:http server that answers as many bytes, with the same client (undici's fetch).
 * 2. A cached job price (`GET /ahsp/jobs/:code/price`) against a cached search hit in the same run,
 *    BENCH_CONNECTIONS (50) keep-alive connections, rounds alternating, best round of each:
 *    price ≥ 0.8 × search req/s.
 * Env: BENCH_ESTIMATES, BENCH_ESTIMATE_WARMUP, BENCH_CONNECTIONS, BENCH_DURATION_MS (3000), BENCH_ROUNDS (2). With DATABASE_URL set
 * the server keeps the catalog (seeded with the shipped reference on first start) and the price lists on
 * that PostgreSQL database instead (the targets are for the embedded default).
 */
import { cpus, loadavg } from 'node:os'
import { loadAhspJobs } from '../test/helpers/ahsp-data.js'
import { freePort } from '../test/helpers/redis-server.js'
import { load, type LoadResult } from './lib/http-load.js'
import { progress } from './lib/report.js'
import { startChildServer, stopChildServer } from './lib/child-server.js'
import { envInt } from './lib/services.js'

const RUNS = envInt('BENCH_ESTIMATES', 20)
/** Miss/hit pairs before measuring, so server and client JIT are warm (steady state, not first calls). */
const WARMUP = envInt('BENCH_ESTIMATE_WARMUP', 5)
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50)
const DURATION_MS = envInt('BENCH_DURATION_MS', 3000)
const ROUNDS = envInt('BENCH_ROUNDS', 2)
const SEARCH = '/ahsp/search?q=pasangan%20batu&limit=20'
const PRICE = '/ahsp/jobs/2.2.1.1/price?list=contoh-2025'

const jobs = loadAhspJobs()
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

function estimateBody(run: number): string {
  const lines = Array.from({ length: 5000 }, (_, i) => {
    const j = jobs[(i * 7 + run) % jobs.length]!
    return { code: j.code, source: j.source, volume: `${(i % 97) + 1}.${String((i * 13 + run) % 1000).padStart(3, '0')}` }
  })
  return JSON.stringify({ list: 'contoh-2025', rounding: 1000, lines })
}

async function post(base: string, body: string): Promise<{ ms: number; cache: string | null; bytes: number }> {
  const t = performance.now()
  const res = await fetch(`${base}/estimates`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', Origin: base } })
  const text = await res.text()
  const ms = performance.now() - t
  if (res.status !== 200) throw new Error(`POST /estimates answered ${res.status}: ${text.slice(0, 300)}`)
  return { ms, cache: res.headers.get('x-cache'), bytes: Buffer.byteLength(text) }
}

const startLoad = loadavg()[0]!
const port = await freePort()
const base = `http://127.0.0.1:${port}`
progress('starting the server (embedded default, example price list)')
const server = await startChildServer('bench/pricing-server.ts', { PORT: String(port), CACHE_BACKEND: 'memory', BENCH_SEARCH_PATH: SEARCH, BENCH_PRICE_PATH: PRICE }, 90_000)
const rows: string[] = []
try {
  progress('5,000-line estimates')
  let answerBytes = 0
  for (let w = 0; w < WARMUP; w++) {
    const body = estimateBody(1000 + w)
    await post(base, body)
    answerBytes = (await post(base, body)).bytes
  }
  const uncached: number[] = []
  const cached: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const body = estimateBody(run)
    const miss = await post(base, body)
    const hit = await post(base, body)
    if (miss.cache !== 'MISS' || hit.cache !== 'HIT') throw new Error(`expected MISS then HIT, got ${miss.cache}, ${hit.cache}`)
    uncached.push(miss.ms)
    cached.push(hit.ms)
  }
  const u = median(uncached)
  const c = median(cached)
  // The same request and answer sizes through a bare node:http server and the same client: the floor.
  progress('transport floor: bare node:http server')
  const barePort = await freePort()
  const bare = await startChildServer('bench/lib/bare-bytes-server.ts', { PORT: String(barePort), BENCH_BARE_BYTES: String(answerBytes) })
  const floor: number[] = []
  try {
    const body = estimateBody(0)
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const r = await post(`http://127.0.0.1:${barePort}`, body)
      if (run >= WARMUP) floor.push(r.ms)
    }
  } finally {
    await stopChildServer(bare)
  }
  const f = median(floor)
  rows.push(`| POST /estimates, 5,000 lines, uncached | median of ${RUNS} | ${u.toFixed(1)} ms (min ${Math.min(...uncached).toFixed(1)}, max ${Math.max(...uncached).toFixed(1)}) | ≤ 250 ms ${u <= 250 ? 'ok' : 'MISSED'} |`)
  rows.push(`| POST /estimates, 5,000 lines, cached | median of ${RUNS} | ${c.toFixed(1)} ms (min ${Math.min(...cached).toFixed(1)}, max ${Math.max(...cached).toFixed(1)}) | ≤ 25 ms ${c <= 25 ? 'ok' : 'MISSED'} |`)
  rows.push(`| the same request through a bare node:http server answering ${(answerBytes / 1e6).toFixed(2)} MB, same client | median of ${RUNS} | ${f.toFixed(1)} ms (min ${Math.min(...floor).toFixed(1)}, max ${Math.max(...floor).toFixed(1)}) | floor: cached = ${(c / f).toFixed(2)} × floor |`)

  for (const path of [SEARCH, PRICE]) {
    const res = await fetch(`${base}${path}`)
    if (res.headers.get('x-cache') !== 'HIT') throw new Error(`${path}: expected a cached answer, got ${res.headers.get('x-cache')}`)
    await res.arrayBuffer()
  }
  const cases = [{ name: 'GET /ahsp/search cached hit', url: `${base}${SEARCH}` }, { name: 'GET /ahsp/jobs/:code/price cached hit', url: `${base}${PRICE}` }]
  for (const k of cases) await load({ url: k.url, connections: CONNECTIONS, durationMs: 700 })
  const best = new Map<string, LoadResult>()
  for (let round = 1; round <= ROUNDS; round++) {
    for (const k of cases) {
      progress(`round ${round}/${ROUNDS}: ${k.name}`)
      const r = await load({ url: k.url, connections: CONNECTIONS, durationMs: DURATION_MS })
      if (r.errors > 0) throw new Error(`${k.url}: ${r.errors} unexpected answers`)
      if (!best.has(k.name) || r.reqPerSec > best.get(k.name)!.reqPerSec) best.set(k.name, r)
    }
  }
  const search = best.get(cases[0]!.name)!
  const price = best.get(cases[1]!.name)!
  const ratio = price.reqPerSec / search.reqPerSec
  rows.push(`| ${cases[0]!.name} | ${CONNECTIONS} conn, best of ${ROUNDS} × ${DURATION_MS / 1000} s (${search.tool}) | ${Math.round(search.reqPerSec).toLocaleString('en-US')} req/s, p50 ${search.p50.toFixed(2)} ms | baseline |`)
  rows.push(`| ${cases[1]!.name} | same | ${Math.round(price.reqPerSec).toLocaleString('en-US')} req/s, p50 ${price.p50.toFixed(2)} ms | ${ratio.toFixed(2)} × search, ≥ 0.8 ${ratio >= 0.8 ? 'ok' : 'MISSED'} |`)
} finally {
  await stopChildServer(server)
}
// Latency on a shared machine tracks its load: print it so runs can be compared.
const stores = process.env.DATABASE_URL ? 'catalog and price lists on PostgreSQL' : 'the embedded default (shipped reference in memory)'
console.log(`\nPricing on ${stores}, memory cache, example price list, real server; load average ${startLoad.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`)
console.log('| case | runs | measured | target |')
console.log('|---|---|---|---|')
for (const r of rows) console.log(r)
