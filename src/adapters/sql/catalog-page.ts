/**
 * One page of jobs in ranking order (ranking.ts) and the total, on PostgreSQL. Two ways to the page:
 * - top group, when the matches are dense (`pemasangan`: 68 % of the jobs): jobs with every feature at 1
 *   (all of them when the query has no feature, as `in=components`) rank first, among themselves in
 *   static order; when the first `TOP_GROUP_WINDOW` jobs of the static order (`catalog_jobs_static_idx`)
 *   hold the whole page of them, that is the page (those jobs are the first of the group in the whole
 *   catalog). A bounded walk: matches bunched at the end of the static order cost 2,000 rows, not the
 *   catalog (`tanah` in components: 16,000 rows visited for a page by an unbounded walk). Otherwise:
 * - rank: the matches (GIN bitmap), features computed on narrow rows (id, features, order keys), top-N
 *   sort; only the page's rows are read whole (ranking 6,000 whole rows cost about 4× more).
 * The total runs beside the page on a second connection unless the plan knows it exactly.
 */
import type { Sql } from './client.js'
import { featureColumns, featureConditions, orderBy, type Fragment } from './catalog-query.js'
import type { SearchHit } from '../../ports/catalog.js'
import { rankValue, type RankProbe } from '../../domain/search/ranking.js'

/** Jobs of the static order the top-group attempt looks at: a bounded walk (~1 ms per 1,000). */
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
  /** The matches, as a condition on `catalog_jobs` (the top group filters the window with it). */
  where: Fragment
  /** The same matches, written for the rank and count plans when that differs (default: `where`). */
  sorted?: Fragment
  probe: RankProbe
  /** The plan expects a page of matches within the first few hundred jobs of the static order. */
  dense: boolean
  /** …and of the jobs ranked first (every feature at 1), as far as the plan can tell: try the top group. */
  denseTop?: boolean
  offset: number
  limit: number
  /** Known exactly by the plan: no count. */
  exactTotal?: number
}

const STATIC_ORDER = 'length(search_pad), code_sort, code collate "C", source collate "C"'

export async function jobPage(sql: Sql, req: PageRequest): Promise<{ total: number; items: SearchHit[] }> {
  const { probe, offset, limit } = req
  const where = req.sorted ?? req.where
  // Page and total on two connections at once: a window count(*) would buffer every matching row.
  const counted =
    req.exactTotal !== undefined
      ? Promise.resolve([{ n: String(req.exactTotal) }])
      : sql<{ n: string }[]>`select count(*) as n from catalog_jobs where ${where}`
  const whole = (ranked: Fragment) => sql<HitRow[]>`
    select j.source, j.code, j.name, j.unit, j.classification, j.sub_classification,
           r.code_tier, r.lead, r.early, r.phrase, r.whole, r.len
    from (${ranked}) r join catalog_jobs j on j.id = r.id
    order by ${sql.unsafe(orderBy(probe, false, true))}`
  const paged = async () => {
    const top = topGroup(sql, req)
    if (top) {
      const rows = await whole(top)
      if (rows.length === limit) return rows
    }
    return whole(sql`
      select id, ${featureColumns(sql, probe)}, code_sort, code, source
      from catalog_jobs where ${where}
      order by ${sql.unsafe(orderBy(probe, false))} limit ${limit} offset ${offset}`)
  }
  const [rows, [count]] = await Promise.all([paged(), counted])
  const items: SearchHit[] = rows.map((r) => ({
    ...toJob(r),
    rank: rankValue({ codeTier: r.code_tier, lead: r.lead, early: r.early, phrase: r.phrase, whole: r.whole, length: r.len }, probe),
  }))
  return { total: Number(count.n), items }
}

/** The page among the first `TOP_GROUP_WINDOW` jobs of the static order having every feature at 1. */
function topGroup(sql: Sql, { where, probe, dense, denseTop, offset, limit }: PageRequest): Fragment | undefined {
  if (!dense || denseTop === false || probe.codes.length > 0) return undefined
  const top = Object.values(featureConditions(sql, probe))
    .filter((c) => c !== undefined)
    .reduce((acc, c) => sql`${acc} and ${c}`, sql`true`)
  // The inner scan keeps the columns `where` and the features read, under the table's name, and the
  // order keys as columns, so the outer order is known to be the scan's: rows stream, stopping at the page.
  return sql`
    select id, ${featureColumns(sql, probe)}, code_sort, code, source
    from (
      select id, source, code, code_key, code_sort, search_pad, head, tsv, cat_mask,
             length(search_pad) as o_len, code collate "C" as o_code, source collate "C" as o_source
      from catalog_jobs order by ${sql.unsafe(STATIC_ORDER)} limit ${TOP_GROUP_WINDOW}
    ) catalog_jobs
    where ${where} and ${top}
    order by o_len, code_sort, o_code, o_source limit ${limit} offset ${offset}`
}
