import type { OpenAPIHono } from '@hono/zod-openapi'
import { Scalar } from '@scalar/hono-api-reference'
import type { AppEnv } from '../types.js'

export const OPENAPI_PATH = '/openapi.json'
export const DOCS_PATH = '/docs'

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document generated from the routes' `createRoute` definitions and
 * zod schemas, so it cannot drift from what the handlers validate. `GET /docs`: Scalar's interactive
 * reference, an HTML page that loads its script from the Scalar CDN in the reader's browser.
 * Call after every route is mounted: the document is built from the app's registry on each request.
 */
export function registerApiDocs(app: OpenAPIHono<AppEnv>, info: { version: string }): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', {
    type: 'apiKey',
    in: 'cookie',
    name: 'sid',
    description: 'Session cookie set by POST /auth/login (HttpOnly; send it back as the browser does).',
  })
  app.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: {
      title: 'AHSP API',
      version: info.version,
      description:
        'Indonesian AHSP (SNI unit price analysis) reference: search, jobs with components, imports, sessions. ' +
        'Errors are application/problem+json (RFC 9457).',
    },
    tags: [
      { name: 'operations', description: 'Health, readiness, cache statistics, metrics' },
      { name: 'auth', description: 'Cookie sessions' },
      { name: 'ahsp', description: 'AHSP catalog and search' },
    ],
  })
  app.get(DOCS_PATH, Scalar({ url: OPENAPI_PATH, pageTitle: 'AHSP API reference' }))
}
