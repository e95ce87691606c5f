import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { createJsonLogger } from '../../src/adapters/log/json-logger.js'
import { buildContainer, type Container } from '../../src/composition/index.js'

/**
 * The real JSON logger, capturing every line the app writes at debug level, through a login, a wrong
 * login, authenticated requests, a logout and a start-up on an unreachable password-protected Redis:
 * no line may contain a password, the session id or the Redis password.
 */

const PASSWORD = 'Pa55word-That-Must-Not-Leak'
const WRONG = 'Wrong-Guess-Also-Secret'
const REDIS_SECRET = 's3cret'

function capture() {
  const lines: string[] = []
  return { lines, logger: createJsonLogger({ level: 'debug', write: (l) => lines.push(l) }) }
}

const containers: Container[] = []
afterAll(async () => {
  await Promise.all(containers.map((c) => c.close()))
})

async function start(env: Record<string, string>) {
  const { lines, logger } = capture()
  const container = await buildContainer(loadConfig({ APP_ENV: 'test', LOG_LEVEL: 'debug', ...env }), logger)
  containers.push(container)
  return { lines, app: container.app }
}

describe('no secrets in logs', () => {
  it('login, wrong login, session use and logout never log the password or the session id', async () => {
    const { lines, app } = await start({ CACHE_BACKEND: 'memory', ADMIN_USERNAME: 'root', ADMIN_PASSWORD: PASSWORD })
    const headers = { 'Content-Type': 'application/json', Origin: 'http://localhost' }
    const wrong = await app.request('/auth/login', { method: 'POST', headers, body: JSON.stringify({ username: 'root', password: WRONG }) })
    expect(wrong.status).toBe(401)
    const login = await app.request('/auth/login', { method: 'POST', headers, body: JSON.stringify({ username: 'root', password: PASSWORD }) })
    expect(login.status).toBe(200)
    const sid = /sid=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1]
    expect(sid).toBeTruthy()
    const cookie = `sid=${sid}`
    expect((await app.request('/auth/me', { headers: { Cookie: cookie } })).status).toBe(200)
    await app.request(`/ahsp/search?q=beton&token=${PASSWORD}`, { headers: { Cookie: cookie, Authorization: `Bearer ${PASSWORD}` } })
    await app.request('/nowhere', { headers: { Cookie: cookie } })
    expect((await app.request('/auth/logout', { method: 'POST', headers: { Cookie: cookie, Origin: 'http://localhost' } })).status).toBe(204)
    // a stale cookie after logout is a typical place to log "unknown session <id>"
    expect((await app.request('/auth/me', { headers: { Cookie: cookie } })).status).toBe(401)

    expect(lines.filter((l) => l.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(7)
    const text = lines.join('\n')
    expect(text).not.toContain(PASSWORD)
    expect(text).not.toContain(WRONG)
    expect(text).not.toContain(sid!)
  })

  it.each([
    ['auto', {}],
    ['redis', { CACHE_BACKEND: 'redis' }],
  ])('start-up with an unreachable password-protected REDIS_URL (%s) warns without the password', async (_l, env) => {
    const { lines, app } = await start({ REDIS_URL: `redis://:${REDIS_SECRET}@127.0.0.1:1/0`, ...env })
    const warn = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === 'warn')
    expect(warn, lines.join('\n')).toBeDefined()
    expect(JSON.stringify(warn)).toMatch(/redis/i)
    expect((await app.request('/ready')).status).toBe(200)
    expect(lines.join('\n')).not.toContain(REDIS_SECRET)
  })

  it('a strict start-up failure names Redis but not its password (percent-encoded or not)', async () => {
    for (const pass of [REDIS_SECRET, 's3c%40ret']) {
      const { lines, logger } = capture()
      const config = loadConfig({ REDIS_URL: `redis://user:${pass}@127.0.0.1:1/0`, CACHE_BACKEND: 'redis', CACHE_STRICT: 'true' })
      const err = await buildContainer(config, logger).then(
        (c) => {
          containers.push(c)
          return undefined
        },
        (e: Error) => e,
      )
      expect(err?.message).toMatch(/redis/i)
      for (const s of [pass, decodeURIComponent(pass)]) {
        expect(err!.message).not.toContain(s)
        expect(lines.join('\n')).not.toContain(s)
      }
    }
  })
})
