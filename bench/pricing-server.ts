/**
 * The server half of `bench/pricing.ts`: the production container (`buildContainer`) on the embedded
 * default (shipped reference in memory, memory cache unless CACHE_BACKEND says otherwise) on
 * @hono/node-server, with the example price list loaded through `PUT /prices/contoh-2025` as an admin.
 * The API limit is set so the run cannot reach it. Prints `ready` once listening with both hits cached.
 */
import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { buildContainer } from '../src/composition/index.js'
import { loadConfig } from '../src/config.js'
import { silentLogger } from '../src/ports/logger.js'
import { loginCookie } from '../test/helpers/login.js'

const ADMIN = { username: 'bench-admin', password: 'Bench-Admin-Password-1' }
const config = loadConfig({
  ...process.env, APP_ENV: 'test', RATE_LIMIT_API: '1000000000/3600', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password,
})
const container = await buildContainer(config, silentLogger, {
  passwordIterations: 1000,
  getPeerAddress: (c) => {
    try {
      return getConnInfo(c).remote.address
    } catch {
      return undefined
    }
  },
})
const { app } = container
const cookie = await loginCookie(app, ADMIN, 'http://localhost')
const form = new FormData()
form.set('file', new File([readFileSync(new URL('../data/prices/contoh-2025.csv', import.meta.url))], 'contoh-2025.csv'))
const put = await app.request('/prices/contoh-2025', { method: 'PUT', body: form, headers: { Cookie: cookie, Origin: 'http://localhost' } })
if (put.status !== 200) throw new Error(`PUT /prices answered ${put.status}: ${await put.text()}`)
for (const path of [process.env.BENCH_SEARCH_PATH!, process.env.BENCH_PRICE_PATH!]) {
  const res = await app.request(path)
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`)
}
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) }, () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => {
  server.close()
  void container.close().then(() => process.exit(0))
})
