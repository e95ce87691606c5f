/**
 * The one normal form of a search query, used both as the cache key and as the text the store searches,
 * so a cached answer is always the answer to its key: NFKC (full-width and compatibility forms folded),
 * control characters (NUL included) turned into spaces, runs of whitespace collapsed, trimmed, lower case.
 * Lower-casing is safe because matching is case-insensitive and `OR` is recognised in any case.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g

export function normaliseQuery(q: string): string {
  return q.normalize('NFKC').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().toLowerCase()
}
