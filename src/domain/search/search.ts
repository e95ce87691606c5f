/**
 * The search flow every catalog adapter shares: validate paging, parse, run the exact query, and only when
 * it finds nothing run the fuzzy rewrite. Adapters supply the engine (`ports/search-engine.ts`) that
 * evaluates a parsed query. Pure: a shared helper of the adapters, not a use case.
 */
import { ValidationError } from '../errors.js'
import type { Category } from '../../ports/catalog.js'
import { CATEGORIES, SEARCH_IN, SEARCH_LIMITS } from '../../ports/catalog.js'
import type { SearchEngine, SearchFilters } from '../../ports/search-engine.js'
import { clean } from '../catalog/canonical-job.js'
import { fuzzyRewrite } from './fuzzy.js'
import { hasPositiveClause, parseQuery } from './query-parser.js'

const { maxLimit: MAX_LIMIT, maxPage: MAX_PAGE } = SEARCH_LIMITS

interface Paged {
  q: string
  source?: string
  category?: Category
  in?: string
  page: number
  limit: number
}

export function checkPaging(query: Paged): { offset: number; limit: number } {
  const { page, limit } = query
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new ValidationError(`limit must be an integer between 1 and ${MAX_LIMIT}`)
  }
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
    throw new ValidationError(`page must be an integer between 1 and ${MAX_PAGE}`)
  }
  if (query.category !== undefined && !CATEGORIES.includes(query.category)) {
    throw new ValidationError(`category must be one of ${CATEGORIES.join(', ')}`)
  }
  if (query.in !== undefined && !SEARCH_IN.includes(query.in as never)) {
    throw new ValidationError(`in must be one of ${SEARCH_IN.join(', ')}`)
  }
  return { offset: (page - 1) * limit, limit }
}

export async function executeSearch<Hit>(
  engine: SearchEngine<Hit>,
  query: Paged,
): Promise<{ total: number; items: Hit[]; fuzzy?: boolean }> {
  const { offset, limit } = checkPaging(query)
  const filters: SearchFilters = {
    source: query.source === undefined ? undefined : clean(query.source),
    category: query.category,
  }
  const parsed = parseQuery(typeof query.q === 'string' ? query.q : '')
  if (!hasPositiveClause(parsed)) return { total: 0, items: [] }
  const exact = await engine.run(parsed, filters, offset, limit)
  if (exact.total > 0) return exact
  const fuzzy = await fuzzyRewrite(parsed, engine.vocabulary)
  if (!fuzzy) return exact
  const result = await engine.run(fuzzy, filters, offset, limit)
  return result.total > 0 ? { ...result, fuzzy: true } : exact
}
