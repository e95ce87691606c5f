import { NotFoundError } from '../../domain/errors.js'
import type { Logger } from '../../ports/logger.js'
import type { Role, User, UserStore } from '../../ports/users.js'
import type { Sessions } from '../sessions/sessions.js'
import { assertValidPassword, assertValidUsername } from './login.js'
import type { PasswordHasher } from './password.js'

export interface AccountsDeps {
  users: UserStore
  sessions: Sessions
  passwords: PasswordHasher
  logger: Logger
}

/** Account administration (CLI, start-up bootstrap). Never returns password hashes to callers that print. */
export function createAccounts(deps: AccountsDeps) {
  const { users, sessions, passwords, logger } = deps

  async function byName(username: string): Promise<User> {
    const user = await users.findByUsername(username)
    if (!user) throw new NotFoundError(`No user "${username}"`)
    return user
  }

  return {
    /** Creates a user; `ConflictError` if the name is taken. */
    async create(username: string, password: string, role: Role): Promise<User> {
      assertValidUsername(username)
      assertValidPassword(password)
      return users.create({ username, role, passwordHash: await passwords.hash(password) })
    },

    /** Sets a new password and ends every session of that user (a reset must lock out whoever had it). */
    async setPassword(username: string, password: string): Promise<{ sessionsEnded: number }> {
      assertValidPassword(password)
      const user = await byName(username)
      await users.setPassword(user.id, await passwords.hash(password))
      return { sessionsEnded: await sessions.logoutEverywhere(user.id) }
    },

    async logoutEverywhere(username: string): Promise<number> {
      return sessions.logoutEverywhere((await byName(username)).id)
    },

    /**
     * `ADMIN_USERNAME`/`ADMIN_PASSWORD` at start: create that admin, or reset its role and password. When the
     * password already matches (every restart), nothing is written and nobody is logged out.
     */
    async ensureAdmin(username: string, password: string): Promise<'created' | 'updated' | 'unchanged'> {
      assertValidUsername(username)
      const existing = await users.findByUsername(username)
      if (existing && existing.role === 'admin') {
        const { ok, needsRehash } = await passwords.verify(password, existing.passwordHash)
        if (ok && needsRehash) await users.setPassword(existing.id, await passwords.hash(password))
        if (ok) return 'unchanged'
      }
      const user = await users.upsert({ username, role: 'admin', passwordHash: await passwords.hash(password) })
      if (existing) {
        const ended = await sessions.logoutEverywhere(user.id)
        logger.info('admin account reset from ADMIN_USERNAME/ADMIN_PASSWORD', { username, sessionsEnded: ended })
        return 'updated'
      }
      logger.info('admin account created from ADMIN_USERNAME/ADMIN_PASSWORD', { username })
      return 'created'
    },
  }
}

export type Accounts = ReturnType<typeof createAccounts>
