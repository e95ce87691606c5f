import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { describeCachePortContract } from '../contracts/cache.contract.js'
import { createRedisCache } from '../../src/adapters/redis/cache.js'
import { describeConnectionError, parseRedisUrl, targetOptions } from '../../src/adapters/redis/connection.js'
import { CacheError } from '../../src/domain/errors.js'
import { TEST_REDIS_URL, uniqueName } from '../helpers/services.js'
import { SERVERS, startOwnRedis, type OwnRedis } from '../helpers/redis-server.js'

describeCachePortContract({ name: 'redis', create: (o) => createRedisCache({ client: TEST_REDIS_URL, ...o }) })

// "Zero code changes for Redis-compatible servers", tested: the whole contract on a Valkey server of our own.
describe('on Valkey', () => {
  let valkey: OwnRedis
  beforeAll(async () => {
    valkey = await startOwnRedis([], 'valkey-server')
  })
  afterAll(async () => {
    await valkey.stop()
  })
  it('is Valkey', async () => {
    const raw = new Redis(valkey.url)
    expect(await raw.info('server')).toMatch(/^valkey_version:\d/m)
    raw.disconnect()
  })
  describeCachePortContract({ name: 'valkey', create: (o) => createRedisCache({ client: valkey.url, ...o }) })
})

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e as CacheError).code)

describe('redis URL parsing', () => {
  it('reads TLS, user, URL-encoded password and db index', () => {
    const { options, cluster } = parseRedisUrl('rediss://app:p%40ss%20w0rd@cache.example.com:6380/2')
    expect(cluster).toBe(false)
    expect(options).toEqual({
      host: 'cache.example.com',
      port: 6380,
      username: 'app',
      password: 'p@ss w0rd',
      db: 2,
      tls: { servername: 'cache.example.com' },
    })
  })
  it('defaults the port, takes a password without user, and no TLS for redis://', () => {
    expect(parseRedisUrl('redis://:secret@10.0.0.5').options).toEqual({ host: '10.0.0.5', port: 6379, password: 'secret' })
    expect(parseRedisUrl('rediss://10.0.0.5:7000').options.tls).toEqual({})
  })
  it('names a cluster seed with ?cluster=true', () => {
    expect(parseRedisUrl('redis://127.0.0.1:7000?cluster=true')).toEqual({
      options: { host: '127.0.0.1', port: 7000 },
      cluster: true,
    })
    expect(() => parseRedisUrl('redis://127.0.0.1:7000/3?cluster=true')).toThrow(/database 0/)
  })
  it('with Sentinels: the master by name, credentials and db from the URL, its host unused', () => {
    const { options, cluster } = targetOptions({
      url: 'redis://app:pw@ignored:1/4',
      sentinels: [{ host: '10.0.0.1', port: 26379 }],
      sentinelName: 'cache',
    })
    expect(cluster).toBe(false)
    expect(options).toMatchObject({ username: 'app', password: 'pw', db: 4, name: 'cache', sentinels: [{ host: '10.0.0.1', port: 26379 }], failoverDetector: true })
    expect(options).not.toHaveProperty('host')
    expect(options.reconnectOnError!(new Error('READONLY You can\'t write against a read only replica.'))).toBe(true)
    expect(options.reconnectOnError!(new Error('OOM command not allowed'))).toBe(false)
  })
  it('TLS material joins rediss:// options; with Sentinels it covers them and the master, without SNI', () => {
    const tls = { ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM' }
    expect(targetOptions({ url: 'rediss://cache.example.com:6380', tls }).options.tls).toEqual({ servername: 'cache.example.com', ...tls })
    expect(targetOptions({ url: 'redis://h:6380', tls }).options.tls).toBeUndefined()
    const viaSentinels = targetOptions({ url: 'rediss://cache.example.com', sentinels: [{ host: 's', port: 1 }], tls }).options
    expect(viaSentinels).toMatchObject({ tls, sentinelTLS: tls, enableTLSForSentinelMode: true })
    expect(() => targetOptions({ url: 'redis://h?cluster=true', sentinels: [{ host: 's', port: 1 }] })).toThrow(/do not mix/)
  })
  it('names TLS alerts about the client certificate, on one line', () => {
    const dump = '80EC:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../rec_layer_s3.c:1601:SSL alert number 116\n'
    expect(describeConnectionError(dump)).toBe('the server demands a client certificate (TLS alert "certificate required")')
    expect(describeConnectionError('x:sslv3 alert bad certificate:y')).toBe('the server rejected the client certificate (TLS alert "bad certificate")')
    expect(describeConnectionError('connect ECONNREFUSED 127.0.0.1:1\nmore')).toBe('connect ECONNREFUSED 127.0.0.1:1')
  })
  it('rejects bad URLs without echoing them', () => {
    expect(() => parseRedisUrl('redis://:hunter2@host/notanumber')).toThrow(TypeError)
    expect(() => parseRedisUrl('http://:hunter2@host')).toThrow(/redis: or rediss:/)
    const err = (() => {
      try {
        parseRedisUrl('redis://:hunter2@[bad')
      } catch (e) {
        return e as Error
      }
    })()
    expect(err?.message).not.toContain('hunter2')
  })
})

describe('redis adapter on the shared server', () => {
  let raw: Redis
  beforeAll(() => {
    raw = new Redis(TEST_REDIS_URL)
  })
  afterAll(async () => {
    await raw.quit()
  })

  it('stores the shared wire format under <prefix>:<version>:<key>', async () => {
    const prefix = uniqueName('wire')
    const cache = createRedisCache({ client: raw, prefix, version: 3 })
    await cache.set('k', { a: [1, 'x'] }, 60)
    await cache.incr('n', 2, 60)
    expect(await raw.get(`${prefix}:3:k`)).toBe('{"a":[1,"x"]}')
    expect(await raw.get(`${prefix}:3:n`)).toBe('2')
    await cache.clear()
  })

  it('turns garbage into CACHE.CORRUPT and a foreign type into CACHE.CORRUPT, never a crash', async () => {
    const prefix = uniqueName('garbage')
    const cache = createRedisCache({ client: raw, prefix })
    await raw.set(`${prefix}:1:junk`, '{not json')
    await raw.hset(`${prefix}:1:hash`, 'f', 'v')
    expect(await codeOf(cache.get('junk'))).toBe('CACHE.CORRUPT')
    expect(await codeOf(cache.getMany(['junk']))).toBe('CACHE.CORRUPT')
    expect(await codeOf(cache.get('hash'))).toBe('CACHE.CORRUPT')
    expect(await codeOf(cache.incr('junk'))).toBe('CACHE.NOT_INTEGER')
    expect(await raw.get(`${prefix}:1:junk`)).toBe('{not json')
    await cache.set('junk', 'fixed')
    expect(await cache.get('junk')).toBe('fixed')
    await cache.clear()
  })

  it('clear deletes only its own prefix, glob characters taken literally', async () => {
    const tag = uniqueName('clr')
    const cache = createRedisCache({ client: raw, prefix: `${tag}*`, version: 1 })
    const foreign = [`${tag}x:1:k`, `${tag}:1:k`, `${tag}*:2:k`, `other_${tag}*:1:k`]
    for (const k of foreign) await raw.set(k, '1', 'EX', 60)
    for (let i = 0; i < 2500; i += 500) {
      await cache.setMany(Array.from({ length: 500 }, (_, j) => [`k${i + j}`, i + j] as const), 60)
    }
    await cache.clear()
    expect(await raw.keys(`${tag}\\*:1:*`)).toEqual([])
    expect(await raw.exists(...foreign)).toBe(foreign.length)
    await raw.del(...foreign)
  })

  it('leaves a client it was given open on close', async () => {
    const cache = createRedisCache({ client: raw, prefix: uniqueName('own') })
    await cache.close()
    expect(await raw.ping()).toBe('PONG')
  })

  it('fails fast with CACHE.UNAVAILABLE when nothing listens, naming the connection error', async () => {
    const cache = createRedisCache({ client: 'redis://127.0.0.1:1', commandTimeoutMs: 500 })
    const started = Date.now()
    const err = await cache.get('k').then(() => undefined, (e: unknown) => e as CacheError)
    expect(err?.code).toBe('CACHE.UNAVAILABLE')
    expect(err?.message).toMatch(/ECONNREFUSED/)
    expect(Date.now() - started).toBeLessThan(1500)
    expect((await cache.stats()).errors).toBe(1)
    await cache.close()
  })
})

describe.each(SERVERS)('redis adapter on its own %s', (server) => {
  let own: OwnRedis
  const password = 'p@ss w:rd/1'
  beforeAll(async () => {
    own = await startOwnRedis(['--requirepass', password], server)
  })
  afterAll(async () => {
    await own.stop()
  })
  const url = (pw: string) => `redis://:${encodeURIComponent(pw)}@127.0.0.1:${own.port}/1`

  it('authenticates with a URL-encoded password and selects the db index', async () => {
    const cache = createRedisCache({ client: url(password), prefix: 'p' })
    await cache.set('k', 'v')
    const raw = new Redis({ port: own.port, password, db: 1 })
    expect(await raw.get('p:1:k')).toBe('"v"')
    await raw.quit()
    await cache.close()
  })

  it('a wrong password is CACHE.UNAVAILABLE and the message never carries the password', async () => {
    const wrong = 'not-the-password-42'
    const cache = createRedisCache({ client: url(wrong), commandTimeoutMs: 500 })
    const err = await cache.ping().then(() => undefined, (e: unknown) => e as CacheError)
    expect(err?.code).toBe('CACHE.UNAVAILABLE')
    expect(err?.message).not.toContain(wrong)
    await cache.close()
  })

  it('recovers from NOSCRIPT after SCRIPT FLUSH with one EVAL, then EVALSHA again', async () => {
    const cache = createRedisCache({ client: url(password), prefix: 'ns' })
    expect((await cache.incr('n', 1, 60)).value).toBe(1)
    const admin = new Redis({ port: own.port, password })
    await admin.script('FLUSH')
    expect((await cache.incr('n', 1, 60)).value).toBe(2)
    const evals = async () => Number(/cmdstat_eval:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0)
    expect(await evals()).toBe(2) // the first call ever, and the first after the flush
    expect((await cache.incr('n')).value).toBe(3)
    expect(await evals()).toBe(2) // the script is cached again: EVALSHA only
    await admin.quit()
    await cache.close()
  })
})
