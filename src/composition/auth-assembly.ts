import type { Config } from '../config.js'
import type { CachePort } from '../ports/cache.js'
import type { Logger } from '../ports/logger.js'
import type { SessionStore } from '../ports/session-store.js'
import type { UserStore } from '../ports/users.js'
import { createAccounts, type Accounts } from '../use-cases/auth/accounts.js'
import { createAuth, type Auth } from '../use-cases/auth/login.js'
import { createPasswordHasher } from '../use-cases/auth/password.js'
import { createSessions, type Sessions } from '../use-cases/sessions/sessions.js'

/**
 * A process-local cache in front of a shared store (CACHE_BACKEND=memory with DATABASE_URL: several
 * instances may share the database) cannot see another instance's logout, so its copies are kept short.
 */
const LOCAL_CACHE_MAX_TTL = 5

/**
 * The failover cache is built before the sessions exist; this relays its "a backend becomes active" hook
 * to them once they do (`createAuthComponents` attaches them), so revocations are replayed into every
 * backend before it serves sessions. Pass `onActivate` to `createCacheFromConfig`.
 */
export function createActivationRelay() {
  let sessions: Pick<Sessions, 'replayRevocations'> | undefined
  return {
    onActivate: async (target: CachePort) => {
      await sessions?.replayRevocations(target)
    },
    attach(s: Pick<Sessions, 'replayRevocations'>) {
      sessions = s
    },
  }
}
export type ActivationRelay = ReturnType<typeof createActivationRelay>

export interface AuthOptions {
  /** PBKDF2 iterations for new hashes; default 600,000. Only tests lower it. */
  passwordIterations?: number
  /** Skip the `ADMIN_USERNAME`/`ADMIN_PASSWORD` bootstrap (CLI commands do their own thing). */
  skipAdminBootstrap?: boolean
  /** The relay given to `createCacheFromConfig`: the sessions replay revocations on every backend switch. */
  activation?: ActivationRelay
}

export interface AuthComponents {
  users: UserStore
  sessionStore: SessionStore
  sessions: Sessions
  auth: Auth
  accounts: Accounts
  /** Stops the session store's prune timer (the pool belongs to the caller). */
  close(): Promise<void>
}

/** Where users and sessions live. */
export interface AuthStores {
  users: UserStore
  sessionStore: SessionStore
  /** Shared by several instances (a database): a process-local cache in front keeps its copies short. */
  shared: boolean
}

/** Users, sessions, login and accounts on the given stores; the session cache is the app's (failover-wrapped) cache. */
export async function assembleAuth(
  config: Config,
  logger: Logger,
  cache: CachePort,
  stores: AuthStores,
  options: AuthOptions = {},
): Promise<AuthComponents> {
  const { users, sessionStore } = stores
  const passwords = createPasswordHasher({ iterations: options.passwordIterations })
  const sessions = createSessions({
    cache,
    store: sessionStore,
    users,
    logger,
    ttl: config.session.ttl,
    idleTtl: config.session.idleTtl,
    maxCacheTtl: stores.shared && cache.name === 'memory' ? LOCAL_CACHE_MAX_TTL : undefined,
    storeEpoch: await sessionStore.epoch(),
  })
  // The cache in use now may have missed logouts (another CACHE_BACKEND, or down, when they happened).
  const replayed = await sessions.replayRevocations(cache)
  if (replayed > 0) logger.info('session revocations replayed into the cache', { cache: cache.name, revocations: replayed })
  options.activation?.attach(sessions)
  const auth = createAuth({ users, sessions, passwords, logger })
  const accounts = createAccounts({ users, sessions, passwords, logger })
  if (config.admin && !options.skipAdminBootstrap) await accounts.ensureAdmin(config.admin.username, config.admin.password)
  return { users, sessionStore, sessions, auth, accounts, close: () => sessionStore.close() }
}
