/**
 * The server half of `bench/headers.ts`: one @hono/node-server listener, three routes answering
 * byte-for-byte the same JSON (a `/auth/me`-sized body) with the same eight headers as the app's
 * `/auth/me` (request id, the five fixed security headers, Cache-Control, Content-Type), built two ways:
 * - `/hono`: the app's way since issue 11 — middleware sets headers with `c.header()` before `next()`,
 *   the route adds Cache-Control with `c.header()` and answers `c.json()`. Hono keeps them in a WHATWG
 *   `Headers` (undici), and @hono/node-server turns that back into a record per response.
 * - `/plain`: the removed fast path's shape — middleware puts the same headers in a plain record on the
 *   context (`c.set`) before `next()`, the route adds Cache-Control to it and answers
 *   `new Response(body, { headers: record })`, which @hono/node-server writes without any `Headers`.
 *   Stock Hono middleware that sets a header before `next()` would lose it here (the reason it went).
 *   Same dispatch shape as `/hono` (one middleware, one handler), so only the header model differs.
 * - `/bare`: `c.json()` with no header at all (the floor).
 * `/__cpu` reports this process's CPU time. Env: PORT.
 */
import { serve } from '@hono/node-server'
import { Hono, type MiddlewareHandler } from 'hono'

type Env = { Variables: { headers: Record<string, string> } }

const SECURITY: [string, string][] = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
]
const body = () => ({
  user: { id: '263a6d23-31ff-481c-a331-14311f6270b8', username: 'bench-admin', role: 'admin' },
  session: { expiresAt: new Date(1_800_000_000_000).toISOString() },
})

const viaHono: MiddlewareHandler = (c, next) => {
  c.header('X-Request-Id', crypto.randomUUID())
  for (const [name, value] of SECURITY) c.header(name, value)
  return next()
}

const viaRecord: MiddlewareHandler<Env> = (c, next) => {
  const headers: Record<string, string> = { 'X-Request-Id': crypto.randomUUID() }
  for (const [name, value] of SECURITY) headers[name] = value
  c.set('headers', headers)
  return next()
}

const app = new Hono<Env>()
app.get('/bare', (c) => c.json(body()))
app.get('/hono', viaHono, (c) => {
  c.header('Cache-Control', 'no-store')
  return c.json(body())
})
app.get('/plain', viaRecord, (c) => {
  const headers = c.get('headers')
  headers['Cache-Control'] = 'no-store'
  headers['Content-Type'] = 'application/json'
  return new Response(JSON.stringify(body()), { status: 200, headers })
})
app.get('/__cpu', (c) => {
  const { user, system } = process.cpuUsage()
  return c.json({ cpuMicros: user + system })
})

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) }, () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
