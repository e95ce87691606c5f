import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status'
import { AppError, RateLimitExceededError } from '../domain/errors.js'
import type { Logger } from '../ports/logger.js'

/** RFC 9457 problem details. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  [extra: string]: unknown
}

const STATUS_BY_CODE: Record<string, { status: ContentfulStatusCode; title: string }> = {
  'REQUEST.INVALID': { status: 400, title: 'Bad Request' },
  'AUTH.UNAUTHORIZED': { status: 401, title: 'Unauthorized' },
  'AUTH.FORBIDDEN': { status: 403, title: 'Forbidden' },
  'RESOURCE.NOT_FOUND': { status: 404, title: 'Not Found' },
  'RESOURCE.CONFLICT': { status: 409, title: 'Conflict' },
  'REQUEST.TOO_LARGE': { status: 413, title: 'Payload Too Large' },
  'REQUEST.UNPROCESSABLE': { status: 422, title: 'Unprocessable Content' },
  'RATE_LIMIT.EXCEEDED': { status: 429, title: 'Too Many Requests' },
  'BACKEND.UNAVAILABLE': { status: 503, title: 'Service Unavailable' },
  'CACHE.UNAVAILABLE': { status: 503, title: 'Service Unavailable' },
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 503: 'Service Unavailable',
}

/** Context key: the media types the matched operation declares for its body (set by the router, read for 415s). */
export const ACCEPTED_MEDIA_TYPES = 'acceptedMediaTypes'

/** What a 415 says: the Content-Type that came and the ones the operation takes. */
function unsupportedMediaType(c: Context): string {
  const sent = c.req.header('content-type')?.split(';')[0]?.trim()
  const accepted = c.get(ACCEPTED_MEDIA_TYPES) as string[] | undefined
  const got = sent ? `Content-Type ${sent} is not accepted here` : 'A body without a Content-Type is not accepted here'
  return accepted?.length ? `${got}: expected ${accepted.join(' or ')}` : got
}

export function problemType(status: number): string {
  return `https://httpstatuses.io/${status}`
}

/** A problem+json response. */
export function problem(c: Context, status: ContentfulStatusCode, detail: string, extra?: Record<string, unknown>): Response {
  const problemBody: Problem = { type: problemType(status), title: TITLES[status] ?? 'Error', status, detail, ...extra }
  return c.json(problemBody, status, { 'Content-Type': 'application/problem+json' })
}

/**
 * The single `app.onError`: maps `AppError` codes to statuses, passes `HTTPException`s through as
 * problems, and turns anything else into a 500 that is logged with its stack but never shows it.
 */
export function createErrorHandler(base: Logger) {
  return function errorHandler(err: Error, c: Context): Response {
    // The request's child logger (set by requestLog) carries the request id into the error line.
    const logger = (c.get('logger') as Logger | undefined) ?? base
    if (err instanceof AppError) {
      const mapped = STATUS_BY_CODE[err.code]
      if (mapped) {
        if (err instanceof RateLimitExceededError) c.header('Retry-After', String(err.retryAfter))
        if (mapped.status >= 500) logger.warn('dependency unavailable', { code: err.code, err: err.message, cause: String((err.cause as Error | undefined)?.message ?? '') })
        return problem(c, mapped.status, err.message, err.details)
      }
    }
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode
      if (err.res && !err.message) {
        // Through the context, so headers middleware set before next() (request id, rate limit) stay on it.
        const res = err.getResponse()
        return c.newResponse(res.body, res.status as StatusCode, Object.fromEntries(res.headers))
      }
      if (status === 415) return problem(c, 415, unsupportedMediaType(c))
      return problem(c, status, err.message || TITLES[status] || 'Error')
    }
    logger.error('unhandled error', { err: err.message, stack: err.stack, path: c.req.path, method: c.req.method })
    return problem(c, 500, 'An unexpected error occurred')
  }
}
