import { Hono } from 'hono'
import type { MetricsRegistry } from '../ports/metrics.js'
import { problem } from './error-handler.js'
import { createMetricsRoutes } from './routes/metrics.js'
import { createStatusRoutes } from './routes/status.js'
import type { Status } from '../use-cases/status/status.js'

/**
 * The app for the separate `METRICS_PORT` listener: `GET /metrics` and the status page (`/status`,
 * `/status.json`), unauthenticated (protect it by binding HOST to a private interface or by the network),
 * so Prometheus and operators need no session.
 */
export function createMetricsApp(metrics: MetricsRegistry, status?: Status) {
  const app = new Hono()
  app.notFound((c) => problem(c, 404, `No route for ${c.req.method} ${c.req.path}`))
  app.route('/', createMetricsRoutes({ metrics, adminOnly: false }))
  if (status) app.route('/', createStatusRoutes({ status, adminOnly: false }))
  return app
}
