import type { Sql } from './client.js'
import { quoteTable } from './cache-table.js'

/**
 * Change notifications of a cache table (the db backend's InvalidationFeed, `invalidation-feed.ts`):
 * AFTER triggers send every changed key with `pg_notify`, on one channel per table.
 *
 * - Every statement that changes rows notifies, whoever runs it: set/add/incr/touch (INSERT … ON CONFLICT,
 *   a row-level trigger: one key each), delete, clear, the expiry prune and the CACHE_MAX_ENTRIES cull
 *   (DELETEs: a statement-level trigger over the deleted rows, batched), TRUNCATE (a flush). An expired
 *   row nobody deleted yet sends nothing: the near tier keeps the TTL of each copy itself, so it drops
 *   the copy at the same moment.
 * - Why row-level for writes: measured with pgbench (upsert of one row, 8 clients), statement-level
 *   triggers with transition tables kept ~0.35× of the plain table's rate, a row-level one ~0.6× (most of
 *   that is pg_notify itself: commits that notify take a database-wide lock in turn; an empty row-level
 *   trigger costs nothing measurable). Deletes of many rows (clear, cull) are where batching pays.
 * - Payloads: `k` + keys joined by `\n` (stored keys never hold control characters: those are hashed,
 *   `keys.ts`), cut into chunks under the 8,000-byte payload limit; a statement whose keys exceed
 *   `FLUSH_OVER_BYTES` sends `f` (flush) instead of a stream of chunks. A payload over the limit would
 *   make `pg_notify` raise and so fail the cache write: such a chunk becomes a flush too.
 * - Delivered at commit, in commit order, to every session LISTENing at that commit; identical payloads
 *   within one transaction are sent once (harmless for invalidations; heartbeats carry a sequence number).
 * - The channel is `ahsp_cache_` + 16 hex digits of md5(schema.table): under NAMEDATALEN for any table,
 *   and tables of the same name in two schemas (one database, two deployments) do not share it. Keys of
 *   every prefix/version of the table share it; each feed keeps those of its own namespace.
 *
 * Installed by the feed at start (not by `createCacheTable`): a deployment without a near tier does not
 * pay a pg_notify per write. Not a `migrations.ts` migration because the table name is configurable and
 * `schema_migrations` records one id per schema, not per table. The `_v1` names let a later change add
 * `_v2` objects next to these instead of altering them under running writers.
 */

const FLUSH_OVER_BYTES = 64 * 1024
/** Chunk budget: a chunk may exceed it by one key (≤ prefix + 600 bytes: raw keys are ≤ 200 UTF-16 units). */
const CHUNK_BYTES = 6000

/**
 * Rate-limit counters (`<prefix>:<version>:rl:…`, incremented on every request) notify nobody: they are
 * never kept near (config.ts refuses CACHE_NEAR_PREFIXES covering `rl:`; the Redis feed leaves them out
 * of its tracked prefixes the same way). Exact because prefix and version hold no `:` (config.ts; the
 * feed refuses a namespace that does), so the third field is the caller key's first one.
 */
const NOT_COUNTER = (key: string) => `split_part(${key}, ':', 3) <> 'rl'`

const CHANNEL = `'ahsp_cache_' || left(md5(TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME), 16)`

/** The channel of `table` (as resolved by the session's search_path), or undefined while it does not exist. */
export async function cacheChannel(sql: Sql, table: string): Promise<string | undefined> {
  const rows = await sql.unsafe(
    `select 'ahsp_cache_' || left(md5(n.nspname || '.' || c.relname), 16) as channel
      from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = to_regclass($1)`,
    [quoteTable(table)],
  )
  return rows[0]?.channel as string | undefined
}

/** `schema.` when the table is qualified: the functions live beside it. */
function schemaOf(table: string): string {
  const parts = quoteTable(table).split('.')
  return parts.length === 2 ? `${parts[0]}.` : ''
}

function installStatements(table: string): string[] {
  const t = quoteTable(table)
  const s = schemaOf(table)
  const send = `${s}ahsp_cache_send_v1`
  const notify = `${s}ahsp_cache_notify_v1`
  const notifyRow = `${s}ahsp_cache_notify_row_v1`
  return [
    `create or replace function ${send}(channel text, keys text[]) returns void language plpgsql as $f$
    declare payload text;
    begin
      if coalesce(cardinality(keys), 0) = 0 then return; end if;
      if (select sum(octet_length(k)) from unnest(keys) k) > ${FLUSH_OVER_BYTES} then
        perform pg_notify(channel, 'f');
        return;
      end if;
      for payload in
        select 'k' || string_agg(k, E'\\n') from (
          select k, (sum(octet_length(k) + 1) over (rows between unbounded preceding and current row)) / ${CHUNK_BYTES} as chunk
          from unnest(keys) k) c
        group by chunk
      loop
        if octet_length(payload) >= 7999 then perform pg_notify(channel, 'f');
        else perform pg_notify(channel, payload);
        end if;
      end loop;
    end $f$`,
    `create or replace function ${notify}() returns trigger language plpgsql as $f$
    declare channel constant text := ${CHANNEL};
    begin
      if TG_OP = 'TRUNCATE' then perform pg_notify(channel, 'f');
      else perform ${send}(channel, array(select key from changed where ${NOT_COUNTER('key')}));
      end if;
      return null;
    end $f$`,
    `create or replace function ${notifyRow}() returns trigger language plpgsql as $f$
    declare channel constant text := ${CHANNEL};
    begin
      perform pg_notify(channel, case when octet_length(NEW.key) < 7990 then 'k' || NEW.key else 'f' end);
      if TG_OP = 'UPDATE' and OLD.key is distinct from NEW.key then
        perform pg_notify(channel, case when octet_length(OLD.key) < 7990 then 'k' || OLD.key else 'f' end);
      end if;
      return null;
    end $f$`,
    `create trigger ahsp_cache_notify_v1_row after insert or update on ${t} for each row
      when (${NOT_COUNTER('NEW.key')}) execute function ${notifyRow}()`,
    `create trigger ahsp_cache_notify_v1_del after delete on ${t}
      referencing old table as changed for each statement execute function ${notify}()`,
    `create trigger ahsp_cache_notify_v1_trunc after truncate on ${t} for each statement execute function ${notify}()`,
  ]
}

/**
 * Installs the notify triggers on `table` unless present; returns whether it installed them. Safe with
 * several instances at once: one transaction under an advisory lock, checked again inside it. The table
 * must exist (`createCacheTable`).
 */
export async function installCacheNotify(sql: Sql, table: string): Promise<boolean> {
  const name = quoteTable(table)
  const present = `select 1 from pg_trigger where tgrelid = to_regclass($1) and tgname = 'ahsp_cache_notify_v1_trunc'`
  if ((await sql.unsafe(present, [name])).length > 0) return false
  return sql.begin(async (tx) => {
    await tx.unsafe(`select pg_advisory_xact_lock(hashtext('ahsp-api-cache-notify'))`)
    if ((await tx.unsafe(present, [name])).length > 0) return false
    for (const statement of installStatements(table)) await tx.unsafe(statement)
    return true
  }) as Promise<boolean>
}
