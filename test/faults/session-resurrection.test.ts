import { afterEach, describe, expect, it } from 'vitest'
import { createUserCommands } from '../../src/cli/users.js'
import { loadConfig } from '../../src/config.js'
import { createRedisCache } from '../../src/adapters/redis/cache.js'
import { silentLogger } from '../../src/ports/logger.js'
import { hashSessionId } from '../../src/use-cases/sessions/session-id.js'
import { logout, me, openPair, sessionFor } from '../auth/harness.js'
import { createTcpGate, type TcpGate } from '../helpers/tcp-gate.js'
import { TEST_REDIS_URL } from '../helpers/services.js'

/**
 * Issue 10, item 1: the rollback plan (CACHE_BACKEND redis → db → redis) must not bring an ended session
 * back. Each case restarts the app for real (a new container from the changed environment, on the real
 * Redis and PostgreSQL) and first checks that Redis still holds the stale live entry — so without the
 * revocation replay the last `/auth/me` would answer 200, as the issue measured.
 */

const BOB = { username: 'bob', password: 'bob-password-12' }
let cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {})
  cleanup = []
})

async function pair(redisUrl?: string, store: 'postgres' | 'memory' = 'postgres') {
  const env = await openPair({ cache: 'redis', store, redisUrl })
  cleanup.push(() => env.close())
  return env
}

/** What the Redis of `env` holds under the session's key, read directly (not through the app). */
async function redisEntry(env: { env: Record<string, string> }, sid: string): Promise<unknown> {
  const raw = createRedisCache({ client: env.env.REDIS_URL!, prefix: env.env.CACHE_KEY_PREFIX })
  try {
    return await raw.get(`session:${hashSessionId(sid)}`)
  } finally {
    await raw.close()
  }
}

async function cli(env: Record<string, string>, args: string[], password = '') {
  const out: string[] = []
  const commands = createUserCommands({ readPassword: async () => password, out: (l) => out.push(l), err: (l) => out.push(l) })
  const [name, ...rest] = args
  const code = await commands[name!]!.run(rest, loadConfig({ LOG_LEVEL: 'error', ...env }))
  return { code, out: out.join('\n') }
}

describe('no ended session comes back after a change of CACHE_BACKEND (redis → db → redis)', () => {
  it('logout while on db: the restarted redis app answers 401 with the old cookie', async () => {
    const env = await pair()
    const a = await env.instance(silentLogger)
    await a.auth.accounts.create(BOB.username, BOB.password, 'user')
    const sid = await sessionFor(a.app, BOB.username, BOB.password)
    expect((await me(a.app, sid)).status).toBe(200)
    await a.close()

    const b = await env.instance(silentLogger, { CACHE_BACKEND: 'db' })
    expect((await me(b.app, sid)).status).toBe(200)
    expect((await logout(b.app, sid)).status).toBe(204)
    expect((await me(b.app, sid)).status).toBe(401)
    await b.close()
    expect(await redisEntry(env, sid)).toMatchObject({ n: BOB.username }) // stale, live-looking

    const c = await env.instance(silentLogger)
    for (let i = 0; i < 3; i++) expect((await me(c.app, sid)).status).toBe(401)
    expect(await redisEntry(env, sid)).toEqual({ revoked: true })
  })

  it.each([
    ['logout-all', ['logout-all', BOB.username]],
    ['passwd', ['passwd', BOB.username]],
  ])('users %s from the CLI on CACHE_BACKEND=db: the restarted redis app answers 401', async (_name, args) => {
    const env = await pair()
    const a = await env.instance(silentLogger)
    await a.auth.accounts.create(BOB.username, BOB.password, 'user')
    const sids = [await sessionFor(a.app, BOB.username, BOB.password), await sessionFor(a.app, BOB.username, BOB.password)]
    await a.close()

    const run = await cli({ ...env.env, CACHE_BACKEND: 'db' }, args, 'a-brand-new-password-1')
    expect(run).toMatchObject({ code: 0, out: expect.stringMatching(/2 session\(s\) ended/) })
    for (const sid of sids) expect(await redisEntry(env, sid)).toMatchObject({ n: BOB.username })

    const c = await env.instance(silentLogger)
    for (const sid of sids) expect((await me(c.app, sid)).status).toBe(401)
  })

  it('the db fallback that takes over during a Redis outage does not serve a session ended on Redis', async () => {
    const gate = await gateToRedis()
    const env = await pair(`redis://127.0.0.1:${gate.port}`)
    // The rollback run: the session is cached in the db cache table.
    const b = await env.instance(silentLogger, { CACHE_BACKEND: 'db' })
    await b.auth.accounts.create(BOB.username, BOB.password, 'user')
    const sid = await sessionFor(b.app, BOB.username, BOB.password)
    await b.close()

    const c = await env.instance(silentLogger)
    expect((await c.cache.stats()).active).toBe('redis')
    expect((await logout(c.app, sid)).status).toBe(204) // tombstone on Redis only
    await gate.close() // Redis "fails": the db cache (still holding the live entry) takes over
    for (let i = 0; i < 3; i++) expect((await me(c.app, sid)).status).toBe(401)
    expect((await c.cache.stats()).degraded).toBe(true)
  })

  it('a restart during a Redis outage: the session ended meanwhile is not served once Redis returns', async () => {
    const gate = await gateToRedis()
    const env = await pair(`redis://127.0.0.1:${gate.port}`)
    const a = await env.instance(silentLogger)
    await a.auth.accounts.create(BOB.username, BOB.password, 'user')
    const sid = await sessionFor(a.app, BOB.username, BOB.password)
    await gate.close()
    expect((await logout(a.app, sid)).status).toBe(204) // on the fallback; a's dirty-key list dies with it
    await a.close()

    const c = await env.instance(silentLogger, { CACHE_STRICT: 'false' }) // Redis unreachable: starts degraded
    expect((await c.cache.stats()).degraded).toBe(true)
    expect((await me(c.app, sid)).status).toBe(401)
    await gate.open()
    expect(await redisEntry({ env: { ...env.env, REDIS_URL: TEST_REDIS_URL } }, sid)).toMatchObject({ n: BOB.username })
    await expect.poll(async () => !(await c.cache.stats()).degraded, { timeout: 5000, interval: 50 }).toBe(true)
    expect((await me(c.app, sid)).status).toBe(401)
  })

  it('a memory store restarted behind a Redis cache: sessions it no longer has are not served (store epoch)', async () => {
    const env = await pair(undefined, 'memory')
    const a = await env.instance(silentLogger)
    await a.auth.accounts.create(BOB.username, BOB.password, 'user')
    const sid = await sessionFor(a.app, BOB.username, BOB.password)
    await a.close()
    expect(await redisEntry(env, sid)).toMatchObject({ n: BOB.username })

    const c = await env.instance(silentLogger)
    expect((await me(c.app, sid)).status).toBe(401)
  })
})

async function gateToRedis(): Promise<TcpGate> {
  const target = new URL(TEST_REDIS_URL)
  const gate = await createTcpGate(target.hostname, Number(target.port || 6379))
  await gate.open()
  cleanup.push(() => gate.close())
  return gate
}

