import { createRoute, z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { Status, StatusReport } from '../../use-cases/status/status.js'
import { requireAdmin } from '../middleware/auth-guard/index.js'
import { createRouter } from '../router.js'
import { problemResponse } from './problem-response.js'
import type { AppEnv } from '../types.js'
import { STATUS_PAGE } from './status-page.js'
import { CACHE_STATS_FIELDS } from './cache.js'

const ms = z.number().nullable().openapi({ description: 'milliseconds; null without requests' })
const Percentiles = { count: z.number(), p50Ms: ms, p95Ms: ms, p99Ms: ms }

const StatusSchema = z
  .object({
    generatedAt: z.string(),
    uptimeSeconds: z.number().nullable(),
    runtime: z.string().nullable(),
    cache: z.object({ ...CACHE_STATS_FIELDS, recoveries: z.number() }).nullable(),
    nearCache: z.null(),
    requests: z.object({
      total: z.number(),
      serverErrors: z.number(),
      window: z.object({ seconds: z.number(), total: z.number(), perSecond: z.number(), serverErrors: z.number() }).nullable(),
    }),
    rateLimits: z.object({ rejections: z.record(z.string(), z.number()), windowRejections: z.record(z.string(), z.number()).nullable() }),
    latency: z.array(z.object({ method: z.string(), route: z.string(), ...Percentiles, window: z.object(Percentiles).nullable() })),
    sessions: z.object({ active: z.number() }).nullable(),
    catalog: z.object({ jobs: z.number(), sources: z.number(), generation: z.number() }).nullable(),
    unavailable: z.array(z.string()),
  })
  .openapi('Status')

function routes(guard: MiddlewareHandler<AppEnv>[]) {
  const refusals: Record<number, ReturnType<typeof problemResponse>> = guard.length
    ? { 401: problemResponse('No session'), 403: problemResponse('Not an administrator') }
    : {}
  const secured = { security: guard.length ? [{ cookieAuth: [] }] : undefined, responses401: refusals }
  const where = guard.length ? 'Administrators only on the main port; unauthenticated on METRICS_PORT.' : 'On the METRICS_PORT listener.'
  return {
    json: createRoute({
      method: 'get',
      path: '/status.json',
      tags: ['operations'],
      summary: 'Operator status: cache, latency percentiles by route, rate limits, sessions, catalog',
      description: `Since start and over the last minute (window: null until the server has a baseline). ${where}`,
      ...(secured.security ? { security: secured.security } : {}),
      middleware: guard,
      responses: { 200: { description: 'Status', content: { 'application/json': { schema: StatusSchema } } }, ...secured.responses401 },
    }),
    page: createRoute({
      method: 'get',
      path: '/status',
      tags: ['operations'],
      summary: 'Operator status page (HTML, refreshes itself from /status.json)',
      description: where,
      ...(secured.security ? { security: secured.security } : {}),
      middleware: guard,
      responses: { 200: { description: 'Self-contained HTML page', content: { 'text/html': { schema: z.string() } } }, ...secured.responses401 },
    }),
  }
}

/** Everything inline, nothing fetched but the JSON next to it: the browser enforces it. */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

export function createStatusRoutes(deps: { status: Status; adminOnly: boolean }) {
  const r = routes(deps.adminOnly ? [requireAdmin] : [])
  return createRouter()
    .openapi(r.json, async (c) => {
      c.header('Cache-Control', 'no-store')
      const report: StatusReport = await deps.status.report()
      return c.json(report, 200)
    })
    .openapi(r.page, (c) => {
      c.header('Cache-Control', 'no-store')
      c.header('Content-Security-Policy', PAGE_CSP)
      return c.body(STATUS_PAGE, 200, { 'Content-Type': 'text/html; charset=utf-8' }) as never
    })
}
