/**
 * One round trip before a search: the vocabulary entries of the query's words. It yields
 * - prefix expansion: a one-word prefix becomes the indexed words it covers (exact lexemes are cheaper
 *   for GIN than a `:*` partial match, which rechecks every row; same matches by construction, since
 *   `catalog_words` is rebuilt from the index in every import);
 * - an early "no match" when a required word is indexed nowhere (saves the count and page queries);
 * - a match-count estimate from document frequencies, to choose between walking the static-order index
 *   (dense matches) and sorting the matches (sparse ones);
 * - words implied by another alternative of their clause dropped (`catalog_words.root`: `pemasangan` and
 *   `pasangan` beside `pasang`): the same matches from fewer posting lists, and a type-ahead word whose
 *   forms all share one stem gets its exact total from that stem's document frequency.
 */
import type { Sql } from './client.js'
import { after } from './catalog-query.js'
import type { Alternative, Clause, ParsedQuery } from '../../domain/search/query-parser.js'

/** More words than this under one prefix: keep `:*` rather than list them. */
const MAX_EXPANSION = 64

export interface SearchPlan {
  /** The query with prefixes expanded; undefined = matches nothing. */
  query?: ParsedQuery
  /** Upper-bound estimate of the matches (before filters and exclusions). */
  estimate: number
  /** Jobs in the catalog. */
  jobs: number
  /** The exact total when the query is one indexed word (its document frequency): no count needed. */
  exactTotal?: number
  /**
   * Jobs whose head word is one of `lexemes` (or begins with one, `prefix`): an upper bound of the jobs
   * the lead feature ranks first. Undefined when the words were not all looked up (a prefix over
   * `MAX_EXPANSION` words).
   */
  leadJobs(lead: { lexemes: string[]; prefix: boolean }): number | undefined
  /** Documents holding `word` (0: none), when the plan looked it up (an exact word, or a prefix's own word). */
  docs(word: string): number | undefined
}


/** What is searched: job names (`df`, `catalog_meta.jobs`) or items (`item_df`, `catalog_meta.items`). */
export type PlanTarget = 'jobs' | 'items'

export async function planSearch(sql: Sql, q: ParsedQuery, target: PlanTarget = 'jobs'): Promise<SearchPlan> {
  const dfCol = target === 'items' ? sql`item_df` : sql`df`
  const total = target === 'items' ? sql`items` : sql`jobs`
  const prefixes = new Set<string>()
  const exact = new Set<string>()
  for (const c of q.clauses) {
    for (const a of c.alternatives) {
      if (a.kind !== 'terms') continue
      if (a.prefix && a.lexemes.length === 1) prefixes.add(a.lexemes[0])
      else a.lexemes.forEach((l, i) => (a.prefix && i === a.lexemes.length - 1 ? null : exact.add(l)))
    }
  }
  const p = [...prefixes]
  const rows = await sql<{ prefix: string | null; word: string | null; df: number | null; root: string | null; head_df: number; jobs: string }[]>`
    select p.prefix, x.word, x.df, x.root, x.head_df, (select ${total} from catalog_meta) as jobs
    from unnest(${sql.array(p)}::text[], ${sql.array(p.map(after))}::text[]) p (prefix, hi)
    cross join lateral (
      select word, ${dfCol} as df, root, head_df from catalog_words
      where word >= p.prefix and word < p.hi and ${dfCol} > 0 order by word limit ${MAX_EXPANSION + 1}
    ) x
    union all
    select null, word, ${dfCol}, root, head_df, (select ${total} from catalog_meta) from catalog_words
    where word = any(${sql.array([...exact])}::text[]) and ${dfCol} > 0
    union all
    select null, null, null, null, 0, ${total} from catalog_meta`
  const jobs = Number(rows[0]?.jobs ?? 0)
  const df = new Map<string, number>()
  const roots = new Map<string, string>()
  const heads = new Map<string, number>()
  const expansions = new Map<string, { word: string; df: number }[]>()
  for (const r of rows) {
    if (r.word === null) continue
    if (r.root !== null) roots.set(r.word, r.root)
    heads.set(r.word, r.head_df)
    if (r.prefix === null) df.set(r.word, r.df ?? 0)
    else expansions.set(r.prefix, [...(expansions.get(r.prefix) ?? []), { word: r.word, df: r.df ?? 0 }])
  }
  const dfOf = (w: string) => df.get(w) ?? [...expansions.values()].flat().find((x) => x.word === w)?.df

  let estimate = jobs
  const clauses: Clause[] = []
  for (const c of q.clauses) {
    const expanded: Alternative[] = []
    for (const a of c.alternatives) {
      if (a.kind === 'code') expanded.push(a)
      else if (a.prefix && a.lexemes.length === 1) {
        const words = expansions.get(a.lexemes[0]) ?? []
        if (words.length > MAX_EXPANSION) expanded.push(a)
        else for (const w of words) expanded.push({ kind: 'terms', lexemes: [w.word], prefix: false })
      } else {
        // A word or phrase with a word indexed nowhere cannot match.
        const known = a.lexemes.filter((l, i) => a.prefix && i === a.lexemes.length - 1 ? true : df.has(l))
        if (known.length === a.lexemes.length) expanded.push(a)
      }
    }
    const alternatives = withoutImplied(expanded, roots)
    let clauseEstimate = 0
    for (const a of alternatives) {
      if (a.kind === 'code' || (a.prefix && a.lexemes.length === 1)) clauseEstimate = jobs
      else clauseEstimate += Math.min(...a.lexemes.map((l, i) => (a.prefix && i === a.lexemes.length - 1 ? jobs : dfOf(l) ?? jobs)))
    }
    if (alternatives.length > 0) clauses.push({ ...c, alternatives })
    else if (!c.negated) return { estimate: 0, jobs, leadJobs: () => 0, docs: () => 0 }
    if (!c.negated) estimate = Math.min(estimate, clauseEstimate)
  }
  const only = clauses.length === 1 && !clauses[0].negated && clauses[0].alternatives.length === 1 ? clauses[0].alternatives[0] : undefined
  const exactTotal =
    only?.kind === 'terms' && !only.prefix && only.lexemes.length === 1 ? dfOf(only.lexemes[0]) : undefined
  const leadJobs = ({ lexemes, prefix }: { lexemes: string[]; prefix: boolean }) => {
    if (!prefix) return lexemes.reduce((n, l) => n + (heads.get(l) ?? 0), 0)
    if (lexemes.some((l) => (expansions.get(l)?.length ?? 0) > MAX_EXPANSION || !prefixes.has(l))) return undefined
    const words = new Set(lexemes.flatMap((l) => expansions.get(l) ?? []).map((w) => w.word))
    return [...words].reduce((n, w) => n + (heads.get(w) ?? 0), 0)
  }
  // A prefix's expansion lists words in order from the prefix itself, so a word missing from its own is in none.
  const docs = (w: string) => dfOf(w) ?? (expansions.has(w) || prefixes.has(w) ? 0 : undefined)
  return { query: { clauses }, estimate, jobs, exactTotal, leadJobs, docs }
}

const singleWord = (a: Alternative): string | undefined =>
  a.kind === 'terms' && !a.prefix && a.lexemes.length === 1 ? a.lexemes[0] : undefined

/** Alternatives minus the one-word ones whose root is another one-word alternative (and duplicates). */
function withoutImplied(alternatives: Alternative[], roots: ReadonlyMap<string, string>): Alternative[] {
  const words = new Set(alternatives.map(singleWord).filter((w) => w !== undefined))
  const seen = new Set<string>()
  return alternatives.filter((a) => {
    const w = singleWord(a)
    if (w === undefined) return true
    if (seen.has(w)) return false
    seen.add(w)
    const root = roots.get(w)
    return root === undefined || !words.has(root)
  })
}
