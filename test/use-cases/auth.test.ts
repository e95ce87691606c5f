import { describe, expect, it } from 'vitest'
import { createMemoryCache } from '../../src/adapters/memory/cache.js'
import { createMemorySessionStore } from '../../src/adapters/memory/session-store.js'
import { createMemoryUserStore } from '../../src/adapters/memory/user-store.js'
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '../../src/domain/errors.js'
import { silentLogger } from '../../src/ports/logger.js'
import { createAccounts } from '../../src/use-cases/auth/accounts.js'
import { createAuth, INVALID_CREDENTIALS } from '../../src/use-cases/auth/login.js'
import { createPasswordHasher } from '../../src/use-cases/auth/password.js'
import { createSessions } from '../../src/use-cases/sessions/sessions.js'

function setup(iterations = 1000) {
  const users = createMemoryUserStore()
  const sessions = createSessions({ cache: createMemoryCache(), store: createMemorySessionStore(), users, logger: silentLogger, ttl: 3600 })
  const passwords = createPasswordHasher({ iterations })
  const deps = { users, sessions, passwords, logger: silentLogger }
  return { users, sessions, auth: createAuth(deps), accounts: createAccounts(deps) }
}

describe('login', () => {
  it('refuses unknown users and wrong passwords with one error and message', async () => {
    const { auth, accounts } = setup()
    await accounts.create('dan', 'dan-password', 'user')
    const errs = await Promise.all([auth.login('dan', 'wrong-password').catch((e) => e), auth.login('ghost', 'x').catch((e) => e)])
    for (const e of errs) {
      expect(e).toBeInstanceOf(UnauthorizedError)
      expect(e.message).toBe(INVALID_CREDENTIALS)
    }
  })

  it('runs the KDF once at the current cost for an unknown user, as for a wrong password (same timing)', async () => {
    const { users, sessions, accounts } = setup()
    await accounts.create('dan', 'dan-password', 'user')
    const real = createPasswordHasher({ iterations: 1000 })
    const runs: string[] = []
    const counting = {
      ...real,
      verify: (p: string, h: string) => (runs.push('verify'), real.verify(p, h)),
      verifyDummy: (p: string) => (runs.push('dummy'), real.verifyDummy(p)),
    }
    const auth = createAuth({ users, sessions, passwords: counting, logger: silentLogger })
    await auth.login('dan', 'wrong-password').catch(() => {})
    await auth.login('ghost', 'wrong-password').catch(() => {})
    expect(runs).toEqual(['verify', 'dummy'])
  })

  it('re-hashes a password made with fewer iterations on the next successful login', async () => {
    const weak = setup(1000)
    await weak.accounts.create('eve', 'eve-password', 'user')
    const stronger = createAuth({ ...weak, passwords: createPasswordHasher({ iterations: 2000 }), logger: silentLogger })
    await stronger.login('eve', 'eve-password')
    expect((await weak.users.findByUsername('eve'))?.passwordHash).toMatch(/^pbkdf2-sha256\$2000\$/)
  })

  it('ends the pre-login session (fixation)', async () => {
    const { auth, accounts, sessions } = setup()
    await accounts.create('fay', 'fay-password', 'user')
    const first = await auth.login('fay', 'fay-password')
    const second = await auth.login('fay', 'fay-password', first.id)
    expect(await sessions.resolve(first.id)).toBeUndefined()
    expect(await sessions.resolve(second.id)).toBeDefined()
  })
})

describe('accounts', () => {
  it('validates usernames and passwords, refuses duplicates', async () => {
    const { accounts } = setup()
    await expect(accounts.create('bad name', 'long-enough', 'user')).rejects.toBeInstanceOf(ValidationError)
    await expect(accounts.create('ok', 'short', 'user')).rejects.toBeInstanceOf(ValidationError)
    await accounts.create('ok', 'long-enough', 'user')
    await expect(accounts.create('ok', 'long-enough', 'user')).rejects.toBeInstanceOf(ConflictError)
    await expect(accounts.setPassword('nobody', 'long-enough')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('setPassword changes the password and logs the user out everywhere', async () => {
    const { accounts, auth, sessions } = setup()
    await accounts.create('gus', 'old-password', 'user')
    const s = await auth.login('gus', 'old-password')
    expect(await accounts.setPassword('gus', 'new-password')).toEqual({ sessionsEnded: 1 })
    expect(await sessions.resolve(s.id)).toBeUndefined()
    await expect(auth.login('gus', 'old-password')).rejects.toBeInstanceOf(UnauthorizedError)
    await auth.login('gus', 'new-password')
  })

  it('ensureAdmin creates, leaves a matching admin alone (restarts), resets a changed password or role', async () => {
    const { accounts, auth, sessions, users } = setup()
    expect(await accounts.ensureAdmin('root', 'first-password')).toBe('created')
    const s = await auth.login('root', 'first-password')
    const hash = (await users.findByUsername('root'))?.passwordHash
    expect(await accounts.ensureAdmin('root', 'first-password')).toBe('unchanged')
    expect((await users.findByUsername('root'))?.passwordHash).toBe(hash)
    expect(await sessions.resolve(s.id)).toBeDefined()
    expect(await accounts.ensureAdmin('root', 'second-password')).toBe('updated')
    expect(await sessions.resolve(s.id)).toBeUndefined()
    await auth.login('root', 'second-password')
    await accounts.create('demoted', 'some-password', 'user')
    expect(await accounts.ensureAdmin('demoted', 'some-password')).toBe('updated')
    expect((await users.findByUsername('demoted'))?.role).toBe('admin')
  })
})
