/** @module Security response headers on every response. */
import type { MiddlewareHandler } from 'hono'

export interface SecureHeadersOptions {
  /** `APP_ENV=production`: adds HSTS (only meaningful, and only safe, once served over HTTPS). */
  production: boolean
  /** HSTS max-age, seconds. Default two years (hstspreload.org's minimum is one). */
  hstsMaxAge?: number
}

/**
 * This API's security headers, built once: `nosniff`, `X-Frame-Options: DENY` (an API is never framed),
 * `Referrer-Policy: no-referrer`, COOP/CORP same-origin, HSTS only in production. Left out: headers only
 * old browsers or HTML documents read (`X-XSS-Protection`, `X-Download-Options`,
 * `X-Permitted-Cross-Domain-Policies`, `X-DNS-Prefetch-Control`, `Origin-Agent-Cluster`). Nothing here
 * sets `X-Powered-By`, so there is none to remove.
 *
 * Not hono's `secureHeaders`: its defaults add the headers left out above (and it sets them on the built
 * response after `next()`); here they are set before, with `c.header()`, like any other middleware's.
 *
 * @example app.use('*', secureHeaders({ production: config.appEnv === 'production' }))
 */
export function secureHeaders(options: SecureHeadersOptions): MiddlewareHandler {
  const maxAge = options.hstsMaxAge ?? 63_072_000
  if (!Number.isInteger(maxAge) || maxAge < 0) throw new TypeError('hstsMaxAge must be a non-negative integer')
  const fixed: [string, string][] = Object.entries({
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  })
  if (options.production) fixed.push(['Strict-Transport-Security', `max-age=${maxAge}; includeSubDomains`])

  return function secureHeaders(c, next) {
    for (const [name, value] of fixed) c.header(name, value)
    return next()
  }
}
