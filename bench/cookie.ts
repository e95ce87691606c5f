/**
 * `npm run bench:cookie`: what reading the session cookie costs per request, the app's `readCookie`
 * (src/http/session-cookie.ts) against hono's `getCookie`, in-process through `app.request()`, for a lone
 * `sid`, `sid` among analytics cookies, and a Cookie header without `sid`. BENCH_ROUNDS (5) alternating
 * rounds of BENCH_CALLS (200,000) reads; the median round. On @hono/node-server `getCookie` costs more
 * than shown here: it reads `c.req.raw.headers`, which builds the request's whole `Headers` object.
 */
import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { readCookie } from '../src/http/session-cookie.js'
import { envInt } from './lib/services.js'

const ROUNDS = envInt('BENCH_ROUNDS', 5)
const CALLS = envInt('BENCH_CALLS', 200_000)
const sid = 'A'.repeat(43)
const headers = {
  'lone sid': `sid=${sid}`,
  'sid among 3 other cookies': `_ga=GA1.1.123456789.1700000000; theme=dark; sid=${sid}; _gid=GA1.1.987654321.1700000000`,
  'no sid': 'theme=dark; lang=id',
}

let sink = 0
const app = new Hono()
app.get('/app', (c) => {
  for (let i = 0; i < CALLS; i++) sink += readCookie(c, 'sid')?.length ?? 0
  return c.text('')
})
app.get('/hono', (c) => {
  for (let i = 0; i < CALLS; i++) sink += getCookie(c, 'sid')?.length ?? 0
  return c.text('')
})

const times: Record<string, number[]> = {}
for (let r = 0; r < ROUNDS; r++) {
  for (const [label, cookie] of Object.entries(headers)) {
    for (const which of r % 2 ? ['app', 'hono'] : ['hono', 'app']) {
      const started = performance.now()
      await app.request(`/${which}`, { headers: { cookie } })
      ;(times[`| ${label} | ${which === 'app' ? 'readCookie (app)' : 'getCookie (hono)'} |`] ??= []).push(((performance.now() - started) * 1000) / CALLS)
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
console.log('\n| Cookie header | reader | µs per read (median round) |\n|---|---|---:|')
for (const [row, t] of Object.entries(times)) console.log(`${row} ${median(t).toFixed(3)} |`)
console.log(`\n${ROUNDS} rounds of ${CALLS} reads; Node ${process.version}.${sink > 0 ? '' : ' (no reads?)'}`)
