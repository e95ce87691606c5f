import type { Config } from '../config.js'
import type { CachePort } from '../ports/cache.js'
import type { Logger } from '../ports/logger.js'
import { createMemorySessionStore } from '../adapters/memory/session-store.js'
import { createMemoryUserStore } from '../adapters/memory/user-store.js'
import type { Sql } from '../adapters/sql/client.js'
import type { PgPool } from '../adapters/sql/pool.js'
import { assembleAuth, type AuthComponents, type AuthOptions, type AuthStores } from './auth-assembly.js'

export { createActivationRelay, type ActivationRelay, type AuthComponents, type AuthOptions } from './auth-assembly.js'

/** PostgreSQL stores on the auth pool when there is a database (tables migrated first), in-memory stores otherwise. */
export async function authStoresFor(db: Sql | PgPool | undefined, logger: Logger): Promise<AuthStores> {
  if (!db) return { users: createMemoryUserStore(), sessionStore: createMemorySessionStore(), shared: false }
  const sql = typeof db === 'function' ? db : db.sql
  // On demand, like every PostgreSQL adapter the composition root uses: a start without a database skips postgres.js.
  const [{ createPgUserStore, migrateUserStore }, { createPgSessionStore, migrateSessionStore }] = await Promise.all([
    import('../adapters/sql/user-store.js'),
    import('../adapters/sql/session-store.js'),
  ])
  await migrateUserStore(sql)
  await migrateSessionStore(sql)
  return {
    users: createPgUserStore(db),
    sessionStore: createPgSessionStore(db, {
      onPruneError: (err) => logger.warn('session prune failed', { err: (err as Error).message }),
    }),
    shared: true,
  }
}

/** Users and sessions on `authStoresFor(db)` (the CLI and tests; the servers go through `assembleContainer`). */
export async function createAuthComponents(
  config: Config,
  logger: Logger,
  cache: CachePort,
  db: Sql | PgPool | undefined,
  options: AuthOptions = {},
): Promise<AuthComponents> {
  return assembleAuth(config, logger, cache, await authStoresFor(db, logger), options)
}
