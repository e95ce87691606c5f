import type { Logger } from '../ports/logger.js'

/** The user a request is authenticated as, set by the session middleware. */
export interface RequestUser {
  id: string
  username: string
  role: 'admin' | 'user'
}

/** Per-request values on `c.var`. Only per-request data lives here; dependencies arrive by closure. */
export interface AppVariables {
  requestId: string
  logger: Logger
  /** The client's address (peer, or from X-Forwarded-For when TRUST_PROXY), set by the client-ip middleware. */
  clientIp: string
  /** Set when a valid session cookie came with the request. */
  user?: RequestUser
  /**
   * Set when a session cookie came but neither the cache nor the store could say whether it is valid:
   * routes that need a user answer with this (503) instead of 401, so an outage logs nobody out.
   */
  sessionUnavailable?: Error
  /** Session metadata for `/auth/me`: when it expires (ms since epoch; the earlier of absolute and idle). */
  session?: { expiresAt: number }
}

export interface AppEnv {
  Variables: AppVariables
}
