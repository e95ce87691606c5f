import type { Sql } from './client.js'

export interface Migration {
  /** Unique, stable id, e.g. `users-001`. Never edit an applied migration: add a new one. */
  id: string
  sql: string
}

/**
 * Applies migrations not yet recorded in `schema_migrations`, each in its own transaction under a
 * transaction-scoped advisory lock, so two instances starting at once apply each exactly once.
 */
export async function runMigrations(sql: Sql, migrations: readonly Migration[]): Promise<string[]> {
  await sql`create table if not exists schema_migrations (id text primary key, applied_at timestamptz not null default now())`.catch(
    async (err: { code?: string }) => {
      // Two instances racing on the very first CREATE TABLE IF NOT EXISTS can hit a unique violation
      // (23505 on pg_type) or "type already exists" (42710), besides "relation exists" (42P07).
      if (err.code !== '23505' && err.code !== '42P07' && err.code !== '42710') throw err
    },
  )
  const applied: string[] = []
  for (const m of migrations) {
    const done = await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext('ahsp-api-migrations'))`
      const [row] = await tx`select 1 from schema_migrations where id = ${m.id}`
      if (row) return false
      await tx.unsafe(m.sql)
      await tx`insert into schema_migrations (id) values (${m.id})`
      return true
    })
    if (done) applied.push(m.id)
  }
  return applied
}
