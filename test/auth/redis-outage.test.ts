import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Container } from '../../src/composition/index.js'
import { captureLogger } from '../helpers/capture-logger.js'
import { startOwnRedis, type OwnRedis } from '../helpers/redis-server.js'
import { login, logout, me, openPair, sessionFor } from './harness.js'

const BOB = { username: 'bob', password: 'bob-password-12' }

describe('sessions through a Redis outage (cache redis × store postgres)', () => {
  let redis: OwnRedis
  let env: Awaited<ReturnType<typeof openPair>>
  let c: Container
  const logger = captureLogger()

  beforeAll(async () => {
    redis = await startOwnRedis()
    env = await openPair({ cache: 'redis', store: 'postgres', redisUrl: redis.url })
    c = await env.instance(logger)
    await c.auth.accounts.create(BOB.username, BOB.password, 'user')
  })
  afterAll(async () => {
    await env?.close()
    await redis?.stop()
  })

  it('keeps everyone logged in, logs in and out while Redis is dead, and forgets nothing on its return', async () => {
    const before = await sessionFor(c.app, BOB.username, BOB.password)
    const doomed = await sessionFor(c.app, BOB.username, BOB.password)
    expect((await me(c.app, before)).status).toBe(200)

    await redis.kill()
    expect((await me(c.app, before)).status).toBe(200) // from the store
    const during = await sessionFor(c.app, BOB.username, BOB.password)
    expect((await me(c.app, during)).status).toBe(200)
    expect((await logout(c.app, doomed)).status).toBe(204)
    expect((await me(c.app, doomed)).status).toBe(401)
    expect((await login(c.app, BOB.username, 'wrong-password')).status).toBe(401)

    await redis.start() // empty: nothing persisted
    await new Promise((r) => setTimeout(r, 2500)) // the failover probe notices within ~1 s
    expect((await me(c.app, before)).status).toBe(200)
    expect((await me(c.app, during)).status).toBe(200)
    expect((await me(c.app, doomed)).status).toBe(401)
    expect(logger.at('error').filter((l) => !/cache/i.test(l.msg))).toEqual([])
  })
})
