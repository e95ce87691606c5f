import postgres from 'postgres'

export type Sql = postgres.Sql

export interface PgClientOptions {
  /** Pool size. Size it for the expected in-flight queries (postgres.js slows down when queries queue). */
  max?: number
  /** Seconds to wait for a connection (TCP and start-up answer). Default 5. */
  connectTimeout?: number
  /**
   * Named prepared statements (`DATABASE_PREPARE`). Default true. Set false behind a pooler that cannot
   * keep them per client (PgBouncer in transaction mode without `max_prepared_statements`).
   */
  prepare?: boolean
  /** Seconds a connection lives before it is replaced (spreads reconnects; drops dead sockets). Default 30 min. */
  maxLifetime?: number
}

/** postgres.js's default reconnect delay, capped: its retry count is shared by the whole pool, so
 *  uncapped (up to 20 s) it outlives the outage that raised it. */
const RECONNECT_CAP_S = 0.25
export const cappedBackoff = (retries: number) => Math.min(RECONNECT_CAP_S, (0.5 + Math.random() / 2) * Math.min(3 ** retries / 100, 20))

/**
 * One postgres.js pool; notices silenced (idempotent DDL emits them), bounded connect time, reconnects
 * no further apart than 250 ms. No start-up parameter but `application_name` (PgBouncer refuses others):
 * statements are bounded by the caller's deadline and cancel (`pool.ts`), or a role's `statement_timeout`.
 */
export function createPgClient(url: string, options: PgClientOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    connect_timeout: options.connectTimeout ?? 5,
    idle_timeout: 30,
    max_lifetime: options.maxLifetime ?? 30 * 60,
    backoff: cappedBackoff,
    prepare: options.prepare ?? true,
    onnotice: () => {},
    connection: { application_name: 'ahsp-api' },
  })
}
