import { AppError, BackendUnavailableError } from '../../domain/errors.js'

/**
 * SQLSTATE classes that mean "the database cannot serve now", not "this statement is wrong":
 * 08 connection exception, 53 insufficient resources, 57 operator intervention (incl. statement timeout).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57)/

/**
 * Runs one store operation and turns connection failures into `BackendUnavailableError` (503) tagged with
 * the store's name. Errors of the statement itself (a bug) pass through and surface as a 500.
 */
export async function pgCall<T>(store: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof AppError) throw err
    const e = err as { name?: string; code?: string }
    if (e.name === 'PostgresError' && e.code && !UNAVAILABLE_SQLSTATE.test(e.code)) throw err
    throw new BackendUnavailableError(`[pg-${store}] database unavailable`, err)
  }
}

/**
 * A store method whose every failure other than an `AppError` is a `BackendUnavailableError` (503) naming
 * the store and the operation: for stores whose calls are already bounded by a pool (deadline, cancel).
 */
export function guardedBy(store: string) {
  return function guard<A extends unknown[], R>(what: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args) => {
      try {
        return await fn(...args)
      } catch (err) {
        if (err instanceof AppError) throw err
        throw new BackendUnavailableError(`[pg-${store}] ${what} failed`, err)
      }
    }
  }
}
