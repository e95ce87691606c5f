import type { Context, MiddlewareHandler } from 'hono'
import { ForbiddenError, UnauthorizedError } from '../../../domain/errors.js'
import type { AppEnv } from '../../types.js'

/** Why a request has no user: 401, or 503 when its session could not be checked (cache and store down). */
export function noUserError(c: Context<AppEnv>): Error {
  return c.get('sessionUnavailable') ?? new UnauthorizedError()
}

/** 401 without a session (503 when it could not be checked). Relies on the session middleware having set `c.var.user`. */
export const requireUser: MiddlewareHandler<AppEnv> = async function requireUser(c, next) {
  if (!c.get('user')) throw noUserError(c)
  await next()
}

/** 401 without a session (503 when it could not be checked), 403 for a non-admin. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async function requireAdmin(c, next) {
  const user = c.get('user')
  if (!user) throw noUserError(c)
  if (user.role !== 'admin') throw new ForbiddenError('Administrator role required')
  await next()
}
