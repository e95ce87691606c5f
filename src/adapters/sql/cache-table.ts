import type { Sql } from './client.js'

/** `name` or `schema.name`, lower-case SQL identifiers: the only text ever spliced into cache SQL. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/

/** The table name, validated and double-quoted (`"schema"."name"`); throws `TypeError` otherwise. */
export function quoteTable(table: string): string {
  if (!IDENTIFIER.test(table)) {
    throw new TypeError(`cache table must be a lower-case identifier (optionally schema.table), got "${table}"`)
  }
  return table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.')
}

/**
 * Creates the cache table if it is absent (Django's `createcachetable`); safe to run any number of times,
 * also by several instances at once.
 *
 * - `UNLOGGED`: cache rows are disposable, so they skip the WAL. Writes cost less (no WAL flush per
 *   commit), and after a crash PostgreSQL empties the table, which for a cache is a cold start, not data
 *   loss. The price: an unlogged table is not replicated, so a read replica or a failed-over primary
 *   starts with an empty cache.
 * - `key collate "C"`: byte order, so "every key of this prefix" is an exact, index-backed range.
 * - `expires_at` / `written_at`: ms since the epoch on the DATABASE clock (shared by every instance);
 *   `expires_at` null = never expires; `written_at` orders the CACHE_MAX_ENTRIES cull (oldest first).
 * - Only the primary key is indexed, so rewrites of a row (set, incr) stay HOT updates; `fillfactor`
 *   leaves room on each page for them.
 */
export async function createCacheTable(sql: Sql, table = 'cache_entries'): Promise<void> {
  const name = quoteTable(table)
  try {
    await sql.unsafe(
      `create unlogged table if not exists ${name} (
        key text collate "C" primary key,
        value text not null,
        expires_at bigint,
        written_at bigint not null
      ) with (fillfactor = 80)`,
    )
  } catch (err) {
    // Two instances racing on CREATE TABLE IF NOT EXISTS: the loser sees a duplicate type, relation or
    // object (42710, seen when three instances start at once: test/multi-instance.test.ts).
    const code = (err as { code?: string }).code
    if (code !== '23505' && code !== '42P07' && code !== '42710') throw err
  }
}

/** Database time in ms: one clock for every instance, so a counter's window means the same everywhere. */
const NOW = `(extract(epoch from statement_timestamp()) * 1000)::bigint`
const LIVE = `(expires_at is null or expires_at > ${NOW})`
/** `$lo <= key < $hi` with byte order: exactly the keys starting with the namespace base (see `keyRange`). */
const RANGE = (lo: number) => `key collate "C" >= $${lo} and key collate "C" < $${lo + 1}`

/** Every statement the adapter runs, built once per table. Parameters are always bound, never spliced. */
export function cacheStatements(table: string) {
  const t = quoteTable(table)
  const upsertSet = 'set value = excluded.value, expires_at = excluded.expires_at, written_at = excluded.written_at'
  return {
    get: `select value from ${t} where key = $1 and ${LIVE}`,
    getMany: `select key, value from ${t} where key = any($1::text[]) and ${LIVE}`,
    set: `insert into ${t} (key, value, expires_at, written_at) values ($1, $2, ${NOW} + $3::bigint, ${NOW})
      on conflict (key) do update ${upsertSet}`,
    setMany: `insert into ${t} (key, value, expires_at, written_at)
      select k, v, ${NOW} + $3::bigint, ${NOW} from unnest($1::text[], $2::text[]) as u(k, v)
      on conflict (key) do update ${upsertSet}`,
    // Replaces only an expired row; RETURNING yields a row exactly when this call stored.
    add: `insert into ${t} as c (key, value, expires_at, written_at) values ($1, $2, ${NOW} + $3::bigint, ${NOW})
      on conflict (key) do update ${upsertSet} where c.expires_at is not null and c.expires_at <= ${NOW}
      returning 1 as stored`,
    // One statement: create at delta with the TTL, add to a live row keeping its expiry, restart an expired
    // one. The ::bigint cast of a non-integer value raises 22P02, which the adapter maps to NOT_INTEGER.
    incr: `insert into ${t} as c (key, value, expires_at, written_at)
      values ($1, $2::bigint::text, ${NOW} + $3::bigint, ${NOW})
      on conflict (key) do update set
        value = case when c.expires_at <= ${NOW} then excluded.value else (c.value::bigint + $2::bigint)::text end,
        expires_at = case when c.expires_at <= ${NOW} then excluded.expires_at else c.expires_at end,
        written_at = excluded.written_at
      returning value, (expires_at - ${NOW})::float8 / 1000 as ttl`,
    delete: `delete from ${t} where key = $1 returning ${LIVE} as live`,
    deleteMany: `with d as (delete from ${t} where key = any($1::text[]) returning expires_at)
      select count(*)::int as n from d where ${LIVE}`,
    has: `select 1 as live from ${t} where key = $1 and ${LIVE}`,
    touch: `update ${t} set expires_at = ${NOW} + $2::bigint where key = $1 and ${LIVE} returning true as live`,
    ttl: `select (expires_at - ${NOW})::float8 / 1000 as ttl from ${t} where key = $1 and ${LIVE}`,
    clear: `delete from ${t} where ${RANGE(1)}`,
    count: `select count(*)::int as n from ${t} where ${RANGE(1)} and ${LIVE}`,
    // `(select …)` is evaluated once (an InitPlan), not once per scanned row.
    pruneExpired: `delete from ${t} where expires_at <= (select ${NOW})`,
    countRange: `select count(*)::int as n from ${t} where ${RANGE(1)}`,
    cullOldest: `delete from ${t} where key in (
      select key from ${t} where ${RANGE(1)} order by written_at, key limit $3)`,
    isUnlogged: `select c.relpersistence = 'u' as unlogged from pg_class c where c.oid = to_regclass($1)`,
  }
}

/**
 * `[lo, hi)` such that, in byte order, `lo <= k < hi` holds exactly for the keys starting with `base`:
 * `hi` is `base` with its last character bumped (the base always ends in `:`, so `hi` ends in `;`).
 */
export function keyRange(base: string): [string, string] {
  const last = base.charCodeAt(base.length - 1)
  return [base, base.slice(0, -1) + String.fromCharCode(last + 1)]
}
