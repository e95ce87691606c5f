import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUserCommands } from '../../src/cli/users.js'
import { loadConfig } from '../../src/config.js'
import type { Container } from '../../src/composition/index.js'
import { silentLogger } from '../../src/ports/logger.js'
import { login, me, openPair, sessionFor } from '../auth/harness.js'

/** Runs a `users` command as the dispatcher would, with the password "typed" on stdin. */
async function run(env: Record<string, string>, args: string[], password = '') {
  const out: string[] = []
  const err: string[] = []
  let asked = 0
  const commands = createUserCommands({
    readPassword: async () => (asked++, password),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  })
  const [name, ...rest] = args
  const code = await commands[name!]!.run(rest, loadConfig({ LOG_LEVEL: 'error', ...env }))
  return { code, out: out.join('\n'), err: err.join('\n'), asked }
}

describe('users CLI (PostgreSQL store, Redis cache shared with a running server)', () => {
  let env: Awaited<ReturnType<typeof openPair>>
  let server: Container

  beforeAll(async () => {
    env = await openPair({ cache: 'redis', store: 'postgres' })
    server = await env.instance(silentLogger)
  })
  afterAll(async () => {
    await env?.close()
  })

  it('create makes a user (or an admin) whose password came from stdin', async () => {
    const made = await run(env.env, ['create', 'hana'], 'hana-password')
    expect(made).toMatchObject({ code: 0, asked: 1 })
    expect(made.out).toMatch(/^created user hana \([0-9a-f-]{36}\)$/)
    expect((await login(server.app, 'hana', 'hana-password')).status).toBe(200)
    const admin = await run(env.env, ['create', '--admin', 'ivan'], 'ivan-password')
    expect(admin.out).toMatch(/^created admin ivan/)
    expect((await server.auth.users.findByUsername('ivan'))?.passwordHash).toMatch(/^pbkdf2-sha256\$600000\$/)
  })

  it('refuses a taken name, a short password and bad usage, with exit codes 1 and 2', async () => {
    expect(await run(env.env, ['create', 'hana'], 'another-password')).toMatchObject({ code: 1, err: expect.stringMatching(/taken/) })
    expect(await run(env.env, ['create', 'jo'], 'short')).toMatchObject({ code: 1, err: expect.stringMatching(/Password must be/) })
    expect(await run(env.env, ['create'], 'x')).toMatchObject({ code: 2, asked: 0 })
    expect(await run(env.env, ['passwd', 'a', 'b'], 'x')).toMatchObject({ code: 2, asked: 0 })
    expect(await run(env.env, ['passwd', 'nobody'], 'long-enough-pw')).toMatchObject({ code: 1, err: expect.stringMatching(/No user/) })
  })

  it('passwd changes the password and ends the running sessions on the server', async () => {
    await run(env.env, ['create', 'kim'], 'kim-password-1')
    const sid = await sessionFor(server.app, 'kim', 'kim-password-1')
    const res = await run(env.env, ['passwd', 'kim'], 'kim-password-2')
    expect(res).toMatchObject({ code: 0, out: 'password changed for kim; 1 session(s) ended' })
    expect((await me(server.app, sid)).status).toBe(401)
    expect((await login(server.app, 'kim', 'kim-password-1')).status).toBe(401)
    expect((await login(server.app, 'kim', 'kim-password-2')).status).toBe(200)
  })

  it('logout-all ends every session of the user at once (cached ones included)', async () => {
    await run(env.env, ['create', 'lee'], 'lee-password-1')
    const sids = [await sessionFor(server.app, 'lee', 'lee-password-1'), await sessionFor(server.app, 'lee', 'lee-password-1')]
    for (const sid of sids) expect((await me(server.app, sid)).status).toBe(200)
    expect(await run(env.env, ['logout-all', 'lee'])).toMatchObject({ code: 0, out: '2 session(s) ended for lee' })
    for (const sid of sids) expect((await me(server.app, sid)).status).toBe(401)
  })

  it('prune-sessions removes expired sessions; list prints users', async () => {
    await server.auth.sessionStore.create({ idHash: `old-${crypto.randomUUID()}`, userId: 'x', createdAt: 0, expiresAt: 1, idleExpiresAt: null })
    const pruned = await run(env.env, ['prune-sessions'])
    expect(pruned.code).toBe(0)
    expect(pruned.out).toMatch(/^[1-9]\d* expired session\(s\) removed$/)
    expect((await run(env.env, ['list'])).out).toMatch(/^hana\tuser\t/m)
  })

  it('needs DATABASE_URL', async () => {
    expect(await run({ CACHE_BACKEND: 'memory' }, ['logout-all', 'x'])).toMatchObject({ code: 2, err: expect.stringMatching(/DATABASE_URL/) })
  })

  it('reads the password from a real stdin pipe through the dispatcher, never from argv', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'users', 'create', 'piped'], {
      env: { ...process.env, ...env.env, LOG_LEVEL: 'error' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stdin.end('piped-password\nignored second line\n')
    const code = await new Promise((resolve) => child.on('exit', resolve))
    expect(code).toBe(0)
    expect(out).toMatch(/^created user piped/)
    expect((await login(server.app, 'piped', 'piped-password')).status).toBe(200)
  })
})
