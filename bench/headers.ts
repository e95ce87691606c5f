/**
 * `npm run bench:headers`: the price of answering through Hono's header model (`c.header()` + `c.json()`,
 * the one header path stock Hono middleware composes with) instead of a plain header record that
 * @hono/node-server writes without building a `Headers` — on a real server, the same eight headers and the
 * same body both ways (see bench/headers-server.ts). Per route: the server's CPU µs per request (its own
 * process.cpuUsage, so the load generator stays out; and its user-mode part, the JavaScript), median over BENCH_ROUNDS (6) rounds of
 * BENCH_DURATION_MS (1500) at BENCH_CONNECTIONS (50), routes alternating direction each round; the
 * difference hono − plain is the cost issue 11's header path adds per response.
 */
import { freePort } from '../test/helpers/redis-server.js'
import { load } from './lib/http-load.js'
import { progress } from './lib/report.js'
import { serverCpuMicros, serverUserMicros, startChildServer, stopChildServer } from './lib/child-server.js'
import { envInt } from './lib/services.js'

const ROUNDS = envInt('BENCH_ROUNDS', 6)
const DURATION_MS = envInt('BENCH_DURATION_MS', 1500)
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50)
const ROUTES = ['bare', 'plain', 'hono'] as const
const LABEL = {
  bare: '`c.json()`, no headers (floor)',
  plain: 'plain record → `new Response` (removed fast path)',
  hono: '`c.header()` ×7 + `c.json()` (the app)',
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const port = await freePort()
const server = await startChildServer('bench/headers-server.ts', { PORT: String(port) })
const url = `http://127.0.0.1:${port}`
try {
  const first = await Promise.all(ROUTES.map(async (r) => [...(await fetch(`${url}/${r}`)).headers.keys()].length))
  if (first[1] !== first[2]) throw new Error(`plain and hono answer different header counts: ${first.join(', ')}`)
  progress('warm-up')
  for (const r of ROUTES) await load({ url: `${url}/${r}`, connections: CONNECTIONS, durationMs: DURATION_MS })
  const cpu = Object.fromEntries(ROUTES.map((r) => [r, [] as number[]])) as Record<(typeof ROUTES)[number], number[]>
  const rps = Object.fromEntries(ROUTES.map((r) => [r, [] as number[]])) as Record<(typeof ROUTES)[number], number[]>
  const user = Object.fromEntries(ROUTES.map((r) => [r, [] as number[]])) as Record<(typeof ROUTES)[number], number[]>
  const diff: number[] = []
  const userDiff: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    progress(`round ${round + 1}/${ROUNDS}`)
    const inRound: Partial<Record<(typeof ROUTES)[number], number>> = {}
    const userInRound: Partial<Record<(typeof ROUTES)[number], number>> = {}
    for (const r of round % 2 ? [...ROUTES].reverse() : ROUTES) {
      const before = await serverCpuMicros(url)
      const userBefore = serverUserMicros(server.child.pid)
      const res = await load({ url: `${url}/${r}`, connections: CONNECTIONS, durationMs: DURATION_MS })
      if (res.errors > 0) throw new Error(`${r}: ${res.errors} unexpected answers`)
      userInRound[r] = (serverUserMicros(server.child.pid) - userBefore) / Math.max(1, res.requests)
      user[r].push(userInRound[r])
      inRound[r] = ((await serverCpuMicros(url)) - before) / Math.max(1, res.requests)
      cpu[r].push(inRound[r])
      rps[r].push(res.reqPerSec)
    }
    diff.push(inRound.hono! - inRound.plain!)
    userDiff.push(userInRound.hono! - userInRound.plain!)
  }
  const lines = ['| answer | server CPU µs/req | user µs/req | req/s |', '|---|---:|---:|---:|']
  for (const r of ROUTES) lines.push(`| ${LABEL[r]} | ${median(cpu[r]).toFixed(1)} | ${median(user[r]).toFixed(1)} | ${Math.round(median(rps[r]))} |`)
  process.stdout.write(
    `\n${ROUNDS} rounds × ${DURATION_MS} ms, ${CONNECTIONS} connections, medians over rounds; ${first[2]} response headers each (Node adds Date, Connection, Keep-Alive, Content-Length)\n\n` +
      `${lines.join('\n')}\n\nhono − plain, per round: ${diff.map((d) => d.toFixed(1)).join(', ')} µs; median ${median(diff).toFixed(1)} µs per response (user CPU: ${userDiff.map((d) => d.toFixed(1)).join(', ')}; median ${median(userDiff).toFixed(1)} µs)\n`,
  )
} finally {
  await stopChildServer(server)
}
