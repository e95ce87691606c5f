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
 * framed), `Referrer-Policy: no-referrer`, COOP/CORP same-origin, no `X-Powered-By`, HSTS only in
 * production. Left out: headers that only old browsers or HTML documents read (`X-XSS-Protection`,
 * `X-Download-Options`, `X-Permitted-Cross-Domain-Policies`, `X-DNS-Prefetch-Control`,
 * `Origin-Agent-Cluster`) — each is a `Headers.set` on every response for nothing a JSON API needs.
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
    xXssProtection: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xDnsPrefetchControl: false,
    originAgentCluster: false,
  })
}
