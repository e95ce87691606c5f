/**
 * `upsertJobs` for PostgreSQL: one transaction, serialised by an advisory lock, batched with unnest()
 * (a few statements per 2,000 jobs, never one per row). Jobs whose content hash is unchanged are not
 * rewritten; changed jobs get their components replaced as a whole; the generation moves only on change.
 */
import type postgres from 'postgres'
import type { Sql } from './client.js'
import type { ImportSummary, JobWithComponents } from '../../ports/catalog.js'
import { canonicalJobs } from '../../domain/catalog/canonical-job.js'
import { jobRow } from './catalog-rows.js'
import { finishItems, linkItems } from './catalog-items.js'
import { jobKey } from '../../domain/catalog/job-key.js'
import { stemIndonesian } from '../../domain/search/indonesian-stemmer.js'

const BATCH = 5000
/** Imports of big catalogs outlive the pool's default statement timeout. */
const IMPORT_STATEMENT_TIMEOUT = '300s'

type Tx = postgres.TransactionSql

export async function upsertJobs(
  sql: Sql,
  input: readonly JobWithComponents[],
  onProgress?: (done: number, total: number) => void,
): Promise<ImportSummary> {
  const jobs = canonicalJobs(input)
  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, components: 0 }
  await sql.begin(async (tx) => {
    await tx.unsafe(`set local statement_timeout = '${IMPORT_STATEMENT_TIMEOUT}'`)
    // Big imports: GIN entries collect in the pending list and are merged once at the end (in bulk,
    // far cheaper than merging every few thousand rows); work_mem sizes that merge.
    await tx`set local gin_pending_list_limit = '1GB'`
    await tx`set local work_mem = '64MB'`
    await tx`select pg_advisory_xact_lock(hashtext('ahsp-catalog-import'))`
    for (let start = 0; start < jobs.length; start += BATCH) {
      await upsertBatch(tx, jobs.slice(start, start + BATCH), summary)
      onProgress?.(Math.min(start + BATCH, jobs.length), jobs.length)
    }
    if (summary.created + summary.updated === 0) return
    await tx`select gin_clean_pending_list('catalog_jobs_tsv_idx'::regclass)`
    await finishItems(tx)
    await refreshVocabulary(tx)
    await tx`update catalog_meta set generation = generation + 1, jobs = (select count(*) from catalog_jobs)`
    // Fresh statistics: search picks its plan from the row estimate.
    await tx`analyze catalog_jobs`
  })
  // Sets hint bits and the visibility map now, not during the first searches after a big import.
  if (summary.created + summary.updated > 0) await sql`vacuum (analyze) catalog_jobs`.catch(() => {})
  return summary
}

async function upsertBatch(
  tx: Tx,
  jobs: JobWithComponents[],
  summary: ImportSummary,
): Promise<void> {
  const rows = jobs.map(jobRow)
  const existing = await tx<{ source: string; code: string; content_hash: string }[]>`
    select j.source, j.code, j.content_hash
    from catalog_jobs j
    join unnest(${tx.array(jobs.map((j) => j.source))}::text[], ${tx.array(jobs.map((j) => j.code))}::text[]) k (s, c)
      on j.source = k.s and j.code = k.c`
  const old = new Map(existing.map((r) => [jobKey(r.source, r.code), r]))
  const changed: number[] = []
  jobs.forEach((job, i) => {
    const prev = old.get(jobKey(job.source, job.code))
    if (prev?.content_hash === rows[i].hash) return void summary.unchanged++
    if (prev) summary.updated++
    else summary.created++
    summary.components += job.components.length
    changed.push(i)
  })
  if (changed.length === 0) return
  const col = <T>(f: (i: number) => T) => changed.map(f)
  const ids = await tx<{ id: string; source: string; code: string }[]>`
    insert into catalog_jobs (source, code, name, unit, classification, sub_classification,
                              code_key, code_sort, search_pad, head, tsv, cat_mask, content_hash)
    select * from unnest(
      ${tx.array(col((i) => jobs[i].source))}::text[], ${tx.array(col((i) => jobs[i].code))}::text[],
      ${tx.array(col((i) => jobs[i].name))}::text[], ${tx.array(col((i) => jobs[i].unit))}::text[],
      ${tx.array(col((i) => jobs[i].classification))}::text[],
      ${tx.array(col((i) => jobs[i].subClassification))}::text[],
      ${tx.array(col((i) => rows[i].codeKey))}::text[], ${tx.array(col((i) => rows[i].codeSort))}::text[],
      ${tx.array(col((i) => rows[i].searchPad))}::text[], ${tx.array(col((i) => rows[i].head))}::text[],
      ${tx.array(col((i) => rows[i].tsv))}::tsvector[],
      ${tx.array(col((i) => rows[i].catMask))}::smallint[], ${tx.array(col((i) => rows[i].hash))}::text[])
    on conflict (source, code) do update set
      name = excluded.name, unit = excluded.unit, classification = excluded.classification,
      sub_classification = excluded.sub_classification, code_key = excluded.code_key,
      code_sort = excluded.code_sort, search_pad = excluded.search_pad, head = excluded.head, tsv = excluded.tsv,
      cat_mask = excluded.cat_mask, content_hash = excluded.content_hash
    returning id, source, code`
  const idOf = new Map(ids.map((r) => [jobKey(r.source, r.code), r.id]))
  const jobIds = changed.map((i) => idOf.get(jobKey(jobs[i].source, jobs[i].code))!)
  await tx`delete from catalog_components where job_id = any(${tx.array(jobIds)}::bigint[])`
  const c: { job: string[]; ord: number[]; cat: string[]; item: string[]; desc: string[]; unit: string[]; coef: string[] } =
    { job: [], ord: [], cat: [], item: [], desc: [], unit: [], coef: [] }
  changed.forEach((i, k) => {
    jobs[i].components.forEach((comp, ord) => {
      c.job.push(jobIds[k])
      c.ord.push(ord)
      c.cat.push(comp.category)
      c.item.push(comp.itemCode)
      c.desc.push(comp.description)
      c.unit.push(comp.unit)
      c.coef.push(comp.coefficient)
    })
  })
  await linkItems(tx, jobIds, changed.map((i) => jobs[i].components))
  if (c.job.length === 0) return
  await tx`
    insert into catalog_components (job_id, ord, category, item_code, description, unit, coefficient)
    select * from unnest(${tx.array(c.job)}::bigint[], ${tx.array(c.ord)}::int[], ${tx.array(c.cat)}::text[],
      ${tx.array(c.item)}::text[], ${tx.array(c.desc)}::text[], ${tx.array(c.unit)}::text[],
      ${tx.array(c.coef)}::numeric[])`
}

/**
 * Rebuilds the vocabulary from the indexes themselves (`ts_stat`): every lexeme of job names and items
 * with its document frequency in each and the number of jobs whose head word it is (search plans with
 * them), and its trigrams (pg_trgm's padding, as `fuzzy.ts` computes them).
 */
export async function refreshVocabulary(tx: Tx): Promise<void> {
  await tx`
    with s as materialized (
      select word, sum(nj)::int as df, sum(ni)::int as item_df, sum(nh)::int as head_df from (
        select word, ndoc as nj, 0 as ni, 0 as nh from ts_stat('select tsv from catalog_jobs')
        union all
        select word, 0, ndoc, 0 from ts_stat('select tsv from catalog_items')
        union all
        select head, 0, 0, count(*) from catalog_jobs where head <> '' group by head
      ) u group by word
    ),
    gone as (delete from catalog_words w where not exists (select 1 from s where s.word = w.word)),
    counted as (update catalog_words w set df = s.df, item_df = s.item_df, head_df = s.head_df from s
                where s.word = w.word and (w.df <> s.df or w.item_df <> s.item_df or w.head_df <> s.head_df))
    insert into catalog_words (word, trigrams, df, item_df, head_df)
    select s.word,
           array(select distinct substr('  ' || s.word || ' ', i, 3) from generate_series(1, length(s.word) + 1) i),
           s.df, s.item_df, s.head_df
    from s where not exists (select 1 from catalog_words w where w.word = s.word)`
  await refreshRoots(tx)
}

/**
 * `catalog_words.root`: a word's stem when every document holding the word holds the stem too. Each word
 * of a text is indexed with its stem (catalog-rows.ts `nameLexemes`), so a word is in a document either as
 * typed (its stem beside it) or as the stem of another word there; only the first can be relied on, so a
 * word that is the stem of another word has no root.
 */
async function refreshRoots(tx: Tx): Promise<void> {
  const rows = await tx<{ word: string; root: string | null }[]>`select word, root from catalog_words`
  const vocabulary = new Set(rows.map((r) => r.word))
  const stems = rows.map((r) => stemIndonesian(r.word))
  const stemOfAnother = new Set(stems.filter((s, i) => s !== rows[i].word))
  const changed: { word: string; root: string | null }[] = []
  rows.forEach((r, i) => {
    const root = stems[i] !== r.word && vocabulary.has(stems[i]) && !stemOfAnother.has(r.word) ? stems[i] : null
    if (root !== r.root) changed.push({ word: r.word, root })
  })
  if (changed.length === 0) return
  await tx`
    update catalog_words w set root = c.root
    from unnest(${tx.array(changed.map((c) => c.word))}::text[], ${tx.array(changed.map((c) => c.root) as string[])}::text[]) c (word, root)
    where w.word = c.word`
}
