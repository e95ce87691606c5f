import { UnauthorizedError, ValidationError } from '../../domain/errors.js'
import type { Logger } from '../../ports/logger.js'
import type { UserStore } from '../../ports/users.js'
import type { CreatedSession, Sessions } from '../sessions/sessions.js'
import type { PasswordHasher } from './password.js'

export interface AuthDeps {
  users: UserStore
  sessions: Sessions
  passwords: PasswordHasher
  logger: Logger
}

/** One message for unknown user and wrong password, so the answer does not reveal which. */
export const INVALID_CREDENTIALS = 'Invalid username or password'

export interface Auth {
  /**
   * Checks the credentials and opens a new session (a new id every time). `previousSessionId`, the cookie
   * sent with the login, is logged out afterwards so a planted id is useless (session fixation).
   * Throws `UnauthorizedError` for bad credentials, `BackendUnavailableError` when a store is down.
   */
  login(username: string, password: string, previousSessionId?: string): Promise<CreatedSession>
  /** Log out the session of this cookie value (idempotent). */
  logout(sessionId: string | undefined): Promise<void>
  sessions: Sessions
}

export function createAuth(deps: AuthDeps): Auth {
  const { users, sessions, passwords, logger } = deps
  return {
    sessions,
    async login(username, password, previousSessionId) {
      // A name no account can have (NUL, controls, lone surrogates) is not looked up: some stores cannot even hold it.
      const user = isValidUsername(username) ? await users.findByUsername(username) : undefined
      // Unknown users pay the same KDF as a wrong password: equal timing, equal answer.
      const result = user ? await passwords.verify(password, user.passwordHash) : await passwords.verifyDummy(password)
      if (!user || !result.ok) throw new UnauthorizedError(INVALID_CREDENTIALS)
      if (result.needsRehash) {
        try {
          await users.setPassword(user.id, await passwords.hash(password))
        } catch (err) {
          logger.warn('password rehash failed; will retry on next login', { userId: user.id, err: (err as Error).message })
        }
      }
      const created = await sessions.create({ id: user.id, username: user.username, role: user.role })
      if (previousSessionId !== undefined) {
        await sessions.destroy(previousSessionId).catch((err: Error) => logger.warn('could not end the pre-login session', { err: err.message }))
      }
      return created
    },
    async logout(sessionId) {
      await sessions.destroy(sessionId)
    },
  }
}

/** Username rules shared by the CLI and the admin bootstrap (the login route only checks lengths). */
export function isValidUsername(username: string): boolean {
  return /^[\p{L}\p{N}_.@+-]{1,150}$/u.test(username)
}

export function assertValidUsername(username: string): void {
  if (!isValidUsername(username)) {
    throw new ValidationError('Username must be 1–150 letters, digits or _ . @ + -')
  }
}

export const MIN_PASSWORD_LENGTH = 8
export const MAX_PASSWORD_LENGTH = 1024

export function assertValidPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new ValidationError(`Password must be ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters`)
  }
}
