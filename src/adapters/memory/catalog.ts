/**
 * The embedded catalog: jobs in a Map, searched through `SearchIndex`. Same semantics as the PostgreSQL
 * adapter (shared parser, stemmer, ranking and fuzzy fallback); state lives in this process only.
 */
import type { CatalogItem, CatalogStore, ImportSummary, Item, JobWithComponents, SearchHit } from '../../ports/catalog.js'
import { canonicalJobs, clean, sameJob } from '../../domain/catalog/canonical-job.js'
import { executeSearch } from '../../domain/search/search.js'
import type { SearchEngine, SearchFilters, WordProbe } from '../../ports/search-engine.js'
import { maxEdits, probeTrigrams } from '../../domain/search/fuzzy.js'
import type { ParsedQuery } from '../../domain/search/query-parser.js'
import { rankProbe, rankValue, STATIC_PROBE, type RankFeatures, type RankProbe } from '../../domain/search/ranking.js'
import { compareCodePoints } from '../../domain/search/normalise.js'
import { CATEGORY_BITS, SearchIndex, type IndexedDoc } from './search-index.js'
import { ItemIndex } from './item-index.js'
import { jobKey } from '../../domain/catalog/job-key.js'

export interface MemoryCatalogOptions {
  /** Jobs loaded at creation (not counted as an import; generation stays 0). */
  jobs?: JobWithComponents[]
}

const copy = (j: JobWithComponents): JobWithComponents => ({ ...j, components: j.components.map((c) => ({ ...c })) })

export function createMemoryCatalog(options: MemoryCatalogOptions = {}): CatalogStore {
  const index = new SearchIndex()
  const byKey = new Map<string, number>()
  let generation = 0
  let items: ItemIndex | undefined

  function put(job: JobWithComponents): void {
    const k = jobKey(job.source, job.code)
    const old = byKey.get(k)
    if (old !== undefined) index.remove(old)
    byKey.set(k, index.add(job).id)
    items = undefined
  }

  /** Built on first use after a change (item search, `in=components`), not on every import. */
  function itemIndex(): ItemIndex {
    items ??= new ItemIndex(index.docs)
    return items
  }
  const accepting = (filters: SearchFilters) => {
    const mask = filters.category ? CATEGORY_BITS[filters.category] : 0
    return filters.source === undefined && !mask
      ? undefined
      : (d: IndexedDoc) =>
          (filters.source === undefined || d.job.source === filters.source) && (!mask || (d.categoryMask & mask) !== 0)
  }
  const hit = (doc: IndexedDoc, features: RankFeatures, probe: RankProbe): SearchHit => {
    const { components: _, ...job } = doc.job
    return { ...job, rank: rankValue(features, probe) }
  }
  const has = (lexeme: string, prefix: boolean) => index.hasLexeme(lexeme, prefix) || itemIndex().index.hasLexeme(lexeme, prefix)

  const near = (w: WordProbe): [string[], number, number] => [probeTrigrams(w.trigrams), w.lexeme.length, maxEdits(w.lexeme)]

  const byName: SearchEngine<SearchHit> = {
    async run(q: ParsedQuery, filters: SearchFilters, offset: number, limit: number) {
      const probe = rankProbe(q)
      const { total, page } = index.rank(probe, index.match(q), accepting(filters), offset, limit)
      return { total, items: page.map(({ doc, features }) => hit(doc, features, probe)) }
    },
    vocabulary: { lookup: (words) => words.map((w) => (has(w.lexeme, w.prefix) ? undefined : index.candidates(...near(w)))) },
  }

  const byComponents: SearchEngine<SearchHit> = {
    async run(q, filters, offset, limit) {
      const probe = STATIC_PROBE
      const bits = itemIndex().jobsMatching(q, index.docs.length)
      const { total, page } = index.rank(probe, bits, accepting(filters), offset, limit)
      return { total, items: page.map(({ doc, features }) => hit(doc, features, probe)) }
    },
    vocabulary: {
      lookup: (words) => words.map((w) => (has(w.lexeme, w.prefix) ? undefined : itemIndex().index.candidates(...near(w)))),
    },
  }

  const itemEngine: SearchEngine<Item> = {
    async run(q, filters, offset, limit) {
      const items = itemIndex()
      const { total, page } = items.index.rank(rankProbe(q), items.index.match(q), accepting(filters), offset, limit)
      return { total, items: page.map(({ doc }) => items.itemOf(doc)) }
    },
    vocabulary: byComponents.vocabulary,
  }

  for (const job of canonicalJobs(options.jobs ?? [])) put(job)
  index.prepare()

  return {
    search: (query) => executeSearch(query.in === 'components' ? byComponents : byName, query),

    searchItems: (query) => executeSearch(itemEngine, query),

    async getJob(rawCode, rawSource) {
      const code = clean(rawCode)
      const source = rawSource === undefined ? undefined : clean(rawSource)
      if (source !== undefined) {
        const id = byKey.get(jobKey(source, code))
        return id === undefined ? undefined : copy(index.docs[id]!.job)
      }
      let best: JobWithComponents | undefined
      for (const d of index.docs) {
        if (d && d.job.code === code && (!best || compareCodePoints(d.job.source, best.source) < 0)) best = d.job
      }
      return best && copy(best)
    },

    async getJobs(refs) {
      // One pass over the jobs finds the first source of every code a ref names without one.
      const firstByCode = new Map<string, JobWithComponents>()
      if (refs.some((r) => r.source === undefined)) {
        for (const d of index.docs) {
          const best = d && firstByCode.get(d.job.code)
          if (d && (!best || compareCodePoints(d.job.source, best.source) < 0)) firstByCode.set(d.job.code, d.job)
        }
      }
      return refs.map((r) => {
        const code = clean(r.code)
        if (r.source === undefined) {
          const job = firstByCode.get(code)
          return job && copy(job)
        }
        const id = byKey.get(jobKey(clean(r.source), code))
        return id === undefined ? undefined : copy(index.docs[id]!.job)
      })
    },

    async sources() {
      const counts = new Map<string, number>()
      for (const d of index.docs) if (d) counts.set(d.job.source, (counts.get(d.job.source) ?? 0) + 1)
      return [...counts]
        .map(([source, jobs]) => ({ source, jobs }))
        .sort((a, b) => compareCodePoints(a.source, b.source))
    },

    async upsertJobs(jobs, onProgress) {
      // Canonicalising first validates everything, so a bad job changes nothing (all-or-nothing).
      const incoming = canonicalJobs(jobs)
      const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, components: 0 }
      incoming.forEach((job, i) => {
        const id = byKey.get(jobKey(job.source, job.code))
        if (id !== undefined && sameJob(index.docs[id]!.job, job)) summary.unchanged++
        else {
          if (id === undefined) summary.created++
          else summary.updated++
          summary.components += job.components.length
          put(job)
        }
        if (onProgress && ((i + 1) % 1000 === 0 || i + 1 === incoming.length)) onProgress(i + 1, incoming.length)
      })
      if (summary.created + summary.updated > 0) {
        generation++
        index.prepare()
      }
      return summary
    },

    async items() {
      const seen = new Map<string, CatalogItem>()
      for (const d of index.docs) {
        if (!d) continue
        for (const c of d.job.components) {
          const k = `${c.itemCode}\u0000${c.description}\u0000${c.unit}\u0000${c.category}`
          if (!seen.has(k)) seen.set(k, { itemCode: c.itemCode, description: c.description, unit: c.unit, category: c.category })
        }
      }
      return [...seen.entries()].sort(([a], [b]) => compareCodePoints(a, b)).map(([, v]) => v)
    },

    async generation() {
      return generation
    },

    async close() {},
  }
}
