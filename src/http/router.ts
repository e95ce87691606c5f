import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { problem } from './error-handler.js'
import type { AppEnv } from './types.js'

/** Zod issues → the `errors` array of a 400 problem. */
function validationHook(
  result: { success: true; data: unknown } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } },
  c: Context,
) {
  if (!result.success) {
    const errors = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
    return problem(c, 400, 'Request validation failed', { errors })
  }
}

/** Every route module builds its routes on one of these, so validation errors look the same everywhere. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never })
}
