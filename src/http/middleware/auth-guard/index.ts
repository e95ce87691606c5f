import type { MiddlewareHandler } from 'hono'
import { ForbiddenError, UnauthorizedError } from '../../../domain/errors.js'
import type { AppEnv } from '../../types.js'

/** 401 without a session. Relies on the session middleware having set `c.var.user`. */
export const requireUser: MiddlewareHandler<AppEnv> = async function requireUser(c, next) {
  if (!c.get('user')) throw new UnauthorizedError()
  await next()
}

/** 401 without a session, 403 for a non-admin. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async function requireAdmin(c, next) {
  const user = c.get('user')
  if (!user) throw new UnauthorizedError()
  if (user.role !== 'admin') throw new ForbiddenError('Administrator role required')
  await next()
}
