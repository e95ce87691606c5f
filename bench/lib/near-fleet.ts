/**
 * What bench:near and bench:near-db share: app servers (bench/auth-server.ts in child processes), a session's
 * login / me / logout over HTTP, the staleness trials across instances, and the delivery latency of an
 * invalidation feed alone.
 */
import type { InvalidationFeed } from '../../src/ports/invalidation.js'
import { freePort } from '../../test/helpers/redis-server.js'
import { load, type LoadResult } from './http-load.js'
import { progress } from './report.js'
import { startChildServer, type ChildServer } from './child-server.js'

export const ADMIN = { username: 'bench-admin', password: 'bench-password-1' }
export const SEARCH = '/ahsp/search?q=galian%20tanah'
const full = { 'x-bench-app': 'full' }

export interface Server extends ChildServer {
  name: string
  url: string
}

export async function startServer(name: string, env: Record<string, string>, timeoutMs = 120_000): Promise<Server> {
  const port = await freePort()
  const s = await startChildServer(
    'bench/auth-server.ts',
    { ...env, PORT: String(port), ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, BENCH_KDF_ITERATIONS: '1000' },
    timeoutMs,
  )
  return { ...s, name, url: `http://127.0.0.1:${port}` }
}

export async function login(s: Server): Promise<string> {
  const res = await fetch(`${s.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...full }, body: JSON.stringify(ADMIN) })
  const sid = /sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1]
  if (res.status !== 200 || !sid) throw new Error(`login on ${s.name} answered ${res.status}`)
  return sid
}

export async function me(s: Server, sid: string): Promise<number> {
  const res = await fetch(`${s.url}/auth/me`, { headers: { cookie: `sid=${sid}`, ...full } })
  await res.arrayBuffer()
  return res.status
}

export async function logout(s: Server, sid: string): Promise<void> {
  const res = await fetch(`${s.url}/auth/logout`, { method: 'POST', headers: { cookie: `sid=${sid}`, origin: s.url, ...full } })
  if (res.status !== 204) throw new Error(`logout answered ${res.status}`)
}

/** The near counters of a server, from /cache/stats (admin). */
export async function nearStats(s: Server, sid: string): Promise<Record<string, unknown> | undefined> {
  const res = await fetch(`${s.url}/cache/stats`, { headers: { cookie: `sid=${sid}`, ...full } })
  return ((await res.json()) as { near?: Record<string, unknown> }).near
}

/**
 * `me`: /auth/me with one session on every connection; `search`: the cached search, anonymous, every
 * connection from one address; `clients`: the same search with a client address per connection (the servers
 * need TRUST_PROXY=true), so each connection has its own rate-limit counter and no two hits share a round trip.
 */
export type Route = 'me' | 'search' | 'clients'
export const target = (s: Server, route: Route, sid: string) =>
  route === 'me'
    ? { url: `${s.url}/auth/me`, headers: { cookie: `sid=${sid}`, ...full } }
    : { url: `${s.url}${SEARCH}`, headers: full, connectionHeaders: route === 'clients' ? (i: number) => ({ 'x-forwarded-for': `10.1.${i >> 8}.${i & 255}` }) : undefined }

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
export const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
/** p50 | p99 | max, or dashes for none. */
export const spread = (xs: number[]) => (xs.length === 0 ? '– | – | –' : [pct(xs, 0.5), pct(xs, 0.99), Math.max(...xs)].map((x) => x.toFixed(2)).join(' | '))

/**
 * Per trial and instance: ms from A's logout answer to the answer of B's (C's) first refusal — an upper
 * bound, the polling round trip included — and every request started after A's answer that was still
 * served (a stale read: its start − A's answer is the staleness observed). Each instance is polled
 * continuously from before the logout, one request in flight.
 */
export async function staleness(a: Server, others: Server[], trials: number) {
  const untilRefused: number[] = []
  const staleReads: number[] = []
  for (let t = 0; t < trials; t++) {
    if (t % 100 === 0) progress(`staleness: trial ${t}/${trials}`)
    const sid = await login(a)
    for (const s of others) for (let i = 0; i < 2; i++) if ((await me(s, sid)) !== 200) throw new Error('session not served')
    let acknowledged = Infinity
    const pollers = others.map(async (s) => {
      for (;;) {
        const started = performance.now()
        const status = await me(s, sid)
        if (status === 200 && started > acknowledged) staleReads.push(started - acknowledged)
        if (status === 401) return untilRefused.push(performance.now() - acknowledged)
      }
    })
    await logout(a, sid)
    acknowledged = performance.now()
    await Promise.all(pollers)
  }
  return { untilRefused, staleReads }
}

/**
 * The channel alone: `trials` writes by a separate connection (`write(i)` resolves, once acknowledged, with the
 * key as the feed reports it); ms from each acknowledgement to the invalidation reaching a feed listener
 * (negative: it arrived before the acknowledgement was read).
 */
export async function deliveryLatency(feed: InvalidationFeed, write: (i: number) => Promise<string>, trials: number): Promise<number[]> {
  const arrived = new Map<string, number>()
  const waiting = new Map<string, () => void>()
  feed.subscribe((e) => {
    if ('flush' in e) return
    for (const k of e.keys) {
      arrived.set(k, performance.now())
      waiting.get(k)?.()
    }
  })
  for (let i = 0; i < 500 && feed.confirmedAt() === undefined; i++) await new Promise((r) => setTimeout(r, 10))
  const out: number[] = []
  for (let i = 0; i < trials; i++) {
    // The key is known only once written; a delivery that beats the acknowledgement is found in `arrived`.
    const key = await write(i)
    const acknowledged = performance.now()
    if (!arrived.has(key)) await new Promise<void>((resolve) => waiting.set(key, resolve))
    out.push(arrived.get(key)! - acknowledged)
    waiting.delete(key)
  }
  return out
}

export interface ThroughputOptions {
  rounds: number
  connections: number
  durationMs: number
  /** Default `me` and `search`. */
  routes?: readonly Route[]
  /** Wraps each sample (e.g. to read counters before and after it); default: just run it. */
  sample?: (s: Server, route: Route, run: () => Promise<LoadResult>) => Promise<LoadResult>
}

/**
 * req/s of `/auth/me` and the cached search on each server, `rounds` rounds after a warm-up, order alternating
 * each round so a drifting machine load hits every server alike. Keyed `<server name>|<route>`.
 */
export async function throughput(servers: Server[], sids: Map<Server, string>, o: ThroughputOptions): Promise<Map<string, number[]>> {
  const rps = new Map<string, number[]>()
  const run = (s: Server, route: Route) => () => load({ ...target(s, route, sids.get(s)!), connections: o.connections, durationMs: o.durationMs })
  const routes = o.routes ?? (['me', 'search'] as const)
  for (const s of servers) for (const r of routes) await run(s, r)()
  for (let round = 0; round < o.rounds; round++) {
    progress(`throughput: round ${round + 1}/${o.rounds}`)
    const order = round % 2 === 0 ? servers : [...servers].reverse()
    for (const route of routes) {
      for (const s of order) {
        const result = await (o.sample ? o.sample(s, route, run(s, route)) : run(s, route)())
        if (result.errors > 0) throw new Error(`${s.name} ${route}: ${result.errors} unexpected answers`)
        rps.set(`${s.name}|${route}`, [...(rps.get(`${s.name}|${route}`) ?? []), result.reqPerSec])
      }
    }
  }
  return rps
}
