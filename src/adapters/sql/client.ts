import postgres from 'postgres'

export type Sql = postgres.Sql

export interface PgClientOptions {
  /** Pool size. Size it for the expected in-flight queries (postgres.js slows down when queries queue). */
  max?: number
  /** Seconds to wait for a connection. Default 5. */
  connectTimeout?: number
  /** Statement timeout, ms, set on every connection. Default 5000. */
  statementTimeoutMs?: number
}

/** One postgres.js pool; notices silenced (idempotent DDL emits them), bounded connect and statement time. */
export function createPgClient(url: string, options: PgClientOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    connect_timeout: options.connectTimeout ?? 5,
    idle_timeout: 30,
    onnotice: () => {},
    connection: { statement_timeout: options.statementTimeoutMs ?? 5000, application_name: 'ahsp-api' },
  })
}
