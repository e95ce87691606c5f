import { createRoute, z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { PROMETHEUS_CONTENT_TYPE, type MetricsRegistry } from '../../ports/metrics.js'
import { requireAdmin } from '../middleware/auth-guard/index.js'
import { createRouter } from '../router.js'
import { problemResponse } from './problem-response.js'
import type { AppEnv } from '../types.js'

const text = { 'text/plain': { schema: z.string() } }

function metricsRoute(guard: MiddlewareHandler<AppEnv>[]) {
  return createRoute({
    method: 'get',
    path: '/metrics',
    tags: ['operations'],
    summary: 'Prometheus metrics (text exposition format 0.0.4)',
    description:
      'Request counts and latency by route, cache hits/misses/errors/failovers by backend, rate-limit rejections. ' +
      'Administrators only when served on the main port; with METRICS_PORT set it is served there instead, unauthenticated.',
    ...(guard.length ? { security: [{ cookieAuth: [] }] } : {}),
    middleware: guard,
    responses: {
      200: { description: 'Metrics', content: text },
      ...(guard.length
        ? {
            401: problemResponse('No session'),
            403: problemResponse('Not an administrator'),
          }
        : {}),
    },
  })
}

export interface MetricsRoutesDeps {
  metrics: MetricsRegistry
  /** True on the main port: a scrape must come with an administrator's session. */
  adminOnly: boolean
}

export function createMetricsRoutes(deps: MetricsRoutesDeps) {
  const route = metricsRoute(deps.adminOnly ? [requireAdmin] : [])
  return createRouter().openapi(route, async (c) => {
    const body = await deps.metrics.render()
    return c.text(body, 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Cache-Control': 'no-store' })
  })
}
