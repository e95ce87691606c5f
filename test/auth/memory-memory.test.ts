import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { buildContainer, type Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'
import { describeAuthHttp } from './auth-http.suite.js'
import { ADMIN, login, me, sessionFor } from './harness.js'

describeAuthHttp({ cache: 'memory', store: 'memory', shared: false })

describe('auth in production mode (embedded default, real 600k-iteration KDF)', () => {
  let c: Container
  beforeAll(async () => {
    c = await buildContainer(
      loadConfig({ APP_ENV: 'production', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }),
      silentLogger,
    )
  })
  afterAll(async () => {
    await c?.close()
  })

  it('adds Secure to the cookie and HSTS to every response', async () => {
    const res = await login(c.app, ADMIN.username, ADMIN.password)
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toMatch(/; HttpOnly; Secure; SameSite=Lax$/)
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+; includeSubDomains$/)
    expect((await c.app.request('/health')).headers.get('strict-transport-security')).toMatch(/max-age/)
  })

  it('stores the admin with the default 600,000 iterations', async () => {
    expect((await c.auth.users.findByUsername(ADMIN.username))?.passwordHash).toMatch(/^pbkdf2-sha256\$600000\$/)
    const sid = await sessionFor(c.app, ADMIN.username, ADMIN.password)
    expect(((await (await me(c.app, sid)).json()) as { user: { role: string } }).user.role).toBe('admin')
  })
})
