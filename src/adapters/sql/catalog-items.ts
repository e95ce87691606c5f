/**
 * The items side of an import (see catalog-schema.ts, catalog-004): items named by the components of the
 * jobs just written are added (search columns computed by the shared normaliser, like job names), the
 * links job → item replaced for those jobs, and at the end the `jobs` counts refreshed and unused items
 * dropped. Batched with unnest(), never one statement per row.
 */
import type postgres from 'postgres'
import type { Component } from '../../ports/catalog.js'
import { itemTieBreak } from '../../domain/search/items.js'
import { jobRow } from './catalog-rows.js'
import type { Sql } from './client.js'
import type { Fragment } from './catalog-query.js'

type Tx = postgres.TransactionSql

/** Links the jobs `jobIds` to the items of their `components` (same order), replacing earlier links. */
export async function linkItems(tx: Tx, jobIds: readonly string[], components: readonly Component[][]): Promise<void> {
  if (jobIds.length === 0) return
  await tx`delete from catalog_item_jobs where job_id = any(${tx.array([...jobIds])}::bigint[])`
  const items = new Map<string, Component>()
  const links: { job: string; key: string }[] = []
  jobIds.forEach((job, i) => {
    for (const c of components[i]) {
      const key = itemTieBreak(c.category, c.itemCode, c.description, c.unit)
      if (!items.has(key)) items.set(key, c)
      links.push({ job, key })
    }
  })
  if (items.size === 0) return
  const keys = [...items.keys()]
  const rows = keys.map((k) => {
    const c = items.get(k)!
    return { c, r: jobRow({ source: k, code: c.itemCode, name: c.description, unit: c.unit, classification: '', subClassification: '', components: [c] }) }
  })
  const col = <T>(f: (x: (typeof rows)[number]) => T) => rows.map(f)
  await tx`
    insert into catalog_items (category, item_code, description, unit, code, source, code_key, code_sort, search_pad, head, tsv, cat_mask)
    select * from unnest(
      ${tx.array(col((x) => x.c.category))}::text[], ${tx.array(col((x) => x.c.itemCode))}::text[],
      ${tx.array(col((x) => x.c.description))}::text[], ${tx.array(col((x) => x.c.unit))}::text[],
      ${tx.array(col((x) => x.c.itemCode))}::text[], ${tx.array(keys)}::text[],
      ${tx.array(col((x) => x.r.codeKey))}::text[], ${tx.array(col((x) => x.r.codeSort))}::text[],
      ${tx.array(col((x) => x.r.searchPad))}::text[], ${tx.array(col((x) => x.r.head))}::text[],
      ${tx.array(col((x) => x.r.tsv))}::tsvector[],
      ${tx.array(col((x) => x.r.catMask))}::smallint[])
    on conflict (source) do nothing`
  await tx`
    insert into catalog_item_jobs (item_id, job_id, job_len, job_sort, job_code, job_source)
    select i.id, l.job, length(j.search_pad), j.code_sort, j.code, j.source
    from unnest(${tx.array(links.map((l) => l.key))}::text[], ${tx.array(links.map((l) => l.job))}::bigint[]) l (key, job)
    join catalog_items i on i.source = l.key
    join catalog_jobs j on j.id = l.job
    on conflict do nothing`
}

/** After the links changed: `jobs` per item, unused items removed, the item count in `catalog_meta`. */
export async function finishItems(tx: Tx): Promise<void> {
  await tx`delete from catalog_items i where not exists (select 1 from catalog_item_jobs l where l.item_id = i.id)`
  await tx`
    update catalog_items i set jobs = c.n
    from (select item_id, count(*)::int as n from catalog_item_jobs group by item_id) c
    where c.item_id = i.id and i.jobs <> c.n`
  await refreshJobBits(tx)
  await tx`update catalog_meta set items = (select count(*) from catalog_items), items_built = true`
  await tx`select gin_clean_pending_list('catalog_items_tsv_idx'::regclass)`
  await tx`analyze catalog_items`
  await tx`analyze catalog_item_jobs`
}

/** Items used by at least this many jobs, and by 1 % of the jobs, carry `job_bits`. */
export const BITS_MIN_JOBS = 64

/**
 * `job_bits` of the broad items: bit n set = job id n uses the item, every string as long as the largest
 * job id + 1 (bit_or needs equal lengths, so all are rebuilt together). `in=components` counts the jobs of
 * broad items as `bit_count(bit_or(…))` instead of a distinct count over their links (`pekerja`: ~75k jobs
 * of 100k, 150 ms → a few ms); the other items' links are few. Built from runs of zeros between the
 * sorted job ids, in one statement.
 */
export async function refreshJobBits(tx: Tx): Promise<void> {
  await tx`
    with n as (select coalesce(max(id), 0) + 1 as len, count(*) as jobs from catalog_jobs),
    broad as (select i.id from catalog_items i, n where i.jobs >= greatest(${BITS_MIN_JOBS}, n.jobs / 100)),
    runs as (
      select item_id, job_id, coalesce(lag(job_id) over (partition by item_id order by job_id), -1) as prev
      from catalog_item_jobs where item_id in (select id from broad)
    ),
    bits as (
      select item_id, rpad(string_agg(repeat('0', (job_id - prev - 1)::int) || '1', '' order by job_id), (select len from n)::int, '0')::varbit as b
      from runs group by item_id
    )
    update catalog_items i set job_bits = bits.b
    from catalog_items c left join bits on bits.item_id = c.id
    where i.id = c.id and (bits.b is not null or i.job_bits is not null)`
}

/** A link's copy of its job's static order key (catalog-009), refreshed when jobs are re-derived. */
export async function refreshLinkKeys(tx: Tx): Promise<void> {
  await tx`
    update catalog_item_jobs l set job_len = length(j.search_pad), job_sort = j.code_sort, job_code = j.code, job_source = j.source
    from catalog_jobs j
    where j.id = l.job_id and (l.job_len, l.job_sort, l.job_code, l.job_source)
      is distinct from (length(j.search_pad), j.code_sort, j.code::text collate "C", j.source::text collate "C")`
}

/**
 * Jobs using any item matching `items` (a condition on `catalog_items`): the broad items' `job_bits`
 * OR-ed and counted, plus the other items' jobs missing from those bits. Also the catalog's job count and
 * how many items match.
 */
export async function componentJobs(sql: Sql, items: Fragment): Promise<{ n: number; jobs: number; items: number }> {
  const [r] = await sql<{ n: string; jobs: string; items: string }[]>`
    with m as materialized (select id, job_bits from catalog_items where ${items}),
    u as (select bit_or(job_bits) as b from m where job_bits is not null)
    select coalesce(bit_count(u.b), 0) + (
             select count(distinct l.job_id) from m join catalog_item_jobs l on l.item_id = m.id
             where m.job_bits is null and (u.b is null or l.job_id >= length(u.b) or get_bit(u.b, l.job_id::int) = 0)
           ) as n,
           (select jobs from catalog_meta) as jobs, (select count(*) from m) as items
    from u`
  return { n: Number(r.n), jobs: Number(r.jobs), items: Number(r.items) }
}

/**
 * A catalog imported before items existed: its items are built once from the stored components (under
 * the import lock, so concurrent starts do it once).
 */
export async function backfillItems(sql: postgres.Sql, refreshVocabulary: (tx: Tx) => Promise<void>): Promise<void> {
  const [meta] = await sql<{ items_built: boolean }[]>`select items_built from catalog_meta`
  if (meta?.items_built) return
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('ahsp-catalog-import'))`
    const [again] = await tx<{ items_built: boolean }[]>`select items_built from catalog_meta`
    if (again?.items_built) return
    await tx`set local statement_timeout = '300s'`
    const rows = await tx<{ job_id: string; category: Component['category']; item_code: string; description: string; unit: string }[]>`
      select job_id::text, category, item_code, description, unit from catalog_components order by job_id, ord`
    const ids: string[] = []
    const comps: Component[][] = []
    for (const r of rows) {
      if (ids[ids.length - 1] !== r.job_id) {
        ids.push(r.job_id)
        comps.push([])
      }
      comps[comps.length - 1].push({ category: r.category, itemCode: r.item_code, description: r.description, unit: r.unit, coefficient: '0' })
    }
    for (let i = 0; i < ids.length; i += 5000) await linkItems(tx, ids.slice(i, i + 5000), comps.slice(i, i + 5000))
    await finishItems(tx)
    await refreshVocabulary(tx)
  })
}
