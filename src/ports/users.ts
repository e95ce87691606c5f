/**
 * Accounts. One semantics on every adapter (memory, PostgreSQL), checked by
 * `test/contracts/user-store.contract.ts`.
 *
 * - Usernames are compared exactly (case-sensitive, as given); they are unique.
 * - `passwordHash` is an opaque, self-describing string (`pbkdf2-sha256$<iterations>$<salt>$<hash>`) made by
 *   the password use case; stores never look inside it.
 * - A miss is `undefined`, never `null`.
 * - A store that cannot reach its backend throws `BackendUnavailableError` (503), never a driver error.
 */
export type Role = 'admin' | 'user'

export interface User {
  /** Opaque, stable id (a UUID). */
  id: string
  username: string
  role: Role
  passwordHash: string
}

export interface NewUser {
  username: string
  role: Role
  passwordHash: string
}

export interface UserStore {
  /** The user with this exact username, or `undefined`. */
  findByUsername(username: string): Promise<User | undefined>
  /** The user with this id, or `undefined` (also for ids that are not UUIDs). */
  findById(id: string): Promise<User | undefined>
  /** Create a user with a fresh id. Throws `ConflictError` when the username is taken. */
  create(user: NewUser): Promise<User>
  /** Replace the password hash. True if the user exists. */
  setPassword(id: string, passwordHash: string): Promise<boolean>
  /**
   * Create the user, or — when the username exists — set its role and password hash (used for
   * `ADMIN_USERNAME`/`ADMIN_PASSWORD` at start). Atomic: two instances doing it at once end with one user.
   */
  upsert(user: NewUser): Promise<User>
  /** Every user, ordered by username. */
  list(): Promise<User[]>
}
