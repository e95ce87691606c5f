import { loadConfig } from '../../src/config.js'
import { buildContainer, type Container } from '../../src/composition/index.js'
import type { Logger } from '../../src/ports/logger.js'
import { createTestSchema, TEST_REDIS_URL, uniqueName } from '../helpers/services.js'

export type CacheKind = 'memory' | 'redis' | 'db'
export type StoreKind = 'memory' | 'postgres'

/** Tests only: new hashes with 1,000 PBKDF2 iterations instead of 600,000 (the KDF is slow on purpose). */
export const FAST_KDF = 1000
export const ADMIN = { username: 'root', password: 'root-password-123' }

export interface PairEnv {
  cache: CacheKind
  store: StoreKind
  /** Extra environment (SESSION_TTL, APP_ENV…). */
  env?: Record<string, string>
  /** Another Redis than the shared one (outage tests). */
  redisUrl?: string
}

/**
 * A cache × store pair as the composition root builds it from the environment, with as many instances
 * as a test needs: instances share the Redis prefix and the PostgreSQL schema, as two servers would.
 */
export async function openPair(p: PairEnv) {
  const schema = p.store === 'postgres' || p.cache === 'db' ? await createTestSchema(`auth_${p.cache}`) : undefined
  const env: Record<string, string> = {
    APP_ENV: 'test',
    CACHE_BACKEND: p.cache,
    CACHE_STRICT: 'true',
    CACHE_KEY_PREFIX: uniqueName('auth'),
    RATE_LIMIT_API: '1000000/60',
    RATE_LIMIT_LOGIN: '1000000/60',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    ...(p.cache === 'redis' ? { REDIS_URL: p.redisUrl ?? TEST_REDIS_URL } : {}),
    ...(schema ? { DATABASE_URL: schema.url } : {}),
    ...p.env,
  }
  const instances: Container[] = []
  return {
    env,
    /** A new app instance on the same backends. */
    async instance(logger: Logger, overrides: Record<string, string> = {}): Promise<Container> {
      const c = await buildContainer(loadConfig({ ...env, ...overrides }), logger, { passwordIterations: FAST_KDF })
      instances.push(c)
      return c
    },
    async close() {
      for (const c of instances.splice(0)) {
        await c.cache.clear().catch(() => {})
        await c.close()
      }
      await schema?.drop()
    },
  }
}

type App = Container['app']
export const ORIGIN = 'http://localhost'

/** The `sid` value a response sets, or undefined. */
export function sidOf(res: Response): string | undefined {
  const set = res.headers.get('set-cookie') ?? ''
  return /(?:^|,\s*)sid=([^;]*)/.exec(set)?.[1]
}

export function login(app: App, username: string, password: string, sid?: string): Promise<Response> {
  return Promise.resolve(
    app.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, ...(sid ? { cookie: `sid=${sid}` } : {}) },
      body: JSON.stringify({ username, password }),
    }),
  )
}

export function me(app: App, sid?: string): Promise<Response> {
  return Promise.resolve(app.request('/auth/me', { headers: sid ? { cookie: `sid=${sid}` } : {} }))
}

export function logout(app: App, sid?: string): Promise<Response> {
  return Promise.resolve(
    app.request('/auth/logout', { method: 'POST', headers: { origin: ORIGIN, ...(sid ? { cookie: `sid=${sid}` } : {}) } }),
  )
}

/** Logs in and returns the new session id (fails the test otherwise). */
export async function sessionFor(app: App, username: string, password: string): Promise<string> {
  const res = await login(app, username, password)
  if (res.status !== 200) throw new Error(`login of ${username} answered ${res.status}: ${await res.text()}`)
  return sidOf(res)!
}
