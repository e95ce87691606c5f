/**
 * The identity of a job across sources, as one Map key: `source` and `code` joined by NUL, which neither
 * can contain (imports strip it), so no pair collides with another.
 */
export const jobKey = (source: string, code: string): string => `${source}\u0000${code}`
