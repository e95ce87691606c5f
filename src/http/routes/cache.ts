import { createRoute, z } from '@hono/zod-openapi'
import type { CachePort } from '../../ports/cache.js'
import { problemResponse } from './problem-response.js'
import { requireAdmin } from '../middleware/auth-guard/index.js'
import { createRouter } from '../router.js'

/** What every cache reports (`/cache/stats`; the status page's cache block adds `recoveries`). */
export const CACHE_STATS_FIELDS = {
  backend: z.string(),
  active: z.string(),
  degraded: z.boolean(),
  hits: z.number(),
  misses: z.number(),
  hitRatio: z.number().openapi({ description: 'hits / (hits + misses); 0 before any read' }),
  errors: z.number(),
  failovers: z.number(),
}

const NearStatsSchema = z
  .object({
    hits: z.number(),
    misses: z.number(),
    bypasses: z.number().openapi({ description: 'reads sent to the backend because the invalidation channel was not confirmed within the lease' }),
    evictions: z.number(),
    invalidations: z.number(),
    flushes: z.number(),
    entries: z.number(),
    bytes: z.number(),
    live: z.boolean(),
    leaseMs: z.number(),
  })
  .passthrough()
  .openapi('NearCacheStats', { description: 'The near cache in front of the remote cache, Redis or the db backend (CACHE_NEAR); absent when off' })

const CacheStatsSchema = z
  .object({ ...CACHE_STATS_FIELDS, near: NearStatsSchema.optional() })
  .passthrough()
  .openapi('CacheStats')

const statsRoute = createRoute({
  method: 'get',
  path: '/cache/stats',
  tags: ['operations'],
  summary: 'Cache counters since start (admin)',
  security: [{ cookieAuth: [] }],
  middleware: [requireAdmin] as const,
  responses: {
    200: { description: 'Counters', content: { 'application/json': { schema: CacheStatsSchema } } },
    401: problemResponse('No session'),
    403: problemResponse('Not an administrator'),
  },
})

export function createCacheRoutes(deps: { cache: CachePort }) {
  return createRouter().openapi(statsRoute, async (c) => {
    const stats = await deps.cache.stats()
    const reads = stats.hits + stats.misses
    c.header('Cache-Control', 'no-store')
    return c.json({ ...stats, hitRatio: reads === 0 ? 0 : Math.round((stats.hits / reads) * 10_000) / 10_000 }, 200)
  })
}
