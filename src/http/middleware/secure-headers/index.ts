/** @module Security response headers on every response. */
import type { MiddlewareHandler } from 'hono'
import { secureHeaders as honoSecureHeaders } from 'hono/secure-headers'

export interface SecureHeadersOptions {
  /** `APP_ENV=production`: adds HSTS (only meaningful, and only safe, once served over HTTPS). */
  production: boolean
  /** HSTS max-age, seconds. Default two years (hstspreload.org's minimum is one). */
  hstsMaxAge?: number
}

/**
 * hono's `secureHeaders` with this API's choices: `nosniff`, `X-Frame-Options: DENY` (an API is never
 * framed), `Referrer-Policy: no-referrer`, HSTS only in production, plus hono's other defaults
 * (COOP/CORP same-origin, no `X-Powered-By`).
 *
 * @example app.use('*', secureHeaders({ production: config.appEnv === 'production' }))
 */
export function secureHeaders(options: SecureHeadersOptions): MiddlewareHandler {
  const maxAge = options.hstsMaxAge ?? 63_072_000
  if (!Number.isInteger(maxAge) || maxAge < 0) throw new TypeError('hstsMaxAge must be a non-negative integer')
  return honoSecureHeaders({
    xContentTypeOptions: 'nosniff',
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: options.production ? `max-age=${maxAge}; includeSubDomains` : false,
  })
}
