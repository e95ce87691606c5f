import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import { ACCEPTED_MEDIA_TYPES, problem } from './error-handler.js'
import type { AppEnv } from './types.js'

type Issue = { path: PropertyKey[]; message: string }

/**
 * Zod issues → the `errors` array of a 400 problem, one entry per parameter: a value failing several
 * checks (`page=99999999999999999999` is past both the safe-integer bound and the schema's maximum)
 * reports the last one, the schema's own bound, rather than two overlapping messages.
 * Also refuses a URL whose percent-escapes are not UTF-8 (`q=%FF`): the router would otherwise pass
 * the escape through undecoded and the API would answer about the text "%ff", which nobody typed.
 */
function validationHook(result: { success: true; data: unknown } | { success: false; error: { issues: Issue[] } }, c: Context) {
  if (malformedEscapes(c.req.url)) {
    return problem(c, 400, 'The URL has a percent-escape that is not UTF-8 (such as %FF): encode parameters as UTF-8', {
      errors: [{ path: 'url', message: 'malformed percent-encoding' }],
    })
  }
  if (!result.success) {
    const byPath = new Map<string, string>()
    for (const i of result.error.issues) byPath.set(i.path.map(String).join('.'), i.message)
    const errors = [...byPath].map(([path, message]) => ({ path, message }))
    return problem(c, 400, 'Request validation failed', { errors })
  }
}

function malformedEscapes(url: string): boolean {
  if (!url.includes('%')) return false
  try {
    decodeURIComponent(url)
    return false
  } catch {
    return true
  }
}

/** Every route module builds its routes on one of these, so validation errors look the same everywhere. */
export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never })
  const openapi = router.openapi
  // Operations with a request body note what they accept, so a 415 can say what was expected.
  router.openapi = ((route: Parameters<typeof openapi>[0], ...rest: unknown[]) => {
    const types = Object.keys(route.request?.body?.content ?? {})
    if (types.length === 0) return (openapi as (...a: unknown[]) => unknown)(route, ...rest)
    const note: MiddlewareHandler = (c, next) => {
      c.set(ACCEPTED_MEDIA_TYPES, types)
      return next()
    }
    const own = route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware]
    return (openapi as (...a: unknown[]) => unknown)({ ...route, middleware: [note, ...own] }, ...rest)
  }) as typeof openapi
  return router
}
