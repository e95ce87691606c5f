/**
 * Errors with stable codes. Use cases and adapters throw these; `src/http/error-handler.ts` is the one
 * place that maps a code to an HTTP status. `cause` carries the library error and is never sent to clients.
 */
export class AppError extends Error {
  readonly code: string
  /** Extra, client-safe fields for the problem+json body. */
  readonly details?: Record<string, unknown>

  constructor(code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.details = options?.details
  }
}

export type CacheErrorCode = 'CACHE.UNAVAILABLE' | 'CACHE.INVALID_VALUE' | 'CACHE.NOT_INTEGER' | 'CACHE.CORRUPT'

/** Raised by cache adapters. `[backend]` prefixes the message, as unstorage's `createError` does. */
export class CacheError extends AppError {
  /**
   * For `CACHE.UNAVAILABLE` from a server that answers but refuses the command (Redis `OOM`, `READONLY`,
   * `NOPERM`, `MASTERDOWN`, `LOADING`, `BUSY`, `MISCONF`…): that token. Counted apart from outages.
   */
  readonly refusal?: string

  constructor(code: CacheErrorCode, backend: string, message: string, cause?: unknown, refusal?: string) {
    super(code, `[${backend}-cache] ${message}`, { cause })
    if (refusal !== undefined) this.refusal = refusal
  }
}

/** A client sent input the API cannot accept (400). */
export class ValidationError extends AppError {
  constructor(message: string, errors?: unknown[]) {
    super('REQUEST.INVALID', message, { details: errors ? { errors } : undefined })
  }
}

/** A durable dependency (PostgreSQL) cannot serve the request (503). */
export class BackendUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('BACKEND.UNAVAILABLE', message, { cause })
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('RESOURCE.NOT_FOUND', message)
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super('AUTH.UNAUTHORIZED', message)
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Forbidden') {
    super('AUTH.FORBIDDEN', message)
  }
}

/** The resource already exists, e.g. a username that is taken (409). */
export class ConflictError extends AppError {
  constructor(message: string) {
    super('RESOURCE.CONFLICT', message)
  }
}

export class RateLimitExceededError extends AppError {
  constructor(
    readonly policy: string,
    readonly limit: number,
    /** Seconds until the window resets. */
    readonly retryAfter: number,
  ) {
    super('RATE_LIMIT.EXCEEDED', `Rate limit "${policy}" exceeded: ${limit} allowed; retry in ${retryAfter} s`, {
      details: { policy, limit, retryAfter },
    })
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super('REQUEST.TOO_LARGE', `Request body exceeds ${limitBytes} bytes`)
  }
}

/** The request was well-formed but its content cannot be processed (422), e.g. an unreadable upload. */
export class UnprocessableError extends AppError {
  constructor(message: string, errors?: unknown[]) {
    super('REQUEST.UNPROCESSABLE', message, { details: errors ? { errors } : undefined })
  }
}
