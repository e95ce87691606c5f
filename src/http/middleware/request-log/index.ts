/**
 * @module
 * Request id and access log. First middleware of the app: every later log line and every response
 * carries the request id.
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { Logger } from '../../../ports/logger.js'
import { routeLabel } from '../../route-label.js'
import type { AppEnv } from '../../types.js'

/** What an incoming `X-Request-Id` may be; anything else (too long, odd bytes) is replaced. */
const VALID_ID = /^[A-Za-z0-9._-]{1,128}$/

export const REQUEST_ID_HEADER = 'X-Request-Id'

export interface RequestLogOptions {
  logger: Logger
  /** Id for a request that came without a usable one. Default `crypto.randomUUID()`. */
  generateId?: () => string
  /** Told once per request, after the response, what the log line records (metrics: `httpMetrics`). */
  observers?: readonly RequestObserver[]
}

/** One answered request: what the request log measured, for other sinks than the log line. */
export interface RequestOutcome {
  method: string
  /** Route pattern (`/ahsp/jobs/:code`), never the raw path. */
  route: string
  status: number
  seconds: number
}

export type RequestObserver = (c: Context, outcome: RequestOutcome) => void

/**
 * Sets `c.var.requestId` (the caller's `X-Request-Id` when it is ≤ 128 chars of `[A-Za-z0-9._-]`, else a
 * new UUID), echoes it in the response, puts a child logger carrying it on `c.var.logger`, and writes
 * one `request` line per request: method, route pattern, path, status, latency, client address. The
 * same measurement goes to `observers` (HTTP metrics), so the route is resolved and the request timed
 * once, in one middleware, rather than again in a middleware of their own.
 *
 * The line deliberately leaves out the query string (search terms and any token someone put in a URL),
 * headers, cookies and bodies: nothing a client sends beyond the path reaches the log.
 *
 * @example
 * app.use('*', requestLog({ logger }))
 */
export const requestLog = (options: RequestLogOptions): MiddlewareHandler<AppEnv> => {
  const generateId = options.generateId ?? (() => crypto.randomUUID())
  const base = options.logger
  const observers = options.observers ?? []
  return async function requestLog(c, next) {
    const incoming = c.req.header(REQUEST_ID_HEADER)
    const requestId = incoming !== undefined && VALID_ID.test(incoming) ? incoming : generateId()
    const logger = base.child({ requestId })
    c.set('requestId', requestId)
    c.set('logger', logger)
    c.header(REQUEST_ID_HEADER, requestId)
    const started = performance.now()
    await next()
    const elapsed = performance.now() - started
    const status = c.res.status
    const method = c.req.method
    const route = routeLabel(c)
    for (const observe of observers) observe(c, { method, route, status, seconds: elapsed / 1000 })
    // clientIp is set by the client-ip middleware that runs after this one, so it is read on the way out.
    const latencyMs = Math.round(elapsed * 100) / 100
    const fields = { method, route, path: c.req.path, status, latencyMs, ip: c.get('clientIp') }
    if (status >= 500) logger.error('request', fields)
    else logger.info('request', fields)
  }
}
