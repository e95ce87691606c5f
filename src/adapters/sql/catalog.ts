/**
 * The PostgreSQL catalog. Runs its migrations at creation; search semantics come from the shared use-case
 * modules (parser, stemmer, ranking, fuzzy), so results equal the memory adapter's. Library errors become
 * `BackendUnavailableError` (503), never a raw 500.
 */
import type { Sql } from './client.js'
import { asPgPool, type PgPool } from './pool.js'
import { runMigrations } from './migrations.js'
import { CATALOG_MIGRATIONS } from './catalog-schema.js'
import { featureColumns, leadCandidates, orderBy, whereClause, wordQuery, type Fragment } from './catalog-query.js'
import { componentPage, jobPage, toJob } from './catalog-page.js'
import { readJobs } from './catalog-jobs.js'
import { planSearch, type PlanTarget } from './catalog-plan.js'
import { refreshVocabulary, upsertJobs } from './catalog-upsert.js'
import { backfillItems, componentJobs } from './catalog-items.js'
import { reindexIfStale } from './catalog-reindex.js'
import { maxEdits, probeTrigrams } from '../../domain/search/fuzzy.js'
import { WordIndex } from '../../domain/search/word-index.js'
import { guardedBy } from './pg-errors.js'
import type { CatalogStore, Category, Component, Item, JobWithComponents, SearchHit } from '../../ports/catalog.js'
import { executeSearch } from '../../domain/search/search.js'
import type { SearchEngine, Vocabulary } from '../../ports/search-engine.js'
import { clean } from '../../domain/catalog/canonical-job.js'
import { isStatic, rankProbe, STATIC_PROBE } from '../../domain/search/ranking.js'

/** Rows an index walk may visit before the sort-the-matches plan is cheaper. */
const WALK_BUDGET = 400
/** Index entries `in=components` may read from its matching items' links (items × (offset + limit)). */
const LINK_WALK_MAX = 20_000
/** Rows with a rank feature (lead, whole word) read whole beside the window when no more hold it. */
const FEATURE_SET_MAX = 2000


const guard = guardedBy('catalog')


export interface PgCatalogOptions {
  /** Where imports run (long transactions, no read deadline), so they never hold the read pool. Default: `db`. */
  imports?: Sql | PgPool
  /** Ms an import may take before it is abandoned (its transaction also has a statement timeout). Default 30 min. */
  importDeadlineMs?: number
}

/**
 * Every read runs as one call of the read pool: one deadline for all its statements (a search is several),
 * cancelled together when it passes (`pool.ts`). Imports run on `options.imports`.
 */
export async function createPgCatalog(db: Sql | PgPool, options: PgCatalogOptions = {}): Promise<CatalogStore> {
  const pool = asPgPool(db, 'catalog')
  const imports = options.imports ? asPgPool(options.imports, 'import') : pool
  await runMigrations(pool.sql, CATALOG_MIGRATIONS)

  await backfillItems(pool.sql, (tx) => refreshVocabulary(tx))
  await reindexIfStale(pool.sql, (tx) => refreshVocabulary(tx))

  /**
   * The vocabulary of the current generation in process (`catalog_words`: a few thousand words): the fuzzy
   * fallback's questions about every word of a query then cost one statement, the generation read, and a
   * reload only after an import changed the catalog (here or on another instance).
   */
  let words: { generation: number; all: WordIndex; jobs: WordIndex; items: WordIndex } | undefined
  let loading: Promise<NonNullable<typeof words>> | undefined
  async function vocabularyNow(sql: Sql): Promise<NonNullable<typeof words>> {
    const [meta] = await sql<{ generation: string }[]>`select generation from catalog_meta`
    const generation = Number(meta?.generation ?? 0)
    if (words?.generation === generation) return words
    loading ??= (async () => {
      const rows = await sql<{ word: string; df: number; item_df: number }[]>`select word, df, item_df from catalog_words`
      return {
        generation,
        all: new WordIndex(rows.map((r) => r.word)),
        jobs: new WordIndex(rows.filter((r) => r.df > 0).map((r) => r.word)),
        items: new WordIndex(rows.filter((r) => r.item_df > 0).map((r) => r.word)),
      }
    })().finally(() => (loading = undefined))
    const loaded = await loading
    if (loaded.generation >= (words?.generation ?? -1)) words = loaded
    return loaded
  }

  /** The search engines on the client of one pool call. */
  const enginesOn = (sql: Sql) => {
    const vocabulary = (target: PlanTarget): Vocabulary => ({
      async lookup(probes) {
        if (probes.length === 0) return []
        const v = await vocabularyNow(sql)
        const mine = target === 'items' ? v.items : v.jobs
        return probes.map((w) =>
          v.all.has(w.lexeme, w.prefix) ? undefined : mine.candidates(probeTrigrams(w.trigrams), w.lexeme.length, maxEdits(w.lexeme)),
        )
      },
    })

    const byName: SearchEngine<SearchHit> = {
      async run(q, filters, offset, limit) {
        const probe = rankProbe(q)
        const plan = await planSearch(sql, q)
        if (!plan.query) return { total: 0, items: [] }
        const where = whereClause(sql, plan.query, filters)
        // Dense matches (rows visited by a walk ≈ (offset + limit) / density) can stop after the page
        // (catalog-page.ts); sparse ones: GIN bitmap, then sort the few matches.
        const fewVisits = (n: number | undefined) => n === undefined || (n > 0 && ((offset + limit) * plan.jobs) / n <= WALK_BUDGET)
        const lead = probe.lead === undefined ? undefined : { n: plan.leadJobs(probe.lead), cond: leadCandidates(sql, probe.lead) }
        const wholeWord = probe.whole?.trim()
        const whole = wholeWord === undefined ? undefined : { n: plan.docs(wholeWord), cond: sql`tsv @@ ${wordQuery(wholeWord)}::tsquery` as Fragment }
        // Feature sets small enough, and well short of the matches (else ranking them all costs as much), are
        // read whole beside the window; a large one must be dense in it.
        const small = (f: { n: number | undefined; cond: Fragment } | undefined) =>
          f !== undefined && f.n !== undefined && f.n <= FEATURE_SET_MAX && f.n * 4 <= plan.estimate ? f.cond : undefined
        const sets = { lead: small(lead), whole: small(whole) }
        // A walk finds rows with the features left in `best` (catalog-page.ts) when each is dense; the
        // density of a phrase or of early words is unknown, so they are walked for only beside a dense lead.
        const dense = plan.estimate > 0 && fewVisits(plan.estimate) &&
          (lead === undefined || sets.lead !== undefined || fewVisits(lead.n)) &&
          (whole === undefined || sets.whole !== undefined || fewVisits(whole.n)) &&
          ((probe.phrase === undefined && probe.early === undefined) || (lead !== undefined && sets.lead === undefined))
        const exactTotal = filters.source === undefined && filters.category === undefined ? plan.exactTotal : undefined
        return jobPage(sql, { where, probe, dense, sets, offset, limit, exactTotal })
      },
      vocabulary: vocabulary('jobs'),
    }

    const byComponents: SearchEngine<SearchHit> = {
      async run(q, filters, offset, limit) {
        const plan = await planSearch(sql, q, 'items')
        if (!plan.query) return { total: 0, items: [] }
        const items = whereClause(sql, plan.query, {})
        // How many jobs use the matching items picks the plan, as for names: dense (`pekerja`: nearly every
        // job) walks the static-order index, sparse sorts the few matches. Without filters that number is
        // the exact total (catalog-items.ts job bits); with them an upper bound (the links' sum).
        const filtered = filters.source !== undefined || filters.category !== undefined
        const [{ linked, jobs, matched }] = filtered
          ? await sql<{ linked: string | null; jobs: string; matched: number }[]>`
              select (select sum(jobs) from catalog_items where ${items}) as linked, (select jobs from catalog_meta) as jobs, 0 as matched`
          : [await componentJobs(sql, items)].map((c) => ({ linked: String(c.n), jobs: String(c.jobs), matched: c.items }))
        const estimate = Number(linked ?? 0)
        if (estimate === 0) return { total: 0, items: [] }
        // Few items × a near page: their links' static-order index (the exact total is known).
        if (!filtered && matched * (offset + limit) <= LINK_WALK_MAX) {
          return { total: estimate, items: await componentPage(sql, items, offset, limit) }
        }
        const dense = ((offset + limit) * Number(jobs)) / estimate <= WALK_BUDGET
        const rest = whereClause(sql, { clauses: [] }, filters)
        // Per job (the top-group window, `offset 0` keeps it a per-row test), or the matching items' jobs
        // by their links (index).
        const where: Fragment = sql`exists (
            select 1 from catalog_item_jobs l join catalog_items i on i.id = l.item_id
            where l.job_id = catalog_jobs.id and ${items} offset 0
          ) and ${rest}`
        const sorted: Fragment = sql`id = any(array(
            select job_id from catalog_item_jobs where item_id = any(array(select id from catalog_items where ${items}))
          )) and ${rest}`
        return jobPage(sql, { where, sorted, probe: STATIC_PROBE, dense, offset, limit, exactTotal: filtered ? undefined : estimate })
      },
      vocabulary: vocabulary('items'),
    }

    const itemEngine: SearchEngine<Item> = {
      async run(q, filters, offset, limit) {
        const probe = rankProbe(q)
        const plan = await planSearch(sql, q, 'items')
        if (!plan.query) return { total: 0, items: [] }
        const where = whereClause(sql, plan.query, { category: filters.category })
        const walk = isStatic(probe) && plan.estimate > 0 &&
          ((offset + limit) * plan.jobs) / plan.estimate <= WALK_BUDGET
        const [rows, [count]] = await Promise.all([
          sql<{ category: Category; item_code: string; description: string; unit: string; jobs: number }[]>`
            select category, item_code, description, unit, jobs, ${featureColumns(sql, probe)}
            from catalog_items where ${where}
            order by ${sql.unsafe(orderBy(probe, walk))} limit ${limit} offset ${offset}`,
          plan.exactTotal !== undefined && filters.category === undefined
            ? [{ n: String(plan.exactTotal) }]
            : sql<{ n: string }[]>`select count(*) as n from catalog_items where ${where}`,
        ])
        const items: Item[] = rows.map((r) => ({
          category: r.category, itemCode: r.item_code, description: r.description, unit: r.unit, jobs: r.jobs,
        }))
        return { total: Number(count.n), items }
      },
      vocabulary: vocabulary('items'),
    }

    return { byName, byComponents, itemEngine }
  }

  return {
    search: guard('search', (query) =>
      pool.run((sql) => {
        const { byComponents, byName } = enginesOn(sql)
        return executeSearch(query.in === 'components' ? byComponents : byName, query)
      }),
    ),

    searchItems: guard('searchItems', (query) => pool.run((sql) => executeSearch(enginesOn(sql).itemEngine, query))),

    getJob: guard('getJob', (rawCode: string, rawSource?: string) => pool.run(async (sql): Promise<JobWithComponents | undefined> => {
      const code = clean(rawCode)
      const source = rawSource === undefined ? undefined : clean(rawSource)
      const [job] = await sql<(Record<string, string> & { id: string })[]>`
        select id, source, code, name, unit, classification, sub_classification from catalog_jobs
        where code = ${code} ${source === undefined ? sql`` : sql`and source = ${source}`}
        order by source collate "C" limit 1`
      if (!job) return undefined
      const comps = await sql<{ category: Category; item_code: string; description: string; unit: string; coefficient: string }[]>`
        select category, item_code, description, unit, coefficient::text as coefficient
        from catalog_components where job_id = ${job.id} order by ord`
      const components: Component[] = comps.map((c) => ({
        category: c.category,
        itemCode: c.item_code,
        description: c.description,
        unit: c.unit,
        coefficient: c.coefficient,
      }))
      return { ...toJob(job), components }
    })),

    getJobs: guard('getJobs', (refs) => pool.run((sql) => readJobs(sql, refs))),

    sources: guard('sources', () => pool.run(async (sql) => {
      const rows = await sql<{ source: string; jobs: number }[]>`
        select source, count(*)::int as jobs from catalog_jobs group by source order by source collate "C"`
      return rows.map((r) => ({ source: r.source, jobs: r.jobs }))
    })),

    upsertJobs: guard('import', (jobs, onProgress) =>
      imports.run((sql) => upsertJobs(sql, jobs, onProgress), { deadlineMs: options.importDeadlineMs ?? 30 * 60_000 }),
    ),

    items: guard('items', () => pool.run(async (sql) => {
      const rows = await sql<{ item_code: string; description: string; unit: string; category: Category }[]>`
        select item_code, description, unit, category from catalog_components
        group by item_code, description, unit, category
        order by item_code collate "C", description collate "C", unit collate "C", category collate "C"`
      return rows.map((r) => ({ itemCode: r.item_code, description: r.description, unit: r.unit, category: r.category }))
    })),

    generation: guard('generation', () => pool.run(async (sql) => {
      const [r] = await sql<{ generation: string }[]>`select generation from catalog_meta`
      return Number(r?.generation ?? 0)
    })),

    // The pool belongs to whoever created it (the composition root closes it).
    async close() {},
  }
}
