import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit as stockBodyLimit } from 'hono/body-limit'
import { matchedRoutes } from 'hono/route'
import { PayloadTooLargeError } from '../../../domain/errors.js'

/**
 * Request body bounds on hono's stock `bodyLimit`: a `Content-Length` over the bound is refused before a
 * byte is read; a body without one (chunked) is read only until it passes the bound. Either way the answer
 * is a 413 problem+json through the app's error handler. After a 413 the server drains a little of what the
 * client keeps sending and then closes the connection (`@hono/node-server`: ≤ 500 ms; Bun stops reading).
 */

const UPLOAD = Symbol('uploadLimit')
type Marked = MiddlewareHandler & { [UPLOAD]?: true }

const tooLarge = (maxBytes: number) => (): never => {
  throw new PayloadTooLargeError(maxBytes)
}

/**
 * The bound on every request (`BODY_LIMIT`). A route that declares its own bound with `uploadLimit` (imports,
 * price lists) is skipped here, so its larger bound applies — after its own guards (admin) have run.
 */
const BODILESS = new Set(['GET', 'HEAD'])

export function bodyLimit(options: { maxBytes: number }): MiddlewareHandler {
  const limit = stockBodyLimit({ maxSize: options.maxBytes, onError: tooLarge(options.maxBytes) })
  return async function bodyLimit(c, next) {
    // A GET or HEAD without Content-Length or Transfer-Encoding carries no body: decided from the headers,
    // because `c.req.raw` makes @hono/node-server build the whole Request (~70 µs of CPU per request).
    if (BODILESS.has(c.req.method) && c.req.header('content-length') === undefined && c.req.header('transfer-encoding') === undefined) return next()
    if (!c.req.raw.body || hasOwnUploadLimit(c)) return next()
    return limit(c, next)
  }
}

/** The spec's bound on uploads (imports, price lists): 10 MB. */
export const DEFAULT_UPLOAD_BYTES = 10 * 1024 * 1024

/** A route's own bound for uploads, as route middleware after its guards: `middleware: [requireAdmin, uploadLimit(10 * MB)]`. */
export function uploadLimit(maxBytes: number): MiddlewareHandler {
  const handler: Marked = stockBodyLimit({ maxSize: maxBytes, onError: tooLarge(maxBytes) })
  handler[UPLOAD] = true
  return handler
}

function hasOwnUploadLimit(c: Context): boolean {
  return matchedRoutes(c).some((r) => (r.handler as Marked)[UPLOAD] === true)
}
