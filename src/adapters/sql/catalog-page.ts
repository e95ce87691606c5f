/**
 * One page of jobs in ranking order (ranking.ts) and the total, on PostgreSQL. Two ways to the page:
 * - sets and window (`windowPage`): the rows having a feature that few rows have (the lead: `head`, by
 *   `catalog_jobs_head_idx`; the whole word: its GIN posting list) are read whole, and when the matches are
 *   dense (`pemasangan`: 68 % of the jobs) the first `TOP_GROUP_WINDOW` jobs of the static order
 *   (`catalog_jobs_static_idx`) are walked for the rows with every other feature at 1, stopping at the page.
 *   Used when that provably is the page (`beton` at 100k jobs: its 896 lead rows instead of 6,354 matches).
 *   A bounded walk: matches bunched at the end of the static order cost 2,000 rows, not the catalog.
 *   Otherwise:
 * - rank: the matches (GIN bitmap), features computed on narrow rows (id, features, order keys), top-N
 *   sort; only the page's rows are read whole (ranking 6,000 whole rows cost about 4× more).
 * The total runs beside the page on a second connection unless the plan knows it exactly.
 */
import type { Sql } from './client.js'
import { featureColumns, featureConditions, orderBy, type Fragment } from './catalog-query.js'
import type { SearchHit } from '../../ports/catalog.js'
import { rankValue, STATIC_PROBE, type RankProbe } from '../../domain/search/ranking.js'

/** Jobs of the static order the window looks at: a bounded walk (~1 ms per 1,000). */
export const TOP_GROUP_WINDOW = 2000

interface HitRow {
  source: string
  code: string
  name: string
  unit: string
  classification: string
  sub_classification: string
  code_tier: number
  lead: number
  early: number
  phrase: number
  whole: number
  len: number
}

export const toJob = (r: HitRow | Record<string, string>) => ({
  source: r.source as string,
  code: r.code as string,
  name: r.name as string,
  unit: r.unit as string,
  classification: r.classification as string,
  subClassification: r.sub_classification as string,
})

export interface PageRequest {
  /** The matches, as a condition on `catalog_jobs` (the window filters its rows with it). */
  where: Fragment
  /** The same matches, written for the rank and count plans when that differs (default: `where`). */
  sorted?: Fragment
  probe: RankProbe
  /** The plan expects a page of matches within the first few hundred jobs of the static order: walk the window. */
  dense: boolean
  /**
   * Index-friendly conditions holding every row with the lead (`lead`) or whole-word (`whole`) feature, for
   * sets small enough to read whole beside the window: rows outside both have that feature at 0.
   */
  sets?: { lead?: Fragment; whole?: Fragment }
  offset: number
  limit: number
  /** Known exactly by the plan: no count. */
  exactTotal?: number
}

const STATIC_ORDER = 'length(search_pad), code_sort, code collate "C", source collate "C"'
const COLUMNS = 'id, source, code, name, unit, classification, sub_classification, code_key, code_sort, search_pad, head, tsv, cat_mask'

export async function jobPage(sql: Sql, req: PageRequest): Promise<{ total: number; items: SearchHit[] }> {
  const { probe, offset, limit } = req
  const where = req.sorted ?? req.where
  // Page and total on two connections at once: a window count(*) would buffer every matching row.
  const counted =
    req.exactTotal !== undefined
      ? Promise.resolve([{ n: String(req.exactTotal) }])
      : sql<{ n: string }[]>`select count(*) as n from catalog_jobs where ${where}`
  const paged = async () => {
    const sets = req.sets?.lead !== undefined || req.sets?.whole !== undefined
    const top = (req.dense || sets) && probe.codes.length === 0 ? await windowPage(sql, req) : undefined
    if (top) return top
    return sql<HitRow[]>`
      select j.source, j.code, j.name, j.unit, j.classification, j.sub_classification,
             r.code_tier, r.lead, r.early, r.phrase, r.whole, r.len
      from (
        select id, ${featureColumns(sql, probe)}, code_sort, code, source
        from catalog_jobs where ${where}
        order by ${sql.unsafe(orderBy(probe, false))} limit ${limit} offset ${offset}
      ) r join catalog_jobs j on j.id = r.id
      order by ${sql.unsafe(orderBy(probe, false, true))}`
  }
  const [rows, [count]] = await Promise.all([paged(), counted])
  const items: SearchHit[] = rows.map((r) => ({
    ...toJob(r),
    rank: rankValue({ codeTier: r.code_tier, lead: r.lead, early: r.early, phrase: r.phrase, whole: r.whole, length: r.len }, probe),
  }))
  return { total: Number(count.n), items }
}

/**
 * The page from the small feature sets (`sets`, read whole) and the static-order window, when that is
 * provably the page. A row in no set has at most the features `best` (those of the sets at 0, the others
 * at 1), so the rows ranking first are: set rows with more than `best`, then rows with exactly `best` in
 * static order. The window contributes those in static order (a streamed walk of the static-order index,
 * stopped at the page; skipped when the set rows alone fill the page or the matches are not dense); the page is proven when its last
 * row has more than `best`, or exactly `best` and comes from the window (every other such row follows it).
 * Undefined when not proven (the caller ranks every match).
 */
async function windowPage(sql: Sql, { where, probe, sets = {}, dense, offset, limit }: PageRequest): Promise<HitRow[] | undefined> {
  const wanted = offset + limit
  const fetched: Fragment[] = [sets.lead, sets.whole].filter((c) => c !== undefined)
  const inSets = fetched.length === 0 ? sql`false` : fetched.reduce((a, c) => sql`${a} or ${c}`)
  // The order's feature columns (orderBy): lead + early, phrase, whole.
  const best = [
    (probe.lead === undefined || sets.lead !== undefined ? 0 : 1) + (probe.early === undefined ? 0 : 1),
    probe.phrase === undefined ? 0 : 1,
    probe.whole === undefined || sets.whole !== undefined ? 0 : 1,
  ]
  const f = featureConditions(sql, probe)
  const exactlyBest: Fragment[] = [sets.lead === undefined ? f.lead : undefined, f.early, f.phrase, sets.whole === undefined ? f.whole : undefined]
    .filter((c) => c !== undefined)
  const hit = sql`source, code, name, unit, classification, sub_classification, ${featureColumns(sql, probe)}, code_sort`
  // The window's inner scan keeps the columns `where` and the features read, under the table's name, and
  // the order keys as columns, so the outer order is the scan's: rows stream, stopping at the page. Its
  // count of better set rows is a one-time filter: the walk does not run when they fill the page.
  const rows = await sql<(HitRow & { lead_early: number; in_window: boolean })[]>`
    with s as materialized (
      select ${hit}, false as in_window from catalog_jobs where ${where} and (${inSets})
    )
    select * from (
      select * from s
      union all
      select * from (
        select ${hit}, true as in_window
        from (
          select id, source, code, name, unit, classification, sub_classification, code_key, code_sort, search_pad,
                 head, tsv, cat_mask, length(search_pad) as o_len, code collate "C" as o_code, source collate "C" as o_source
          from catalog_jobs order by ${sql.unsafe(STATIC_ORDER)} limit ${TOP_GROUP_WINDOW}
        ) catalog_jobs
        where ${dense ? sql`true` : sql`false`} and (select count(*) from s where (lead_early, phrase, whole) > (${best[0]}, ${best[1]}, ${best[2]})) < ${wanted}
          and ${where} and not (${inSets}) and ${exactlyBest.reduce((a, c) => sql`${a} and ${c}`, sql`true`)}
        order by o_len, code_sort, o_code, o_source limit ${wanted}
      ) w
    ) r
    order by ${sql.unsafe(orderBy(probe, false, true))} limit ${wanted}`
  if (rows.length < wanted) return undefined
  const last = rows[wanted - 1]
  const margin = last.lead_early - best[0] || last.phrase - best[1] || last.whole - best[2]
  return margin > 0 || (margin === 0 && last.in_window) ? rows.slice(offset) : undefined
}

/**
 * `in=components` without filters, in static order: the first `offset + limit` jobs of each matching item,
 * from its links' static-order index (catalog-009), merged and de-duplicated. The page's jobs are among
 * them: a job before the page's last has fewer than `offset + limit` jobs before it in every item's list.
 */
export async function componentPage(sql: Sql, items: Fragment, offset: number, limit: number): Promise<SearchHit[]> {
  const rows = await sql<HitRow[]>`
    select j.source, j.code, j.name, j.unit, j.classification, j.sub_classification,
           0 as code_tier, 0 as lead, 0 as early, 0 as phrase, 0 as whole, f.job_len as len
    from (
      select distinct l.job_id, l.job_len, l.job_sort, l.job_code, l.job_source
      from catalog_items cross join lateral (
        select job_id, job_len, job_sort, job_code, job_source from catalog_item_jobs
        where item_id = catalog_items.id order by job_len, job_sort, job_code, job_source limit ${offset + limit}
      ) l
      where ${items}
      order by l.job_len, l.job_sort, l.job_code, l.job_source limit ${limit} offset ${offset}
    ) f join catalog_jobs j on j.id = f.job_id
    order by f.job_len, f.job_sort, f.job_code, f.job_source`
  return rows.map((r) => ({ ...toJob(r), rank: rankValue({ codeTier: 0, lead: 0, early: 0, phrase: 0, whole: 0, length: r.len }, STATIC_PROBE) }))
}
