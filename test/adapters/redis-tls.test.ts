import { spawn } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { createCacheFromConfig, redisTargetFrom } from '../../src/composition/cache.js'
import { captureLogger } from '../helpers/capture-logger.js'
import { RUNTIME_COMMANDS, type Runtime } from '../helpers/server-process.js'
import { uniqueName } from '../helpers/services.js'
import { makeCertificates, startTlsRedis, type TestCertificates } from '../helpers/tls-redis.js'
import type { OwnRedis } from '../helpers/redis-server.js'

/**
 * Issue 13, item 2: `REDIS_TLS_CA_FILE`, `REDIS_TLS_CERT_FILE`, `REDIS_TLS_KEY_FILE` against real TLS-only
 * servers (`--port 0`) with a CA and certificates made by `openssl` here: a private CA, mutual TLS, a wrong
 * CA (a clear reason; fallback or start-up error as CACHE_STRICT says), and files that cannot be used
 * (start-up stops with one line naming the variable).
 */
let certs: TestCertificates
let tls: OwnRedis // server certificate only
let mtls: OwnRedis // demands a client certificate

beforeAll(async () => {
  certs = await makeCertificates()
  ;[tls, mtls] = await Promise.all([startTlsRedis(certs, false), startTlsRedis(certs, true)])
}, 30_000)

afterAll(async () => {
  await Promise.all([tls?.stop(), mtls?.stop()])
  certs?.remove()
})

function env(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return { APP_ENV: 'test', REDIS_URL: url, CACHE_BACKEND: 'redis', CACHE_STRICT: 'true', CACHE_KEY_PREFIX: uniqueName('tls'), ...extra }
}

/** A raw client that trusts the private CA and presents the client certificate. */
function rawClient(server: OwnRedis): Redis {
  return new Redis({
    host: '127.0.0.1',
    port: server.port,
    tls: { ca: readFileSync(certs.ca), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) },
  })
}

/** The strict start-up error for `e` (one line), and the cache built with CACHE_STRICT=false and its log. */
async function strictThenLenient(e: Record<string, string>) {
  const strict = await createCacheFromConfig(loadConfig(e), captureLogger()).then(
    () => undefined,
    (err: unknown) => err as Error,
  )
  expect(strict?.message.split('\n')).toHaveLength(1)
  const logger = captureLogger()
  const cache = await createCacheFromConfig(loadConfig({ ...e, CACHE_STRICT: 'false' }), logger)
  expect(await cache.stats()).toMatchObject({ backend: 'redis', active: 'memory', degraded: true })
  return { strict: strict!.message, cache, logger }
}

async function roundTrip(e: Record<string, string>, server: OwnRedis) {
  const logger = captureLogger()
  const cache = await createCacheFromConfig(loadConfig(e), logger)
  try {
    expect(await cache.stats()).toMatchObject({ backend: 'redis', active: 'redis', degraded: false })
    await cache.set('k', { over: 'tls' }, 60)
    expect(await cache.get('k')).toEqual({ over: 'tls' })
    const raw = rawClient(server)
    expect(await raw.get(`${e.CACHE_KEY_PREFIX}:1:k`)).toBe('{"over":"tls"}')
    raw.disconnect()
    expect(logger.at('warn')).toEqual([])
  } finally {
    await cache.close()
  }
}

describe('Redis over TLS with a private CA', () => {
  it('the server refuses plain TCP: it is TLS-only', async () => {
    const plain = new Redis({ host: '127.0.0.1', port: tls.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 })
    plain.on('error', () => {})
    await expect(plain.connect().then(() => plain.ping())).rejects.toThrow()
    plain.disconnect()
  })

  it('REDIS_TLS_CA_FILE: verifies the server against the private CA (IP in the SANs) and round-trips', async () => {
    await roundTrip(env(tls.url, { REDIS_TLS_CA_FILE: certs.ca }), tls)
  })

  it('mutual TLS: REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE present the client certificate', async () => {
    await roundTrip(env(mtls.url, { REDIS_TLS_CA_FILE: certs.ca, REDIS_TLS_CERT_FILE: certs.clientCert, REDIS_TLS_KEY_FILE: certs.clientKey }), mtls)
  })

  it('the host name is checked too: rediss://localhost verifies the DNS name in the certificate (SNI)', async () => {
    expect(redisTargetFrom(loadConfig(env(`rediss://localhost:${tls.port}`, { REDIS_TLS_CA_FILE: certs.ca })))).toMatchObject({ tls: { ca: expect.stringContaining('BEGIN CERTIFICATE') } })
    const cache = await createCacheFromConfig(loadConfig(env(`rediss://localhost:${tls.port}`, { REDIS_TLS_CA_FILE: certs.ca })), captureLogger())
    expect(await cache.stats()).toMatchObject({ active: 'redis', degraded: false })
    expect(await cache.ping()).toBeGreaterThanOrEqual(0)
    await cache.close()
  })

  it('mutual TLS without a client certificate: strict start fails naming the server; otherwise memory serves', async () => {
    // The server's alert names the missing certificate; in TLS 1.3 a client may see only the reset that follows it.
    const { strict, cache, logger } = await strictThenLenient(env(mtls.url, { REDIS_TLS_CA_FILE: certs.ca }))
    console.info(`mutual TLS without a client certificate, strict: ${strict}`)
    expect(strict).toMatch(/^CACHE_BACKEND=redis cannot be reached \(redis at rediss:\/\/127\.0\.0\.1:\d+\/?: .*(the server demands a client certificate|ECONNRESET).*REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE give one/)
    expect(logger.at('warn')).toHaveLength(1)
    await cache.close()
  })

  it('a wrong CA: a clear certificate error; CACHE_STRICT=true stops start-up, false falls back to memory', async () => {
    const { strict, cache, logger } = await strictThenLenient(env(tls.url, { REDIS_TLS_CA_FILE: certs.otherCa }))
    console.info(`wrong CA, strict: ${strict}`)
    expect(strict).toMatch(/cannot be reached .*certificate.*is REDIS_TLS_CA_FILE the CA that signed/i)
    await cache.set('k', 1)
    expect(await cache.get('k')).toBe(1)
    const [warn] = logger.at('warn')
    expect(JSON.stringify(warn!.fields)).toMatch(/certificate/i)
    await cache.close()
  })
})

describe('TLS files that cannot be used stop start-up, naming the variable', () => {
  const cases: [string, () => Record<string, string>, RegExp][] = [
    ['a missing CA file', () => ({ REDIS_TLS_CA_FILE: join(certs.dir, 'nope.crt') }), /^Invalid REDIS_TLS_CA_FILE: cannot use ".*nope\.crt": no such file$/],
    ['a directory', () => ({ REDIS_TLS_CA_FILE: certs.dir }), /^Invalid REDIS_TLS_CA_FILE: cannot use ".*": a directory, not a file$/],
    ['a key given as the CA', () => ({ REDIS_TLS_CA_FILE: certs.clientKey }), /^Invalid REDIS_TLS_CA_FILE: .*not a PEM certificate$/],
    [
      'a key that is not the certificate\'s',
      () => ({ REDIS_TLS_CERT_FILE: certs.clientCert, REDIS_TLS_KEY_FILE: certs.serverKey }),
      /^Invalid REDIS_TLS_KEY_FILE: .*not the key of the client certificate/,
    ],
    ['a certificate given as the key', () => ({ REDIS_TLS_CERT_FILE: certs.clientCert, REDIS_TLS_KEY_FILE: certs.clientCert }), /^Invalid REDIS_TLS_KEY_FILE: .*not a PEM private key/],
  ]
  it.each(cases)('%s', async (_, extra, message) => {
    const e = env(tls.url, { ...extra(), CACHE_STRICT: 'false' })
    await expect(createCacheFromConfig(loadConfig(e), captureLogger())).rejects.toThrow(message)
  })

  it('an unreadable file (mode 000): permission denied', async () => {
    const locked = join(certs.dir, 'locked.crt')
    writeFileSync(locked, 'x')
    chmodSync(locked, 0)
    // root reads any file: the check is then only that the error would name the variable.
    const e = env(tls.url, { REDIS_TLS_CA_FILE: locked })
    await expect(createCacheFromConfig(loadConfig(e), captureLogger())).rejects.toThrow(
      process.getuid?.() === 0 ? /^Invalid REDIS_TLS_CA_FILE: .*not a PEM certificate$/ : /^Invalid REDIS_TLS_CA_FILE: .*permission denied$/,
    )
  })

  it.each(['node', 'bun'] as Runtime[])('on %s: exit 1 and exactly one line on stderr', async (runtime) => {
    const [cmd, args] = RUNTIME_COMMANDS[runtime]
    const child = spawn(cmd, args, {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', ...env(tls.url, { REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
    expect(code).toBe(1)
    expect(stderr.trimEnd().split('\n')).toEqual(['start-up failed: Invalid REDIS_TLS_CA_FILE: cannot use "/nonexistent/ca.pem": no such file'])
  })
})
