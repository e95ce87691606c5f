import { createRoute, z } from '@hono/zod-openapi'
import { UnauthorizedError } from '../../domain/errors.js'
import type { LoginThrottle } from '../../ports/login-throttle.js'
import type { Auth } from '../../use-cases/auth/login.js'
import { MAX_PASSWORD_LENGTH } from '../../use-cases/auth/login.js'
import { createRouter } from '../router.js'
import { noUserError } from '../middleware/auth-guard/index.js'
import { problemResponse } from './problem-response.js'
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from '../session-cookie.js'

export interface AuthRoutesDeps {
  auth: Auth
  /** Absolute session lifetime, seconds (`SESSION_TTL`): the cookie's Max-Age. */
  sessionTtl: number
  /** `Secure` cookies (production). */
  secureCookies: boolean
  /** Failed-login throttle (`RATE_LIMIT_LOGIN`); absent = unthrottled (unit tests). */
  loginThrottle?: LoginThrottle
}


const UserSchema = z
  .object({ id: z.string(), username: z.string(), role: z.enum(['admin', 'user']) })
  .openapi('User')
const LoginRequestSchema = z
  .object({
    username: z.string().min(1).max(150).openapi({ example: 'admin' }),
    password: z.string().min(1).max(MAX_PASSWORD_LENGTH).openapi({ example: 'correct horse battery staple' }),
  })
  .openapi('LoginRequest')
const LoginResponseSchema = z.object({ user: UserSchema }).openapi('LoginResponse')
const MeResponseSchema = z
  .object({ user: UserSchema, session: z.object({ expiresAt: z.string().openapi({ format: 'date-time' }) }) })
  .openapi('Me')

const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['sessions'],
  summary: 'Log in: a new session (new id every time) in the HttpOnly `sid` cookie',
  request: { body: { required: true, content: { 'application/json': { schema: LoginRequestSchema } } } },
  responses: {
    200: {
      description: 'Logged in; `Set-Cookie: sid=…; HttpOnly; SameSite=Lax; Path=/` (+ Secure in production)',
      content: { 'application/json': { schema: LoginResponseSchema } },
    },
    400: problemResponse('Malformed body'),
    401: problemResponse('Wrong username or password (one answer for both)'),
    429: problemResponse('Too many failed logins for this username from this client (`RATE_LIMIT_LOGIN`)'),
    503: problemResponse('The user or session store is unavailable'),
  },
})

const logoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['sessions'],
  summary: 'Log out: the session ends everywhere (cache and store) and the cookie is cleared. Idempotent',
  responses: { 204: { description: 'Logged out (also when there was no session)' }, 503: problemResponse('The session store is unavailable') },
})

const meRoute = createRoute({
  method: 'get',
  path: '/auth/me',
  tags: ['sessions'],
  summary: 'The logged-in user and when the session expires',
  security: [{ cookieAuth: [] }],
  responses: {
    200: { description: 'The current session', content: { 'application/json': { schema: MeResponseSchema } } },
    401: problemResponse('No valid session'),
    503: problemResponse('The session could not be checked (cache and session store unavailable); the user is not logged out'),
  },
})

/** `/auth/*`: thin — parse, call the auth use case, set or clear the cookie. */
export function createAuthRoutes(deps: AuthRoutesDeps) {
  const { auth, loginThrottle } = deps
  const cookie = { secure: deps.secureCookies }
  const router = createRouter()
  router.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', { type: 'apiKey', in: 'cookie', name: 'sid' })
  return router
    .openapi(loginRoute, async (c) => {
      const { username, password } = c.req.valid('json')
      const clientIp = c.get('clientIp') ?? 'unknown'
      await loginThrottle?.check(username, clientIp)
      let session
      try {
        session = await auth.login(username, password, readSessionCookie(c))
      } catch (err) {
        if (err instanceof UnauthorizedError) {
          c.get('logger')?.info('login failed', { username, clientIp })
          await loginThrottle?.fail(username, clientIp)
        }
        throw err
      }
      await loginThrottle?.succeed?.(username, clientIp)
      c.get('logger')?.info('login', { userId: session.user.id, clientIp })
      writeSessionCookie(c, session.id, deps.sessionTtl, cookie)
      c.header('Cache-Control', 'no-store')
      return c.json({ user: session.user }, 200)
    })
    .openapi(logoutRoute, async (c) => {
      await auth.logout(readSessionCookie(c))
      clearSessionCookie(c, cookie)
      return c.body(null, 204)
    })
    .openapi(meRoute, (c) => {
      const user = c.get('user')
      const session = c.get('session')
      if (!user || !session) throw noUserError(c)
      c.header('Cache-Control', 'no-store')
      return c.json({ user, session: { expiresAt: new Date(session.expiresAt).toISOString() } }, 200)
    })
}
