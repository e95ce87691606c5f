import { ConflictError } from '../../domain/errors.js'
import type { NewUser, Role, User, UserStore } from '../../ports/users.js'
import type { Sql } from './client.js'
import { runMigrations, type Migration } from './migrations.js'
import { pgCall } from './pg-errors.js'
import { asPgPool, type PgPool } from './pool.js'

export const userMigrations: readonly Migration[] = [
  {
    id: 'users-001',
    sql: `create table if not exists users (
      id text primary key,
      username text not null unique,
      role text not null check (role in ('admin', 'user')),
      password_hash text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
  },
]

/** Applies the users table migrations (idempotent; safe with several instances starting at once). */
export function migrateUserStore(sql: Sql): Promise<string[]> {
  return runMigrations(sql, userMigrations)
}

type Row = { id: string; username: string; role: Role; password_hash: string }
const toUser = (r: Row): User => ({ id: r.id, username: r.username, role: r.role, passwordHash: r.password_hash })

/** PostgreSQL user store on a pool or client the caller owns and closes; every call under its deadline. */
export function createPgUserStore(db: Sql | PgPool): UserStore {
  const pool = asPgPool(db, 'users')
  const call = <T>(fn: (sql: Sql) => Promise<T>) => pgCall('users', () => pool.run(fn))
  return {
    findByUsername: (username) =>
      call(async (sql) => {
        // PostgreSQL text cannot hold NUL (it would be an error, not a miss): no row can have such a name.
        if (username.includes('\u0000')) return undefined
        const [r] = await sql<Row[]>`select id, username, role, password_hash from users where username = ${username}`
        return r ? toUser(r) : undefined
      }),
    findById: (id) =>
      call(async (sql) => {
        const [r] = await sql<Row[]>`select id, username, role, password_hash from users where id = ${id}`
        return r ? toUser(r) : undefined
      }),
    create: (user) =>
      call(async (sql) => {
        try {
          const [r] = await sql<Row[]>`
            insert into users (id, username, role, password_hash)
            values (${crypto.randomUUID()}, ${user.username}, ${user.role}, ${user.passwordHash})
            returning id, username, role, password_hash`
          return toUser(r!)
        } catch (err) {
          if ((err as { code?: string }).code === '23505') throw new ConflictError(`Username "${user.username}" is taken`)
          throw err
        }
      }),
    setPassword: (id, passwordHash) =>
      call(async (sql) => {
        const res = await sql`update users set password_hash = ${passwordHash}, updated_at = now() where id = ${id}`
        return res.count > 0
      }),
    upsert: (user: NewUser) =>
      call(async (sql) => {
        const [r] = await sql<Row[]>`
          insert into users (id, username, role, password_hash)
          values (${crypto.randomUUID()}, ${user.username}, ${user.role}, ${user.passwordHash})
          on conflict (username) do update
            set role = excluded.role, password_hash = excluded.password_hash, updated_at = now()
          returning id, username, role, password_hash`
        return toUser(r!)
      }),
    list: () =>
      call(async (sql) => {
        const rows = await sql<Row[]>`select id, username, role, password_hash from users order by username collate "C"`
        return rows.map(toUser)
      }),
  }
}
