/**
 * Search columns are derived in TypeScript (catalog-rows.ts). When the normaliser changes (a new stemmer
 * rule, a spelling), rows derived by the older one would no longer match queries parsed by the new one, so
 * at start a catalog whose `catalog_meta.normaliser` is older re-derives every job and item row in place
 * (batched, one transaction under the import lock: concurrent starts do it once) and its vocabulary. The
 * same happens when this adapter stores a new derived column (`catalog_meta.layout` < `LAYOUT`).
 */
import type postgres from 'postgres'
import { NORMALISER_VERSION } from '../../domain/search/normalise.js'
import { jobRow } from './catalog-rows.js'
import { refreshJobBits, refreshLinkKeys } from './catalog-items.js'

type Tx = postgres.TransactionSql
const BATCH = 5000
/**
 * The derived columns this adapter stores: 1 = `head` and the vocabulary's `root` (catalog-006), 2 = `head_df`,
 * `job_bits`, 3 = the links' static order keys (catalog-009).
 */
export const LAYOUT = 3

export async function reindexIfStale(sql: postgres.Sql, refreshVocabulary: (tx: Tx) => Promise<void>): Promise<boolean> {
  const current = (m: { normaliser: number; layout: number }) => m.normaliser === NORMALISER_VERSION && m.layout === LAYOUT
  const [meta] = await sql<{ normaliser: number; layout: number }[]>`select normaliser, layout from catalog_meta`
  if (!meta || current(meta)) return false
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('ahsp-catalog-import'))`
    const [again] = await tx<{ normaliser: number; layout: number }[]>`select normaliser, layout from catalog_meta`
    if (current(again)) return false
    await tx`set local statement_timeout = '300s'`
    let rowsSeen = 0
    for (const table of ['catalog_jobs', 'catalog_items'] as const) {
      const name = table === 'catalog_jobs' ? tx`name` : tx`description`
      const rows = await tx<{ id: string; code: string; name: string }[]>`select id::text, code, ${name} as name from ${tx(table)}`
      rowsSeen += rows.length
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH)
        const derived = batch.map((r) =>
          jobRow({ source: '', code: r.code, name: r.name, unit: '', classification: '', subClassification: '', components: [] }),
        )
        await tx`
          update ${tx(table)} t set code_key = d.code_key, code_sort = d.code_sort, search_pad = d.search_pad, head = d.head, tsv = d.tsv
          from unnest(${tx.array(batch.map((r) => r.id))}::bigint[], ${tx.array(derived.map((d) => d.codeKey))}::text[],
                      ${tx.array(derived.map((d) => d.codeSort))}::text[], ${tx.array(derived.map((d) => d.searchPad))}::text[],
                      ${tx.array(derived.map((d) => d.head))}::text[],
                      ${tx.array(derived.map((d) => d.tsv))}::tsvector[]) d (id, code_key, code_sort, search_pad, head, tsv)
          where t.id = d.id`
      }
    }
    await tx`update catalog_meta set normaliser = ${NORMALISER_VERSION}, layout = ${LAYOUT}`
    if (rowsSeen === 0) return false
    await refreshLinkKeys(tx)
    await refreshJobBits(tx)
    await refreshVocabulary(tx)
    // Answers cached from the old columns are stale.
    await tx`update catalog_meta set generation = generation + 1`
    return true
  })
}
