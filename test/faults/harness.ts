import { loadConfig } from '../../src/config.js'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'
import { createTestSchema, TEST_REDIS_URL, uniqueName } from '../helpers/services.js'
import { openGateTo } from '../helpers/tcp-gate.js'
import { loginCookie } from '../helpers/login.js'

export const ADMIN = { username: 'faults-admin', password: 'Faults-Admin-Pass-1' }

/** One request's status and wait, ms. */
export interface Timed {
  status: number
  ms: number
}

/**
 * An app (Redis cache on its own prefix, PostgreSQL stores in a fresh schema) whose only path to
 * PostgreSQL is a TCP gate the test opens, closes (refusing) or silences. The catalog is the shipped
 * reference (CATALOG_SEED fills the empty schema at start). `direct` is the same schema
 * without the gate, for the test's own statements (locks).
 */
export async function openGatedApp(env: Record<string, string> = {}) {
  const schema = await createTestSchema('faults')
  const { gate, url: gated } = await openGateTo(schema.url)
  const container: Container = await buildContainer(
    loadConfig({
      APP_ENV: 'test',
      CACHE_BACKEND: 'redis',
      CACHE_STRICT: 'true',
      REDIS_URL: TEST_REDIS_URL,
      CACHE_KEY_PREFIX: uniqueName('faults'),
      DATABASE_URL: gated,
      RATE_LIMIT_API: '1000000/60',
      RATE_LIMIT_LOGIN: '1000000/60',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      ...env,
    }),
    silentLogger,
    { passwordIterations: 1000 },
  )
  const app = container.app

  async function timed(path: string, init?: RequestInit): Promise<Timed & { cache: string | null }> {
    const started = performance.now()
    const res = await app.request(path, init)
    await res.arrayBuffer()
    return { status: res.status, ms: performance.now() - started, cache: res.headers.get('x-cache') }
  }
  const login = () =>
    timed('/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'http://localhost' },
      body: JSON.stringify(ADMIN),
    })
  let page = 1
  return {
    container,
    gate,
    directUrl: schema.url,
    timed,
    login,
    cookie: () => loginCookie(app, ADMIN),
    /** A search never asked before: it needs the store. */
    uncachedSearch: () => timed(`/ahsp/search?q=tanah&page=${++page}`),
    async close() {
      await container.close()
      await gate.close()
      await schema.drop()
    },
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls `probe` every 100 ms until it says yes; resolves with the ms that took (or throws past `limitMs`). */
export async function timeUntil(probe: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = performance.now()
  for (;;) {
    if (await probe()) return performance.now() - started
    if (performance.now() - started > limitMs) throw new Error(`not back within ${limitMs} ms`)
    await sleep(100)
  }
}

/** One line per measurement, collected by the closing note's table. */
export function record(what: string, values: Record<string, unknown>): void {
  console.log(`[faults] ${what} ${JSON.stringify(values)}`)
}
