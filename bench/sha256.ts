/**
 * `npm run bench:sha256`: what one SHA-256 costs on the paths that hash per request, for the one
 * implementation the code uses (`src/domain/sha256.ts`, @noble/hashes: synchronous, portable, audited)
 * against node:crypto (native; Node-only, so not for the core) and `crypto.subtle.digest` (Web standard,
 * but asynchronous: on Node each call is a thread-pool job). Inputs: a 43-character session id (hashed on
 * every request with a cookie) and a 300-character cache key (hashed by the cache adapters).
 * BENCH_ROUNDS (7) alternating rounds of BENCH_CALLS (100,000) calls each; the median round per case.
 */
import { createHash } from 'node:crypto'
import { sha256Hex, sha256 } from '../src/domain/sha256.js'
import { envInt } from './lib/services.js'

const ROUNDS = envInt('BENCH_ROUNDS', 7)
const CALLS = envInt('BENCH_CALLS', 100_000)
const encoder = new TextEncoder()

const inputs = { 'session id (43 chars)': 'x'.repeat(43), 'cache key (300 chars)': 'k'.repeat(300) }

type Impl = (s: string) => unknown
const impls: Record<string, Impl> = {
  '@noble/hashes (src/domain/sha256.ts), bytes': (s) => sha256(s),
  '@noble/hashes (src/domain/sha256.ts), hex': (s) => sha256Hex(s),
  'node:crypto createHash (native), hex': (s) => createHash('sha256').update(s).digest('hex'),
}

function timeSync(fn: Impl, input: string): number {
  const start = performance.now()
  for (let i = 0; i < CALLS; i++) fn(input + (i & 7))
  return ((performance.now() - start) * 1000) / CALLS
}

async function timeSubtle(input: string): Promise<number> {
  // Sequential awaits, as a request handler would do them.
  const start = performance.now()
  const n = Math.floor(CALLS / 10)
  for (let i = 0; i < n; i++) await crypto.subtle.digest('SHA-256', encoder.encode(input + (i & 7)))
  return ((performance.now() - start) * 1000) / n
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const rows: string[] = []
for (const [label, input] of Object.entries(inputs)) {
  const times: Record<string, number[]> = {}
  for (let r = 0; r < ROUNDS; r++) {
    const order = Object.entries(impls)
    if (r % 2) order.reverse()
    for (const [name, fn] of order) (times[name] ??= []).push(timeSync(fn, input))
    ;(times['crypto.subtle.digest (await each)'] ??= []).push(await timeSubtle(input))
  }
  const native = median(times['node:crypto createHash (native), hex']!)
  for (const [name, t] of Object.entries(times)) {
    rows.push(`| ${label} | ${name} | ${median(t).toFixed(2)} | ${(median(t) / native).toFixed(2)}× |`)
  }
}
console.log('\n| input | implementation | µs per hash (median round) | vs native |\n|---|---|---:|---:|')
console.log(rows.join('\n'))
console.log(`\n${ROUNDS} rounds of ${CALLS} calls (subtle: ${CALLS / 10}); Node ${process.version}.`)
