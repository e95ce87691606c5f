/**
 * Translates the shared `ParsedQuery` into one parameterised SQL statement. Lexemes are [a-z0-9] only
 * (the normaliser guarantees it), and the tsquery text is still passed as a bound parameter and cast,
 * never concatenated into SQL. Order and features mirror `domain/search/ranking.ts` exactly.
 */
import type { Sql } from './client.js'
import type { Alternative, Clause, ParsedQuery } from '../../domain/search/query-parser.js'
import type { SearchFilters } from '../../ports/search-engine.js'
import type { RankProbe } from '../../domain/search/ranking.js'

export type Fragment = ReturnType<Sql>

export const CATEGORY_BITS = { TK: 1, BHN: 2, ALT: 4, LAIN: 8 } as const

const SAFE_LEXEME = /^[a-z0-9]+$/

function lexeme(l: string, prefix: boolean): string {
  // Unreachable for normalised lexemes; a guard so a future normaliser change cannot inject syntax.
  if (!SAFE_LEXEME.test(l)) throw new Error(`unsafe lexeme ${JSON.stringify(l)}`)
  return `'${l}'${prefix ? ':*' : ''}`
}

/** The tsquery text of one word (a bound parameter, cast). */
export const wordQuery = (word: string): string => lexeme(word, false)

function termsQuery(a: Extract<Alternative, { kind: 'terms' }>): string {
  const parts = a.lexemes.map((l, i) => lexeme(l, a.prefix && i === a.lexemes.length - 1))
  return parts.length === 1 ? parts[0] : `(${parts.join(' <-> ')})`
}

function clauseQuery(c: Clause): string {
  const alts = c.alternatives.map((a) => termsQuery(a as Extract<Alternative, { kind: 'terms' }>))
  const body = alts.length === 1 ? alts[0] : `(${alts.join(' | ')})`
  return c.negated ? `!${body}` : body
}

const isTextOnly = (c: Clause) => c.alternatives.every((a) => a.kind === 'terms')

export function whereClause(sql: Sql, q: ParsedQuery, filters: SearchFilters): Fragment {
  const conds: Fragment[] = []
  const text = q.clauses.filter(isTextOnly)
  // Text clauses become one tsquery, so a single GIN index scan serves them; a tsquery made only of
  // negations cannot use the index, so those join it only when a positive text clause exists.
  if (text.some((c) => !c.negated)) {
    conds.push(sql`tsv @@ ${text.map(clauseQuery).join(' & ')}::tsquery`)
  } else {
    for (const c of text) conds.push(sql`not (tsv @@ ${clauseQuery({ ...c, negated: false })}::tsquery)`)
  }
  for (const c of q.clauses.filter((c) => !isTextOnly(c))) {
    const alts = c.alternatives.map((a) =>
      a.kind === 'code'
        ? sql`(code_key = ${a.code} or code_key like ${a.code + '.%'})`
        : sql`tsv @@ ${termsQuery(a)}::tsquery`,
    )
    const any = alts.reduce((acc, f) => sql`${acc} or ${f}`)
    conds.push(c.negated ? sql`not (${any})` : sql`(${any})`)
  }
  if (filters.source !== undefined) conds.push(sql`source = ${filters.source}`)
  if (filters.category !== undefined) conds.push(sql`(cat_mask & ${CATEGORY_BITS[filters.category]}) <> 0`)
  return conds.length === 0 ? sql`true` : conds.reduce((acc, f) => sql`${acc} and ${f}`)
}

/** The query-dependent features of ranking.ts as conditions (undefined: constant 0 for this query). */
export function featureConditions(
  sql: Sql,
  probe: RankProbe,
): { lead?: Fragment; phrase?: Fragment; whole?: Fragment; early?: Fragment } {
  const l = probe.lead
  return {
    // `head`: ranking.ts headWord, stored (catalog-rows.ts).
    lead: l === undefined ? undefined
      : l.prefix ? sql`head like any(${sql.array(l.lexemes.map((x) => x + '%'))}::text[])`
      : sql`head = any(${sql.array(l.lexemes)}::text[])`,
    phrase: probe.phrase === undefined ? undefined : sql`strpos(search_pad, ${probe.phrase}) > 0`,
    whole: probe.whole === undefined ? undefined : sql`strpos(search_pad, ${probe.whole}) > 0`,
    early: probe.early === undefined ? undefined : earlyCondition(sql, probe.early),
  }
}

/**
 * ranking.ts `isEarly`: every clause has an alternative whose first occurrence begins within the name's first
 * words, their end (`earlyEnd`) summed from `split_part` (a regular expression per row cost ~10× more).
 */
function earlyCondition(sql: Sql, early: NonNullable<RankProbe['early']>): Fragment {
  const lengths = Array.from({ length: early.words }, (_, i) => `length(split_part(search_pad, ' ', ${i + 2}))`)
  const end = sql.unsafe(`(${lengths.join(' + ')} + ${early.words})`)
  // A clause's earliest alternative (strpos 0 = absent: null, which least() skips).
  return early.needles
    .map((alts): Fragment => sql`least(${alts.map((x): Fragment => sql`nullif(strpos(search_pad, ${x}), 0)`).reduce((acc, f) => sql`${acc}, ${f}`)}) <= ${end}`)
    .reduce((acc, f) => sql`${acc} and ${f}`)
}

/** The next string after every string starting with `prefix` (lexemes are [a-z0-9]). */
export const after = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)

/**
 * Every row with the lead feature, as `catalog_jobs_head_idx` can find them: head ranges (`head` is
 * collate "C", so `head like 'x%'` is `head >= 'x' and head < after('x')`).
 */
export function leadCandidates(sql: Sql, lead: NonNullable<RankProbe['lead']>): Fragment {
  if (!lead.prefix) return sql`head = any(${sql.array(lead.lexemes)}::text[])`
  const ranges: Fragment[] = lead.lexemes.map((x) => sql`(head >= ${x} and head < ${after(x)})`)
  return ranges.reduce((a, c) => sql`${a} or ${c}`)
}

/** Rank feature columns `code_tier`, `lead`, `early`, `lead_early`, `phrase`, `whole`, `len`, as ranking.ts defines them. */
export function featureColumns(sql: Sql, probe: RankProbe): Fragment {
  const tier =
    probe.codes.length === 0
      ? sql`0`
      : sql`case when code_key = any(${sql.array(probe.codes)}::text[]) then 2
                 when code_key like any(${sql.array(probe.codes.map((c) => c + '.%'))}::text[]) then 1 else 0 end`
  const f = featureConditions(sql, probe)
  const flag = (c: Fragment | undefined) => (c === undefined ? sql`0` : sql`case when ${c} then 1 else 0 end`)
  return sql`${tier} as code_tier, ${flag(f.lead)} as lead, ${flag(f.early)} as early,
    (${flag(f.lead)}) + (${flag(f.early)}) as lead_early, ${flag(f.phrase)} as phrase, ${flag(f.whole)} as whole,
    length(search_pad) as len`
}

/**
 * ORDER BY of ranking.ts. Constant features are left out, so a one-word query can order exactly by the
 * `catalog_jobs_static_idx` expression list: PostgreSQL then walks that index and stops after a page.
 * `ranked`: the same order over `r`, an already ranked page (`featureColumns` and the order keys).
 */
export function orderBy(probe: RankProbe, indexWalk: boolean, ranked = false): string {
  return [
    probe.codes.length > 0 ? 'code_tier desc' : '',
    // ranking.ts featureScore: lead and early count together, then phrase.
    probe.lead !== undefined || probe.early !== undefined ? 'lead_early desc' : '',
    probe.phrase !== undefined ? 'phrase desc' : '',
    probe.whole !== undefined ? 'whole desc' : '',
    // `+ 0` (same order) hides the index from the planner when sorting the matches is cheaper.
    probe.byLength ? (ranked ? 'len' : indexWalk ? 'length(search_pad)' : 'length(search_pad) + 0') : '',
    ranked ? 'r.code_sort, r.code collate "C", r.source collate "C"' : 'code_sort, code collate "C", source collate "C"',
  ]
    .filter(Boolean)
    .join(', ')
}
