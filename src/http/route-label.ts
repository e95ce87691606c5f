import type { Context } from 'hono'
import { matchedRoutes } from 'hono/route'

/** Label for requests no route matched: one series instead of one per scanned path. */
export const UNMATCHED_ROUTE = '(unmatched)'

/**
 * The route pattern that answers this request (`/ahsp/jobs/:code`), for logs and metric labels.
 * Middleware is registered for method `ALL` or, per method, on path `*`; so the last matched entry that is
 * neither is the handler's route — even when a middleware (auth guard, rate limit) answered before it ran.
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c)
  for (let i = routes.length - 1; i >= 0; i--) {
    const r = routes[i]!
    if (r.method !== 'ALL' && r.path !== '*' && r.path !== '/*') return r.path
  }
  return UNMATCHED_ROUTE
}
