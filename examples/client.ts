/**
 * A typed client for the AHSP API: `hc` from `hono/client` with the server's own `AppType`, so paths,
 * query parameters, JSON bodies and JSON answers are checked by TypeScript against the route definitions.
 *
 *   npm start                                              # the API, in another terminal
 *   npx tsx examples/client.ts                             # BASE_URL defaults to http://127.0.0.1:3000
 *   ADMIN_USERNAME=admin ADMIN_PASSWORD=secret npx tsx examples/client.ts   # also logs in and out
 */
import { hc } from 'hono/client'
import type { AppType } from '../src/http/app.js'

export interface ExampleOptions {
  /** Any fetch: the global one, or `app.request` in tests. */
  fetch?: typeof fetch
  username?: string
  password?: string
  log?: (line: string) => void
}

export async function runExample(baseUrl: string, options: ExampleOptions = {}) {
  const log = options.log ?? console.log
  const client = hc<AppType>(baseUrl, options.fetch ? { fetch: options.fetch } : {})

  const health = await (await client.health.$get()).json() // typed: { status: 'ok' }
  log(`health: ${health.status}`)

  const ready = await client.ready.$get()
  const readiness = await ready.json() // { status: 'ok' | 'degraded' | 'down', checks: {...} }
  log(`ready: ${ready.status} ${readiness.status}`)

  // Query values are strings on the wire; the server's schema coerces and bounds them.
  const search = await client.ahsp.search.$get({ query: { q: 'beton', limit: '3' } })
  if (!search.ok) throw new Error(`search failed: ${search.status}`)
  const found = await search.json()
  log(`search "beton": ${found.total} jobs (X-Cache: ${search.headers.get('x-cache')})`)
  for (const job of found.items) log(`  ${job.source} ${job.code} ${job.name} [${job.unit}]`)

  const first = found.items[0]
  if (first) {
    const detail = await client.ahsp.jobs[':code'].$get({ param: { code: first.code }, query: { source: first.source } })
    if (detail.ok) {
      const job = await detail.json()
      log(`job ${job.code}: ${job.components.length} components`)
    }
  }

  let user: string | undefined
  if (options.username && options.password) {
    const login = await client.auth.login.$post({ json: { username: options.username, password: options.password } })
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`)
    // Outside a browser there is no cookie jar: carry the session cookie by hand.
    const cookie = /sid=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? ''
    const headers = { headers: { Cookie: cookie } }
    const me = await client.auth.me.$get(undefined, headers)
    if (me.status === 200) {
      const body = await me.json()
      user = body.user.username
      log(`logged in as ${body.user.username} (${body.user.role}) until ${body.session.expiresAt}`)
    }
    const out = await client.auth.logout.$post(undefined, headers)
    log(`logout: ${out.status}`)
  }
  return { health: health.status, ready: readiness.status, total: found.total, user }
}

// Run directly (not when imported by the test).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:3000'
  runExample(baseUrl, { username: process.env.ADMIN_USERNAME, password: process.env.ADMIN_PASSWORD }).catch((err: Error) => {
    console.error(`${err.message} — is the API running at ${baseUrl}?`)
    process.exit(1)
  })
}
