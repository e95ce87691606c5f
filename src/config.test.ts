import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseSentinels } from './config.js'

const errorOf = (env: Record<string, string>): ConfigError | undefined => {
  try {
    loadConfig(env)
  } catch (err) {
    return err as ConfigError
  }
  return undefined
}

describe('Redis Sentinel variables', () => {
  it('parses host:port lists, IPv6 in brackets, and the default Sentinel port', () => {
    expect(parseSentinels('REDIS_SENTINELS', ' 10.0.0.5:26380, sentinel-b ,[::1]:26381')).toEqual([
      { host: '10.0.0.5', port: 26380 },
      { host: 'sentinel-b', port: 26379 },
      { host: '::1', port: 26381 },
    ])
  })

  it('defaults the master name to mymaster and keeps password and db in REDIS_URL', () => {
    const config = loadConfig({ REDIS_URL: 'redis://:pw@ignored/3', REDIS_SENTINELS: 's1:26379' })
    expect(config).toMatchObject({ redisUrl: 'redis://:pw@ignored/3', redisSentinels: [{ host: 's1', port: 26379 }], redisSentinelName: 'mymaster' })
    expect(loadConfig({ REDIS_URL: 'redis://x', REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'cache-1' }).redisSentinelName).toBe('cache-1')
    expect(loadConfig({}).redisSentinels).toBeUndefined()
  })

  it.each([
    [{ REDIS_SENTINELS: 's1:26379' }, 'REDIS_SENTINELS', /needs REDIS_URL/],
    [{ REDIS_URL: 'redis://x', REDIS_SENTINELS: 's1:99999' }, 'REDIS_SENTINELS', /host:port/],
    [{ REDIS_URL: 'redis://x', REDIS_SENTINELS: 'a b:1' }, 'REDIS_SENTINELS', /host:port/],
    [{ REDIS_URL: 'redis://x', REDIS_SENTINELS: ',' }, 'REDIS_SENTINELS', /1–16/],
    [{ REDIS_URL: 'redis://x?cluster=true', REDIS_SENTINELS: 's1' }, 'REDIS_SENTINELS', /Cluster/],
    [{ REDIS_URL: 'redis://x', REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'a name' }, 'REDIS_SENTINEL_NAME', /letters/],
  ] as const)('refuses %j naming %s', (env, variable, problem) => {
    const err = errorOf(env)
    expect(err).toBeInstanceOf(ConfigError)
    expect(err!.variable).toBe(variable)
    expect(err!.message).toMatch(problem)
    expect(err!.message.split('\n')).toHaveLength(1)
  })
})

describe('Redis TLS file variables', () => {
  it('keeps the paths for a rediss:// URL (the files are read by the composition root)', () => {
    const config = loadConfig({ REDIS_URL: 'rediss://h', REDIS_TLS_CA_FILE: '/ca.pem', REDIS_TLS_CERT_FILE: '/c.pem', REDIS_TLS_KEY_FILE: '/k.pem' })
    expect(config.redisTlsFiles).toEqual({ ca: '/ca.pem', cert: '/c.pem', key: '/k.pem' })
    expect(loadConfig({ REDIS_URL: 'rediss://h' }).redisTlsFiles).toEqual({})
  })

  it.each([
    [{ REDIS_URL: 'redis://h', REDIS_TLS_CA_FILE: '/ca.pem' }, 'REDIS_TLS_CA_FILE', /only to a rediss:\/\/ REDIS_URL/],
    [{ REDIS_TLS_KEY_FILE: '/k.pem' }, 'REDIS_TLS_KEY_FILE', /only to a rediss:\/\/ REDIS_URL/],
    [{ REDIS_URL: 'rediss://h', REDIS_TLS_CERT_FILE: '/c.pem' }, 'REDIS_TLS_CERT_FILE', /needs REDIS_TLS_KEY_FILE/],
    [{ REDIS_URL: 'rediss://h', REDIS_TLS_KEY_FILE: '/k.pem' }, 'REDIS_TLS_KEY_FILE', /needs REDIS_TLS_CERT_FILE/],
  ] as const)('refuses %j naming %s', (env, variable, problem) => {
    const err = errorOf(env)
    expect(err?.variable).toBe(variable)
    expect(err?.message).toMatch(problem)
  })
})

describe('near cache variables', () => {
  it('defaults to off, with sessions, catalog and price answers as the near key classes', () => {
    expect(loadConfig({}).cache.near).toEqual({
      enabled: false,
      prefixes: ['session:', 'catalog:', 'prices:'],
      maxEntries: 10_000,
      maxBytes: 16 * 1024 * 1024,
      leaseMs: 50,
      heartbeatMs: 10,
    })
    expect(loadConfig({ CACHE_NEAR: 'true', CACHE_NEAR_PREFIXES: ' session: ,x:', CACHE_NEAR_MAX_SIZE: '1mb' }).cache.near).toMatchObject({
      enabled: true,
      prefixes: ['session:', 'x:'],
      maxBytes: 1024 * 1024,
    })
  })
  it('refuses a prefix that would keep rate-limit counters near, and a heartbeat not below the lease', () => {
    for (const p of ['rl:', 'r', 'rl:api:', 'session:,', ',']) {
      const err = errorOf({ CACHE_NEAR_PREFIXES: p })
      if (p === 'session:,') expect(err).toBeUndefined()
      else expect(err?.variable, p).toBe('CACHE_NEAR_PREFIXES')
    }
    expect(errorOf({ CACHE_NEAR_LEASE_MS: '20', CACHE_NEAR_HEARTBEAT_MS: '20' })?.variable).toBe('CACHE_NEAR_HEARTBEAT_MS')
  })
})

describe('DATABASE_LISTEN_URL', () => {
  it('is the near cache feed’s direct connection, unset by default; other schemes are refused', () => {
    expect(loadConfig({ DATABASE_LISTEN_URL: 'postgres://db:5432/app' }).databaseListenUrl).toBe('postgres://db:5432/app')
    expect(loadConfig({}).databaseListenUrl).toBeUndefined()
    expect(errorOf({ DATABASE_LISTEN_URL: 'redis://db' })?.variable).toBe('DATABASE_LISTEN_URL')
  })
})
