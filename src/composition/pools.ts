import { createPgPool, type PgPool } from '../adapters/sql/pool.js'

/**
 * PostgreSQL pools, one per concern, each bounded (a full queue answers 503 at once) and with a 1.25 s
 * deadline per call: a 20 s lock on the catalog table fills only the catalog pool, logins go on.
 * Sizes: pool = expected in-flight queries (postgres.js slows down when more are queued than it has
 * connections, porsager/postgres#747); 8 + 8 + 2 stays far under PostgreSQL's default 100 connections
 * per instance. The cache table has its own pool in its adapter (`createSqlCache`).
 */
export interface PgPools {
  /** Users and sessions: every login and every session-cache miss. */
  auth: PgPool
  /** Catalog reads (search, job, sources, generation). */
  catalog: PgPool
  /** Imports: long transactions under their own statement timeout, never on the read pools. */
  imports: PgPool
  end(): Promise<void>
}

export function createPgPools(url: string, prepare: boolean): PgPools {
  // Queues deep enough for a burst (1,000 concurrent logins: test/auth/concurrent-logins.test.ts); the
  // bound is for a store that stopped answering, not for load. Auth statements are key look-ups that no
  // lock holds, so a login queued behind a burst may wait up to 4 deadlines while others complete; a
  // catalog call never waits past one (a lock on catalog_jobs holds its statements).
  const auth = createPgPool(url, { name: 'auth', max: 8, queue: 1024, patience: 4, prepare })
  const catalog = createPgPool(url, { name: 'catalog', max: 8, queue: 512, prepare })
  const imports = createPgPool(url, { name: 'import', max: 2, queue: 4, deadlineMs: 0, prepare })
  return {
    auth,
    catalog,
    imports,
    async end() {
      await Promise.all([auth, catalog, imports].map((p) => p.end({ timeout: 5 })))
    },
  }
}
