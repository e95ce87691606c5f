/** @module Session loading: who the request is authenticated as. */
import type { Context, MiddlewareHandler, Next } from 'hono'
import { AppError, BackendUnavailableError } from '../../../domain/errors.js'
import type { Sessions } from '../../../use-cases/sessions/sessions.js'
import { readSessionCookie } from '../../session-cookie.js'
import type { AppEnv } from '../../types.js'

export interface SessionMiddlewareOptions {
  sessions: Pick<Sessions, 'resolve'>
  /** Paths that never load a session (liveness must touch nothing). Default `['/health']`. */
  ignorePaths?: readonly string[]
}

/**
 * Loads the session named by the `sid` cookie once per request and sets `c.var.user` and `c.var.session`.
 * No cookie costs nothing; a tampered, random or expired cookie is simply "no session" (routes answer 401),
 * never an error. When neither the cache nor the store can answer, the request goes on anonymous and a
 * warning is logged: public routes keep working, protected ones answer 503 (`c.var.sessionUnavailable`),
 * never 401 — an outage logs nobody out.
 *
 * @example app.use('*', session({ sessions }))
 */
export function session(options: SessionMiddlewareOptions): MiddlewareHandler<AppEnv> {
  if (!options?.sessions) throw new TypeError('session middleware needs `sessions`')
  const { sessions } = options
  const ignored = new Set(options.ignorePaths ?? ['/health'])

  async function load(c: Context<AppEnv>, id: string, next: Next): Promise<void> {
    try {
      const active = await sessions.resolve(id)
      if (active) {
        c.set('user', active.user)
        c.set('session', { expiresAt: active.expiresAt })
      }
    } catch (err) {
      c.get('logger')?.warn('session could not be loaded; request continues anonymous', { err: (err as Error).message })
      c.set('sessionUnavailable', err instanceof AppError ? err : new BackendUnavailableError('session could not be checked', err))
    }
    await next()
  }

  // Not async itself: a request without a cookie (most public traffic) passes on without an extra step.
  return function session(c, next) {
    const id = readSessionCookie(c)
    return id === undefined || ignored.has(c.req.path) ? next() : load(c, id, next)
  }
}
