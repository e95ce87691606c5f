import type { OpenAPIHono } from '@hono/zod-openapi'
import { Scalar } from '@scalar/hono-api-reference'
import type { DocsBundle } from '../../ports/docs-bundle.js'
import { problem } from '../error-handler.js'
import type { AppEnv } from '../types.js'

export const OPENAPI_PATH = '/openapi.json'
export const DOCS_PATH = '/docs'
/** The renderer's script and anything else the reference page loads live under here. */
export const DOCS_ASSETS_PREFIX = '/docs/assets/'

/** Documentation routes: never rate limited, so a reader browsing the reference cannot use up the API limit. */
export function isDocsPath(path: string): boolean {
  return path === '/' || path === OPENAPI_PATH || path === DOCS_PATH || path.startsWith(DOCS_ASSETS_PREFIX)
}

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document generated from the routes' `createRoute` definitions and
 * zod schemas, so it cannot drift from what the handlers validate. `GET /docs`: Scalar's interactive
 * reference, whose script the app serves itself from the installed package (`bundle`) under a versioned
 * URL: no CDN, no web fonts, no telemetry — the page works on a network with no internet access.
 * Call after every route is mounted: the document is built from the app's registry on each request.
 */
export function registerApiDocs(app: OpenAPIHono<AppEnv>, info: { version: string; bundle?: DocsBundle }): void {
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
      { name: 'sessions', description: 'Login, logout and the current session (cookie sessions)' },
      { name: 'catalog', description: 'AHSP catalog: search, jobs with components, sources, import' },
    ],
  })
  // A newcomer's first request: say where the API describes itself.
  app.get('/', (c) =>
    c.json({ name: 'AHSP API', version: info.version, docs: DOCS_PATH, openapi: OPENAPI_PATH, health: '/health' }),
  )
  const bundle = info.bundle
  const scriptPath = `${DOCS_ASSETS_PREFIX}scalar-${bundle?.version ?? 'missing'}.js`
  app.get(
    DOCS_PATH,
    Scalar({
      url: OPENAPI_PATH,
      cdn: scriptPath,
      pageTitle: 'AHSP API reference',
      // Each of these would reach a third-party origin from the reader's browser.
      withDefaultFonts: false,
      telemetry: false,
      hideClientButton: true,
      agent: { disabled: true },
      showDeveloperTools: 'never',
      // Small document: every operation rendered at once, so in-page search and Ctrl-F find them all.
      defaultOpenAllTags: true,
    } as Parameters<typeof Scalar>[0]),
  )
  // Compressed once, on first request (4.7 MB → about a quarter), then served from memory.
  let gzipped: Promise<Uint8Array> | undefined
  app.get(scriptPath, async (c) => {
    if (!bundle) return problem(c, 404, 'The API reference script is not installed in this build')
    const headers: Record<string, string> = {
      'Content-Type': 'text/javascript; charset=utf-8',
      // The version is in the URL: a new release is a new URL.
      'Cache-Control': 'public, max-age=31536000, immutable',
      Vary: 'Accept-Encoding',
    }
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      gzipped ??= bundle.script().then(gzip)
      gzipped.catch(() => (gzipped = undefined))
      return c.body((await gzipped) as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Encoding': 'gzip' })
    }
    return c.body((await bundle.script()) as Uint8Array<ArrayBuffer>, 200, headers)
  })
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}
