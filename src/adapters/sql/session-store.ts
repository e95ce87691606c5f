import { REVOCATION_RETENTION_MS, type SessionRecord, type SessionStore } from '../../ports/session-store.js'
import type { Sql } from './client.js'
import { runMigrations, type Migration } from './migrations.js'
import { pgCall } from './pg-errors.js'
import { asPgPool, type PgPool } from './pool.js'

export const sessionMigrations: readonly Migration[] = [
  {
    id: 'sessions-001',
    // No foreign key to users: the two stores are separate ports and may live apart; a session whose
    // user is gone is rejected by the use case.
    sql: `create table if not exists sessions (
      id_hash text primary key,
      user_id text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      idle_expires_at timestamptz
    );
    create index if not exists sessions_user_id_idx on sessions (user_id);
    create index if not exists sessions_expires_at_idx on sessions (expires_at);`,
  },
  {
    id: 'sessions-002',
    // Revocations: what a cache backend that was not in use must be told before it serves sessions again.
    // The epoch names this database's sessions: a cache entry from another database is never served.
    sql: `create table if not exists session_revocations (
      id_hash text primary key,
      revoked_at timestamptz not null
    );
    create index if not exists session_revocations_at_idx on session_revocations (revoked_at);
    create table if not exists session_store_meta (epoch text primary key);
    insert into session_store_meta (epoch)
      select gen_random_uuid()::text where not exists (select 1 from session_store_meta);`,
  },
]

/** Applies the sessions table migrations (idempotent; safe with several instances starting at once). */
export function migrateSessionStore(sql: Sql): Promise<string[]> {
  return runMigrations(sql, sessionMigrations)
}

export interface PgSessionStoreOptions {
  /** Clock, ms since epoch; expiry is judged on it, never on the database clock. Default `Date.now`. */
  now?: () => number
  /** Milliseconds between background prunes (timer unref'd); 0 = off. Default 600000 (10 min). */
  pruneIntervalMs?: number
  /** Rows deleted per prune statement, so a prune never holds long locks. Default 1000. */
  pruneBatch?: number
  /** Called with a background prune's error (the store has no logger). Default: ignored. */
  onPruneError?: (err: unknown) => void
}

type Row = { id_hash: string; user_id: string; created_at: Date; expires_at: Date; idle_expires_at: Date | null }
const toRecord = (r: Row): SessionRecord => ({
  idHash: r.id_hash,
  userId: r.user_id,
  createdAt: r.created_at.getTime(),
  expiresAt: r.expires_at.getTime(),
  idleExpiresAt: r.idle_expires_at ? r.idle_expires_at.getTime() : null,
})

/**
 * PostgreSQL session store on a shared postgres.js pool (the caller owns and closes it). Prunes expired
 * rows in the background in small `FOR UPDATE SKIP LOCKED` batches, so instances pruning at once split
 * the work instead of waiting on each other.
 */
export function createPgSessionStore(db: Sql | PgPool, options: PgSessionStoreOptions = {}): SessionStore {
  const now = options.now ?? Date.now
  const batch = options.pruneBatch ?? 1000
  const interval = options.pruneIntervalMs ?? 600_000
  const pool = asPgPool(db, 'sessions')
  const call = <T>(fn: (sql: Sql) => Promise<T>) => pgCall('sessions', () => pool.run(fn))

  async function prune(): Promise<number> {
    const t = new Date(now())
    let total = 0
    for (;;) {
      const res = await pool.run((sql) => sql`
        with doomed as (
          select id_hash from sessions
          where expires_at <= ${t} or idle_expires_at <= ${t}
          limit ${batch} for update skip locked)
        delete from sessions s using doomed where s.id_hash = doomed.id_hash`)
      total += res.count
      if (res.count < batch) break
    }
    await pool.run((sql) => sql`delete from session_revocations where revoked_at < ${new Date(t.getTime() - REVOCATION_RETENTION_MS)}`)
    return total
  }
  let epoch: string | undefined

  let timer: ReturnType<typeof setInterval> | undefined
  if (interval > 0) {
    timer = setInterval(() => void prune().catch((err) => options.onPruneError?.(err)), interval)
    ;(timer as { unref?: () => void }).unref?.()
  }

  return {
    create: (r) =>
      call(async (sql) => {
        await sql`
          insert into sessions (id_hash, user_id, created_at, expires_at, idle_expires_at)
          values (${r.idHash}, ${r.userId}, ${new Date(r.createdAt)}, ${new Date(r.expiresAt)},
                  ${r.idleExpiresAt === null ? null : new Date(r.idleExpiresAt)})`
      }),
    get: (idHash) =>
      call(async (sql) => {
        const t = new Date(now())
        const [r] = await sql<Row[]>`
          select id_hash, user_id, created_at, expires_at, idle_expires_at from sessions
          where id_hash = ${idHash} and expires_at > ${t} and (idle_expires_at is null or idle_expires_at > ${t})`
        return r ? toRecord(r) : undefined
      }),
    touch: (idHash, idleExpiresAt) =>
      call(async (sql) => {
        const t = new Date(now())
        // greatest() ignores NULLs, hence the CASE: a session without idle timeout keeps none.
        const res = await sql`
          update sessions set idle_expires_at = case when idle_expires_at is null then null
            else least(greatest(idle_expires_at, ${new Date(idleExpiresAt)}), expires_at) end
          where id_hash = ${idHash} and expires_at > ${t} and (idle_expires_at is null or idle_expires_at > ${t})`
        return res.count > 0
      }),
    // Delete and revocation in one statement: a logout is never without its record.
    delete: (idHash) =>
      call(async (sql) => {
        const rows = await sql`
          with gone as (delete from sessions where id_hash = ${idHash} returning id_hash)
          insert into session_revocations (id_hash, revoked_at) select id_hash, ${new Date(now())} from gone
          on conflict (id_hash) do update set revoked_at = excluded.revoked_at
          returning id_hash`
        return rows.length > 0
      }),
    deleteByUser: (userId) =>
      call(async (sql) => {
        const rows = await sql<{ id_hash: string }[]>`
          with gone as (delete from sessions where user_id = ${userId} returning id_hash)
          insert into session_revocations (id_hash, revoked_at) select id_hash, ${new Date(now())} from gone
          on conflict (id_hash) do update set revoked_at = excluded.revoked_at
          returning id_hash`
        return rows.map((r) => r.id_hash)
      }),
    revokedSince: (since) =>
      call(async (sql) => {
        const rows = await sql<{ id_hash: string; revoked_at: Date }[]>`
          select id_hash, revoked_at from session_revocations where revoked_at >= ${new Date(since)} order by revoked_at`
        return rows.map((r) => ({ idHash: r.id_hash, revokedAt: r.revoked_at.getTime() }))
      }),
    epoch: () =>
      call(async (sql) => {
        if (epoch === undefined) {
          const [r] = await sql<{ epoch: string }[]>`select epoch from session_store_meta limit 1`
          epoch = r!.epoch
        }
        return epoch
      }),
    pruneExpired: () => pgCall('sessions', prune),
    countLive: () =>
      call(async (sql) => {
        const t = new Date(now())
        // expires_at is indexed; the idle filter applies to the rows that range leaves.
        const [r] = await sql<{ n: number }[]>`
          select count(*)::int as n from sessions
          where expires_at > ${t} and (idle_expires_at is null or idle_expires_at > ${t})`
        return r!.n
      }),
    async close() {
      if (timer) clearInterval(timer)
      timer = undefined
    },
  }
}
