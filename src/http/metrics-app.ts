import { Hono } from 'hono'
import type { MetricsRegistry } from '../use-cases/metrics/registry.js'
import { problem } from './error-handler.js'
import { createMetricsRoutes } from './routes/metrics.js'

/**
 * The app for the separate `METRICS_PORT` listener: only `GET /metrics`, unauthenticated (protect it by
 * binding HOST to a private interface or by the network), so Prometheus needs no session.
 */
export function createMetricsApp(metrics: MetricsRegistry) {
  const app = new Hono()
  app.notFound((c) => problem(c, 404, `No route for ${c.req.method} ${c.req.path}`))
  app.route('/', createMetricsRoutes({ metrics, adminOnly: false }))
  return app
}
