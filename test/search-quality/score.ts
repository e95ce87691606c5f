/**
 * The search-quality query set (`queries.tsv`: kind, query, the job codes an estimator means, why) scored
 * on a catalog store: top-1 (the first hit is one of the meant jobs) and top-5 (one of the first five is),
 * per kind. Used by `test/search-quality/quality.test.ts` (CI) and `npm run bench:quality`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { CatalogStore, SearchHit } from '../../src/ports/catalog.js'

export interface QualityQuery {
  kind: string
  query: string
  codes: string[]
  why: string
}

export function loadQualityQueries(): QualityQuery[] {
  const text = readFileSync(fileURLToPath(new URL('./queries.tsv', import.meta.url)), 'utf8')
  const [, ...lines] = text.split('\n').filter((l) => l.trim() !== '')
  return lines.map((l) => {
    const [kind, query, codes, why] = l.split('\t')
    return { kind, query, codes: codes.split(' ').filter(Boolean), why }
  })
}

export interface KindScore {
  kind: string
  queries: number
  top1: number
  top5: number
}

export interface QualityReport {
  byKind: KindScore[]
  all: KindScore
  /** The first five hits of every query, for comparing adapters. */
  pages: Map<string, SearchHit[]>
  misses: { query: string; top5: boolean; first?: string }[]
}

export async function scoreQuality(store: CatalogStore, queries: QualityQuery[]): Promise<QualityReport> {
  const kinds = new Map<string, KindScore>()
  const all: KindScore = { kind: 'all', queries: 0, top1: 0, top5: 0 }
  const pages = new Map<string, SearchHit[]>()
  const misses: QualityReport['misses'] = []
  for (const q of queries) {
    const { items } = await store.search({ q: q.query, page: 1, limit: 5 })
    pages.set(q.query, items)
    const meant = new Set(q.codes)
    const top1 = items.length > 0 && meant.has(items[0].code)
    const top5 = items.some((h) => meant.has(h.code))
    const k = kinds.get(q.kind) ?? { kind: q.kind, queries: 0, top1: 0, top5: 0 }
    kinds.set(q.kind, k)
    for (const s of [k, all]) {
      s.queries++
      if (top1) s.top1++
      if (top5) s.top5++
    }
    if (!top1) misses.push({ query: q.query, top5, first: items[0]?.code })
  }
  return { byKind: [...kinds.values()], all, pages, misses }
}

const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)} %`

export function formatQuality(name: string, r: QualityReport): string {
  const rows = [...r.byKind, r.all].map((k) => `| ${name} | ${k.kind} | ${k.queries} | ${pct(k.top1, k.queries)} | ${pct(k.top5, k.queries)} |`)
  return ['| adapter | kind | queries | top-1 | top-5 |', '|---|---|---|---|---|', ...rows].join('\n')
}
