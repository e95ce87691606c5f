/** @module CSRF defence for cookie-authenticated requests: same origin or nothing. */
import type { Context, MiddlewareHandler } from 'hono'
import { readCookie } from '../../session-cookie.js'
import { ForbiddenError } from '../../../domain/errors.js'
import { SESSION_COOKIE } from '../../session-cookie.js'
import type { AppEnv } from '../../types.js'

export interface OriginCheckOptions {
  /** `TRUST_PROXY`: take the scheme of the request's own origin from `X-Forwarded-Proto`. */
  trustProxy: boolean
  /** Further origins (`https://app.example`) allowed to send cookie-authenticated unsafe requests. */
  allowedOrigins?: readonly string[]
  /** Cookie that marks a request as cookie-authenticated. Default `sid`. */
  cookieName?: string
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])

function refererOrigin(referer: string): string {
  try {
    return new URL(referer).origin
  } catch {
    return 'invalid'
  }
}

/**
 * Refuses (403) unsafe requests (POST, PUT, PATCH, DELETE…) that carry the session cookie and whose
 * `Origin` — or `Referer` when there is no `Origin` — is not the request's own origin. Requests without the
 * cookie pass (nothing to forge), as do requests with neither header: browsers always send `Origin` on
 * cross-origin unsafe requests, so only non-browser clients omit both. `Origin: null` is refused.
 *
 * @example app.use('*', originCheck({ trustProxy: config.trustProxy }))
 */
export function originCheck(options: OriginCheckOptions): MiddlewareHandler<AppEnv> {
  const cookieName = options.cookieName ?? SESSION_COOKIE
  const allowed = new Set(
    (options.allowedOrigins ?? []).map((o) => {
      const origin = refererOrigin(o)
      if (origin === 'invalid' || origin === 'null') throw new TypeError(`allowedOrigins: "${o}" is not an origin`)
      return origin
    }),
  )

  function ownOrigin(c: Context): string {
    const url = new URL(c.req.url)
    const forwarded = options.trustProxy ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() : undefined
    const scheme = forwarded === 'https' || forwarded === 'http' ? `${forwarded}:` : url.protocol
    return `${scheme}//${url.host}`
  }

  return function originCheck(c, next) {
    if (!SAFE_METHODS.has(c.req.method) && readCookie(c, cookieName) !== undefined) {
      const origin = c.req.header('origin')
      const referer = c.req.header('referer')
      const claimed = origin !== undefined ? origin : referer !== undefined ? refererOrigin(referer) : undefined
      if (claimed !== undefined && claimed !== ownOrigin(c) && !allowed.has(claimed)) {
        throw new ForbiddenError('Cross-origin request with session cookie refused')
      }
    }
    return next()
  }
}
