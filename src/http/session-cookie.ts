import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'

/** The spec's cookie name. */
export const SESSION_COOKIE = 'sid'
/** RFC 6265bis caps cookie lifetimes at 400 days; hono's `setCookie` refuses more. */
const MAX_COOKIE_AGE = 400 * 24 * 3600

export interface SessionCookieOptions {
  /** `Secure` flag: on in production (`APP_ENV=production`). */
  secure: boolean
}

/** The session id the client sent, if any (not validated: the sessions use case does that). */
export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE)
}

/** `sid=…; Max-Age; Path=/; HttpOnly; SameSite=Lax` (+ `Secure`): JavaScript cannot read it, cross-site POSTs do not carry it. */
export function writeSessionCookie(c: Context, id: string, maxAgeSeconds: number, o: SessionCookieOptions): void {
  setCookie(c, SESSION_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: o.secure,
    maxAge: Math.max(0, Math.min(MAX_COOKIE_AGE, Math.floor(maxAgeSeconds))),
  })
}

/** Expires the cookie on the client (same attributes, so browsers match it). */
export function clearSessionCookie(c: Context, o: SessionCookieOptions): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: o.secure })
}
