/** The draft-7 `RateLimit: limit=N, remaining=N, reset=N` header of a response, parsed; undefined when absent. */
export function rateLimitOf(res: Response): { limit: number; remaining: number; reset: number } | undefined {
  const value = res.headers.get('ratelimit')
  if (value === null) return undefined
  const m = /^limit=(\d+), remaining=(\d+), reset=(\d+)$/.exec(value)
  if (!m) throw new Error(`malformed RateLimit header: ${value}`)
  return { limit: Number(m[1]), remaining: Number(m[2]), reset: Number(m[3]) }
}
